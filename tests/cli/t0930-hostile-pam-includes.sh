#!/bin/sh
# Issue 13 finding 6: PAM include/@include/substack loops and floods.  A
# file that includes itself, a two-file cycle, a chain 10,000 files long
# and a file including 10,000 others each finish within seconds: the rule
# that reads that stack is "error" naming the file, the other rules are
# judged.  Before the include budget these ran for hours.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
TT_HANG_S=${TT_HANG_S_BUDGET:-30}

R="$T/root"

# rhel_root: a RHEL 9 tree (its pack reads su, system-auth, password-auth).
rhel_root() {
	rm -rf "$R"
	make_root "$R" rhel 9.4 "Red Hat Enterprise Linux 9.4 (Plow)"
	mkdir -p "$R/etc/pam.d" "$R/etc/security"
	printf 'auth sufficient pam_rootok.so\nauth required pam_wheel.so use_uid\n' \
	    >"$R/etc/pam.d/su"
	printf 'deny = 5\n' >"$R/etc/security/faillock.conf"
}

# A file that includes itself.
rhel_root
printf 'auth include system-auth\n@include system-auth\nauth required pam_faillock.so\n' \
    >"$R/etc/pam.d/system-auth"
completes "self-include: audit completes" 1 "$TATTOO" --root "$R" audit --format json
rule_error "self-include: the rule is error naming the file" \
    account_password_pam_faillock_system_auth \
    "include loop: '/etc/pam.d/system-auth' includes itself"
check "self-include: su is still judged" python3 -c '
import json, sys
r = [x for x in json.load(open(sys.argv[1]))["results"] if x["id"] == "use_pam_wheel_for_su"]
assert r[0]["result"] == "pass", r' "$T/out"

# A two-file cycle, through substack.
rhel_root
printf 'auth substack pa-b\npassword substack pa-b\n' >"$R/etc/pam.d/password-auth"
printf '@include password-auth\n' >"$R/etc/pam.d/pa-b"
completes "two-file cycle: audit completes" 1 "$TATTOO" --root "$R" audit --format json
rule_error "two-file cycle: the rule is error naming both files" \
    account_password_pam_faillock_password_auth \
    "include loop: '/etc/pam.d/password-auth' is included again by '/etc/pam.d/pa-b'"

# The same cycle through a symlink: the loop is found by inode, not name.
rm "$R/etc/pam.d/pa-b"
printf '@include pa-link\n' >"$R/etc/pam.d/pa-c"
ln -s password-auth "$R/etc/pam.d/pa-link"
sed -i 's/pa-b/pa-c/' "$R/etc/pam.d/password-auth"
completes "cycle through a symlink: audit completes" 1 "$TATTOO" --root "$R" audit --format json
rule_error "cycle through a symlink: error naming the file" \
    account_password_pam_faillock_password_auth \
    "include loop: '/etc/pam.d/pa-link' (the file '/etc/pam.d/password-auth')"

# A chain of 10,000 files: stopped at the depth libpam allows.
rhel_root
python3 - "$R/etc/pam.d" <<'PY'
import os, sys
d = sys.argv[1]
open(os.path.join(d, "system-auth"), "w").write("auth include chain0\n")
for i in range(10000):
    open(os.path.join(d, "chain%d" % i), "w").write(
        "auth include chain%d\nauth include chain%d\n" % (i + 1, i + 1))
PY
completes "chain of 10,000: audit completes" 1 "$TATTOO" --root "$R" audit --format json
rule_error "chain of 10,000: error naming where it got too deep" \
    account_password_pam_faillock_system_auth \
    "includes nested more than 16 deep at '/etc/pam.d/chain16'"

# One file including 10,000 others (each read once): past the budget of
# files one audit may read through includes.
rhel_root
python3 - "$R/etc/pam.d" <<'PY'
import os, sys
d = sys.argv[1]
with open(os.path.join(d, "password-auth"), "w") as f:
    for i in range(10000):
        f.write("auth include wide%d\n" % i)
        open(os.path.join(d, "wide%d" % i), "w").write("auth required pam_deny.so\n")
PY
completes "10,000 includes: audit completes" 1 "$TATTOO" --root "$R" audit --format json
rule_error "10,000 includes: budget exceeded naming the file" \
    account_password_pam_faillock_password_auth \
    "budget exceeded: more than 4096 files read by include expansion in this audit while reading '/etc/pam.d/wide"
check "the warning says the budget was exceeded" contains "$T/err" "more than 4096 files"

done_testing
