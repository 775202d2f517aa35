#!/bin/sh
# Read-only commands leave an offline tree byte for byte as it was (issue
# 13, finding 9): audit (every format), scrub --check, show, verify,
# rules and status with --root write nothing inside the image, and audit
# --root writes no status.json anywhere unless --save-status names a host
# file.  An rpm image's database is read from a private copy, never by
# rpm inside the tree (which could leave root/.rpmdb, a sqlite journal or
# a lock behind).  report --root writes only to the host's state_dir.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/audit-fixtures.sh"

# snapshot DIR OUT: every entry's path, type, mode, size, owner, mtime and
# link target, and the digest of every regular file.
snapshot() {
	(cd "$1" && find . -printf '%p %y %m %s %U:%G %T@ %l\n' | LC_ALL=C sort &&
	    find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum) \
	    >"$2"
}

# unchanged DESC DIR: DIR is as its snapshot $T/before.
unchanged() {
	snapshot "$2" "$T/after"
	if cmp -s "$T/before" "$T/after"; then
		pass "$1"
	else
		diff "$T/before" "$T/after" >"$T/why"
		fail "$1" "$T/why"
	fi
}

# The host's state_dir comes from its configuration file: the image's
# default (var/lib/tattoo inside it) is what the fix took away.
unset TATTOO_STATE_DIR
printf 'state_dir = %s\n' "$T/state" >"$TATTOO_CONFIG"
TATTOO_STATE_DIR="$T/state"

R="$T/img"
noncompliant_root "$R"
"$TATTOO" --root "$R" write --image-name golden --image-version 1.0.0 \
    --no-imds >/dev/null 2>&1 || fail "fixture: a tattoo"
mkdir -p "$R/etc/tattoo" "$R/var/lib/tattoo" "$R/root"
# The image's own agent.conf (profile only is read) and a stale
# status.json of its own: neither is changed.
printf 'profile = testpack:cis-l1-server\n' >"$R/etc/tattoo/agent.conf"
printf '{"schema": 1}\n' >"$R/var/lib/tattoo/status.json"
printf 'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' \
    >"$R/root/.bash_history"
chmod 0600 "$R/root/.bash_history"
snapshot "$R" "$T/before"

for f in text json junit sarif html prom; do
	completes "audit --format $f" 1 "$TATTOO" --root "$R" audit \
	    --rules "$PACK" --format "$f"
	unchanged "audit --format $f leaves the tree as it was" "$R"
done
completes "audit --output to the host" 1 "$TATTOO" --root "$R" audit \
    --rules "$PACK" --format json --output "$T/audit.json"
unchanged "audit --output leaves the tree as it was" "$R"
check "audit --root wrote no status.json in state_dir" \
    test ! -e "$TATTOO_STATE_DIR/status.json"
completes "audit --save-status to the host" 1 "$TATTOO" --root "$R" audit \
    --rules "$PACK" --save-status "$T/img-status.json"
unchanged "audit --save-status leaves the tree as it was" "$R"
check "... the status went to the named host file" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["audit"]
assert a["compliant"] is False and a["failing"], a
' "$T/img-status.json"
check "... and nowhere else" test ! -e "$TATTOO_STATE_DIR/status.json"

completes "scrub --check" 1 "$TATTOO" --root "$R" scrub --check
unchanged "scrub --check leaves the tree as it was" "$R"
completes "scrub --check --format json" 1 "$TATTOO" --root "$R" scrub \
    --check --format json
unchanged "scrub --check --format json leaves the tree as it was" "$R"
completes "show" 0 "$TATTOO" --root "$R" show
unchanged "show leaves the tree as it was" "$R"
completes "show --json" 0 "$TATTOO" --root "$R" show --json
unchanged "show --json leaves the tree as it was" "$R"
completes "verify" 0 "$TATTOO" --root "$R" verify
unchanged "verify leaves the tree as it was" "$R"
completes "rules" 0 "$TATTOO" --root "$R" rules --rules "$PACK"
unchanged "rules leaves the tree as it was" "$R"
completes "status with no host status" 2 "$TATTOO" --root "$R" status
unchanged "status leaves the tree as it was" "$R"

# report --root: its state (lock, tags, spool, status.json) is the host's.
completes "report --root --once (no cloud, no collector)" 0 \
    "$TATTOO" --root "$R" report --once
unchanged "report leaves the tree as it was" "$R"
check "report wrote the host's status.json" \
    test -f "$TATTOO_STATE_DIR/status.json"
completes "status after a report" 1 "$TATTOO" --root "$R" status
unchanged "status after a report leaves the tree as it was" "$R"
completes "status --json" 1 "$TATTOO" --root "$R" status --json
unchanged "status --json leaves the tree as it was" "$R"
cp "$TATTOO_STATE_DIR/status.json" "$T/host-status"
completes "status --root again" 1 "$TATTOO" --root "$R" status
check "status --root records nothing in the host's status.json" \
    cmp -s "$T/host-status" "$TATTOO_STATE_DIR/status.json"

# An rpm image: the database is copied out and read there.
if command -v rpm >/dev/null 2>&1 && command -v rpmbuild >/dev/null 2>&1 &&
    sh "$TT_TOP/tests/fixtures/make-rhel-root.sh" "$T/rhel" \
    openssh-server-8.7p1-38.el9 aide-0.16-100.el9 >/dev/null 2>&1; then
	mkdir -p "$T/tmp"
	snapshot "$T/rhel" "$T/before"
	completes "audit of an rpm image" 1 env TMPDIR="$T/tmp" \
	    "$TATTOO" --root "$T/rhel" audit --format json
	unchanged "audit of an rpm image leaves the tree as it was" "$T/rhel"
	check "... no root/.rpmdb in it" test ! -e "$T/rhel/root/.rpmdb"
	check "... the packages were read" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = [x for x in d["results"] if x["id"] == "package_aide_installed"]
assert r and r[0]["result"] == "pass", r
' "$T/out"
	check "... the private copy is gone" \
	    sh -c "[ -z \"\$(ls -A '$T/tmp')\" ]"
	# A database that is not one: a FIFO and a symlink out of the tree
	# beside it are not opened; a device is not read.
	ln -s /etc/shadow "$T/rhel/var/lib/rpm/Shadow"
	mkfifo "$T/rhel/var/lib/rpm/Fifo"
	snapshot "$T/rhel" "$T/before"
	completes "an rpm database with a FIFO and a symlink in it" 1 \
	    env TMPDIR="$T/tmp" "$TATTOO" --root "$T/rhel" audit
	unchanged "... is read, the tree as it was" "$T/rhel"
	check "... the private copy is gone" \
	    sh -c "[ -z \"\$(ls -A '$T/tmp')\" ]"
	# A database larger than the bound: a rule error, not a copy.
	if truncate -s 1100M "$T/rhel/var/lib/rpm/Huge" 2>/dev/null; then
		completes "an rpm database over 1 GiB" 1 env TMPDIR="$T/tmp" \
		    "$TATTOO" --root "$T/rhel" audit --format json
		check "... is not read, and the result says why" \
		    contains "$T/out" "larger than 1024 MiB"
		check "... the private copy is gone" \
		    sh -c "[ -z \"\$(ls -A '$T/tmp')\" ]"
		rm -f "$T/rhel/var/lib/rpm/Huge"
	else
		pass "# SKIP no sparse file for the size bound"
	fi
else
	pass "# SKIP rpm and rpmbuild needed for an rpm image"
fi
done_testing
