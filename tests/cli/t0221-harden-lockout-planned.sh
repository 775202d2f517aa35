#!/bin/sh
# issue 14: the lock-out guard counts a way in that survives the run.  A
# password counts only if pam_unix still checks it after this run's PAM
# edits (the planned stack, not the current one: a rule later in the pack
# that breaks the stack is seen); an authorized key only if sshd will read
# it (AuthorizedKeysFile, PubkeyAuthentication) for a user it lets in
# (AllowUsers, DenyUsers).
. "$(dirname "$0")/../lib.sh"

R="$T/root"
export TATTOO_STATE_DIR="$T/state"
PACK="$T/pack.json"
# The two sshd rules of the harden test pack, then a rule (pack order:
# after them) whose fix deletes pam_unix from common-auth.
python3 - "$TT_TOP/tests/fixtures/harden-pack.json" "$PACK" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rules = [r for r in d["rules"] if r["id"] in ("sshd_disable_root_login", "sshd_disable_password_auth")]
rules.append({
    "id": "pam_break", "title": "t", "description": "d", "rationale": "r",
    "severity": "low", "references": {"cis": "9.9.9"}, "scope": ["image", "runtime"],
    "check": {"probe": "file_lines", "params": {"path": "/etc/pam.d/common-auth", "regex": "pam_unix"},
              "expect": [], "quantifier": "none"},
    "fix": {"action": "line_absent", "params": {"path": "/etc/pam.d/common-auth", "regex": "pam_unix"}}})
d["rules"] = rules
d["profiles"][0]["rules"] = [r["id"] for r in rules]
json.dump(d, open(sys.argv[2], "w"), indent=1)
PY

fixture() {
	rm -rf "$R"
	make_root "$R"
	mkdir -p "$R/etc/pam.d" "$R/etc/ssh/sshd_config.d" "$R/home/alice/.ssh" "$R/root" "$R/var/lib/tattoo"
	printf 'Include /etc/ssh/sshd_config.d/*.conf\nUsePAM yes\nPermitRootLogin yes\n' >"$R/etc/ssh/sshd_config"
	printf '@include common-auth\n' >"$R/etc/pam.d/sshd"
	printf 'auth\t[success=1 default=ignore]\tpam_unix.so\nauth\trequisite\tpam_deny.so\nauth\trequired\tpam_permit.so\n' \
	    >"$R/etc/pam.d/common-auth"
	printf 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n' >"$R/etc/passwd"
	printf 'root:x:0:\nalice:x:1000:\n' >"$R/etc/group"
	printf 'root:*:19000:0:99999:7:::\nalice:$y$j9T$def:19000:0:99999:7:::\n' >"$R/etc/shadow"
}

# alice's password is the only way in, and the run breaks pam_unix.
fixture
run $TATTOO --root "$R" harden --rules "$PACK" --rule sshd_disable_root_login --rule pam_break
check "PermitRootLogin no is refused when the run's PAM edit ends password logins" \
    grep -Eq '^  refused +sshd_disable_root_login: .*pam_unix' "$T/out"
check "... and not written" sh -c "! grep -rqs '^PermitRootLogin no' '$R/etc/ssh'"
# The same pack without the PAM breakage: the password is a way in.
fixture
run $TATTOO --root "$R" harden --rules "$PACK" --rule sshd_disable_root_login
check "with pam_unix intact, alice's password lets PermitRootLogin no through" \
    grep -rqs '^PermitRootLogin no' "$R/etc/ssh"

# Keys: only where sshd reads them, for users it lets in.
fixture
printf 'ssh-ed25519 AAAA alice\n' >"$R/home/alice/.ssh/authorized_keys"
printf 'AuthorizedKeysFile /etc/ssh/keys/%%u\n' >"$R/etc/ssh/sshd_config.d/10-keys.conf"
run $TATTOO --root "$R" harden --rules "$PACK" --rule sshd_disable_password_auth
check "a key in a file sshd does not read (AuthorizedKeysFile) does not count" \
    grep -Eq '^  refused +sshd_disable_password_auth' "$T/out"
mkdir -p "$R/etc/ssh/keys"
printf 'ssh-ed25519 AAAA alice\n' >"$R/etc/ssh/keys/alice"
run $TATTOO --root "$R" harden --rules "$PACK" --rule sshd_disable_password_auth
check "the key where AuthorizedKeysFile points (%u expanded) counts" \
    grep -rqs '^PasswordAuthentication no' "$R/etc/ssh"

fixture
printf 'ssh-ed25519 AAAA alice\n' >"$R/home/alice/.ssh/authorized_keys"
printf 'AllowUsers bob carol@10.0.0.*\n' >"$R/etc/ssh/sshd_config.d/10-allow.conf"
run $TATTOO --root "$R" harden --rules "$PACK" --rule sshd_disable_password_auth
check "a key of a user AllowUsers leaves out does not count" \
    grep -Eq '^  refused +sshd_disable_password_auth' "$T/out"
printf 'AllowUsers bob al*\n' >"$R/etc/ssh/sshd_config.d/10-allow.conf"
run $TATTOO --root "$R" harden --rules "$PACK" --rule sshd_disable_password_auth
check "a pattern of AllowUsers that matches lets the key count" \
    grep -rqs '^PasswordAuthentication no' "$R/etc/ssh"

fixture
printf 'ssh-ed25519 AAAA alice\n' >"$R/home/alice/.ssh/authorized_keys"
printf 'DenyUsers alice\n' >"$R/etc/ssh/sshd_config.d/10-deny.conf"
run $TATTOO --root "$R" harden --rules "$PACK" --rule sshd_disable_password_auth
check "a key of a user DenyUsers names does not count" \
    grep -Eq '^  refused +sshd_disable_password_auth' "$T/out"

fixture
printf 'ssh-ed25519 AAAA alice\n' >"$R/home/alice/.ssh/authorized_keys"
printf 'PubkeyAuthentication no\n' >"$R/etc/ssh/sshd_config.d/10-nokeys.conf"
run $TATTOO --root "$R" harden --rules "$PACK" --rule sshd_disable_password_auth
check "with PubkeyAuthentication no, no key counts" \
    grep -Eq '^  refused +sshd_disable_password_auth' "$T/out"
done_testing
