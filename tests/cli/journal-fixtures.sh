# Sourced by the hostile-journal tests (tests/cli/t091[0-4]-*.sh) after
# tests/lib.sh and tests/hostile.sh: a small non-compliant image in $R, a
# genuine harden run of it ($run, its directory $J), a manifest of the
# tree, and $SIGN to compute journal MACs with the host's key (playing an
# attacker who has the key, so the checks of the tree are what is tested).

PACK="$TT_TOP/tests/fixtures/harden-pack.json"
R="$T/root"
# The journal key is a host file: in $T, never the machine's.
TATTOO_STATE_DIR="$T/state"
export TATTOO_STATE_DIR
KEY="$T/state/journal.key"
SIGN="python3 $TT_TOP/tests/cli/journal_sign.py $KEY"

make_image() {
	rm -rf "$R"
	make_root "$R"
	mkdir -p "$R/etc/ssh/sshd_config.d" "$R/var/lib/dpkg" "$R/root/.ssh" \
	    "$R/dev" "$R/run"
	printf 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n' >"$R/etc/ssh/sshd_config"
	printf 'net.ipv4.ip_forward = 1\n' >"$R/etc/sysctl.conf"
	printf '# cron\n' >"$R/etc/crontab"
	chmod 0644 "$R/etc/crontab"
	printf 'tmpfs /tmp tmpfs defaults 0 0\n' >"$R/etc/fstab"
	printf 'root:x:0:0:root:/root:/bin/bash\n' >"$R/etc/passwd"
	printf 'root:x:0:\n' >"$R/etc/group"
	printf 'root:$y$j9T$abc:19000:0:99999:7:::\n' >"$R/etc/shadow"
	chmod 0640 "$R/etc/shadow"
	printf 'Debian \\n \\l\n' >"$R/etc/issue"
	echo "ssh-ed25519 AAAAC3Nza root@build" >"$R/root/.ssh/authorized_keys"
	: >"$R/var/lib/dpkg/status"
}

# Every path of the image but the journal: type, mode, owner, link
# target, and the content of every file.
manifest() {
	(cd "$R" && find . -path ./var/lib/tattoo -prune -o \
	    -printf '%p %y %m %U:%G %l\n' | sort
	 cd "$R" && find . -path ./var/lib/tattoo -prune -o -type f -print0 |
	    sort -z | xargs -0 sha256sum)
}

# A genuine harden of a fresh image: $run, $J; the tree before in
# $T/before, after in $T/hardened.
harden_image() {
	make_image
	manifest >"$T/before"
	"$TATTOO" --root "$R" harden --rules "$PACK" >"$T/harden.out" 2>&1
	run=$(sed -n "s/.*tattoo rollback \([^']*\)'.*/\1/p" "$T/harden.out")
	J="$R/var/lib/tattoo/journal/$run"
	manifest >"$T/hardened"
}

# entry_of PATH: the journal entry file of the run that recorded PATH.
entry_of() {
	grep -l "\"path\":\"$1\"" "$J"/0*.json | head -1
}

# set_member FILE KEY JSON: FILE's KEY set to the JSON value (no MAC).
set_member() {
	python3 - "$@" <<'PY'
import json, sys
path, key, value = sys.argv[1:4]
obj = json.load(open(path))
obj[key] = json.loads(value)
json.dump(obj, open(path, "w"), indent=2)
PY
}
