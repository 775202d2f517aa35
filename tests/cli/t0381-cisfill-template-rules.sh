#!/bin/sh
# The CIS rules tools/packgen/cisfill.py makes from SSG templates for the
# controls a pack's own rules leave uncovered, in a Debian-family pack
# (debian12) and a RHEL-family one (rhel10): an audit syscall rule
# (chmod), an audit watch (/etc/passwd), a separate partition (/var), a
# kernel module (dccp on Debian, overlay on RHEL) and an auditd.conf
# setting each pass on a tree written as CIS asks and fail on a tree
# without it (audited with --rule), sit in the profiles their control's
# levels name, and harden of the failing tree writes the audit rules
# (one rules.d file per rule) that then pass; rollback takes them away.
. "$(dirname "$0")/../lib.sh"

SYSCALL=audit_rules_dac_modification_chmod
WATCH=audit_rules_usergroup_modification_passwd
AUDITD=auditd_data_retention_max_log_file_action

# good DIR: the settings the rules judge, written from the benchmarks'
# own lines (not from the packs)
good() {
	mkdir -p "$1/etc/audit/rules.d" "$1/etc/modprobe.d"
	cat >"$1/etc/audit/rules.d/50-cis.rules" <<'EOF'
-a always,exit -F arch=b64 -S chmod,fchmod,fchmodat -F auid>=1000 -F auid!=unset -F key=perm_mod
-a always,exit -F arch=b32 -S chmod,fchmod,fchmodat -F auid>=1000 -F auid!=unset -F key=perm_mod
-w /etc/passwd -p wa -k identity
EOF
	printf 'max_log_file = 6\nmax_log_file_action = keep_logs\n' >"$1/etc/audit/auditd.conf"
	printf '/dev/sda1 / ext4 defaults 0 1\n/dev/sda2 /var ext4 defaults,nodev,nosuid 0 2\n' >"$1/etc/fstab"
	printf 'install dccp /bin/false\nblacklist dccp\ninstall overlay /bin/false\nblacklist overlay\n' \
	    >"$1/etc/modprobe.d/cis.conf"
}

# bad DIR: the same files, none of it there (a watch of another file, a
# rule for another syscall, rotation, one file system)
bad() {
	mkdir -p "$1/etc/audit/rules.d"
	cat >"$1/etc/audit/rules.d/50-site.rules" <<'EOF'
-a always,exit -F arch=b64 -S chown -F auid>=1000 -F auid!=unset -F key=perm_mod
-w /etc/group -p wa -k identity
## -w /etc/passwd -p wa -k identity
EOF
	printf 'max_log_file = 6\nmax_log_file_action = ROTATE\n' >"$1/etc/audit/auditd.conf"
	printf '/dev/sda1 / ext4 defaults 0 1\n' >"$1/etc/fstab"
}

# levels PACK RULE: the CIS profiles of PACK that hold RULE
levels() {
	python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print(" ".join(x["id"] for x in p["profiles"] if sys.argv[2] in x["rules"] and x["id"].startswith("cis")))' \
	    "$TT_TOP/hardening/rules/$1.json" "$2"
}

for pack in debian12 rhel10; do
	case $pack in
	debian12) os="debian 12 Debian"; MODULE=kernel_module_dccp_disabled ;;
	rhel10) os="rhel 10.0 Red_Hat_Enterprise_Linux_10"; MODULE=kernel_module_overlayfs_disabled ;;
	esac
	set -- $os
	RULES="$SYSCALL $WATCH partition_for_var $MODULE $AUDITD"
	make_root "$T/$pack-good" "$1" "$2" "$3"
	make_root "$T/$pack-bad" "$1" "$2" "$3"
	good "$T/$pack-good"
	bad "$T/$pack-bad"
	args=""
	for r in $RULES; do args="$args --rule $r"; done
	# shellcheck disable=SC2086
	expect_exit 0 "$pack: the rules pass on the tree written as CIS asks" \
	    "$TATTOO" audit --root "$T/$pack-good" --profile cis-l2-server $args --format json --output "$T/g.json"
	# shellcheck disable=SC2086
	expect_exit 1 "$pack: and fail on the tree without it" \
	    "$TATTOO" audit --root "$T/$pack-bad" --profile cis-l2-server $args --format json --output "$T/b.json"
	# four checks of each rule, in one python3 (not four: issue 17)
	# shellcheck disable=SC2086
	set -- $RULES
	# shellcheck disable=SC2086
	pychecks $(($# * 4)) "$pack" "$TT_TOP/hardening/rules/$pack.json" "$T/g.json" "$T/b.json" $RULES <<'PY'
pack, pk = sys.argv[1], load(sys.argv[2])


def results(path):
    try:
        return {r["id"]: r["result"] for r in load(path)["results"]}
    except Exception as e:
        return {"": "%s: %s" % (path, e)}


good, bad = results(sys.argv[3]), results(sys.argv[4])
for r in sys.argv[5:]:
    check("%s: %s passes on the good tree" % (pack, r), good.get(r) == "pass", good.get(r, good.get("", "missing")))
    check("%s: %s fails on the bad tree" % (pack, r), bad.get(r) == "fail", bad.get(r, bad.get("", "missing")))
    # every one is a Level 2 control in both benchmarks
    levels = " ".join(x["id"] for x in pk["profiles"] if r in x["rules"] and x["id"].startswith("cis"))
    check("%s: %s is in cis-l2-server only" % (pack, r), levels == "cis-l2-server", levels)
    with checked("%s: %s was made from an SSG template" % (pack, r)):
        x = [x for x in pk["rules"] if x["id"] == r][0]
        assert x["rationale"].startswith("Made from ComplianceAsCode"), x["rationale"]
PY

	# harden the bad tree's audit rules: a rules.d file of their own each,
	# then they pass; rollback restores the tree
	cp -a "$T/$pack-bad" "$T/$pack-before"
	expect_exit 0 "$pack: harden writes the audit rules" \
	    "$TATTOO" harden --root "$T/$pack-bad" --profile cis-l2-server --rule $SYSCALL --rule $WATCH --rule $AUDITD
	check "$pack: the chmod rule's own rules.d file" \
	    test -f "$T/$pack-bad/etc/audit/rules.d/60-tattoo-audit-rules-dac-modification-chmod.rules"
	check "$pack: the site's rules are left as they were" \
	    cmp -s "$T/$pack-before/etc/audit/rules.d/50-site.rules" "$T/$pack-bad/etc/audit/rules.d/50-site.rules"
	expect_exit 0 "$pack: after harden the audit rules pass" \
	    "$TATTOO" audit --root "$T/$pack-bad" --profile cis-l2-server --rule $SYSCALL --rule $WATCH --rule $AUDITD
	expect_exit 0 "$pack: rollback" "$TATTOO" rollback --root "$T/$pack-bad"
	# (the journal stays in the image's /var/lib/tattoo)
	check "$pack: rollback removes the rules.d files and restores auditd.conf" \
	    diff -r "$T/$pack-before/etc" "$T/$pack-bad/etc"
	expect_exit 1 "$pack: after rollback the rules fail again" \
	    "$TATTOO" audit --root "$T/$pack-bad" --profile cis-l2-server --rule $SYSCALL --rule $WATCH --rule $AUDITD
	rm -rf "$TATTOO_STATE_DIR"
done

# A Level 1 control's rule is in both profiles (debian12 1.1.2.2.1).
check "debian12: partition_for_dev_shm (Level 1) is in both profiles" \
    test "$(levels debian12 partition_for_dev_shm)" = "cis-l1-server cis-l2-server"

done_testing
