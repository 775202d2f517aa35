#!/bin/sh
# tattoo audit over a non-compliant tree: exit 1, each rule's verdict,
# found names file and line, status.json lists the failing rules.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/audit-fixtures.sh"

noncompliant_root "$T/root"
expect_exit 1 "non-compliant root fails" "$TATTOO" audit --root "$T/root" \
    --rules "$PACK" --format json --save-status "$T/status.json"
cp "$T/out" "$T/audit.json"
verdicts "$T/audit.json" >"$T/verdicts"
cat >"$T/want" <<'X'
faillock_deny=fail
file_shadow_mode=fail
firewall_policy=manual
grub_audit=fail
kmod_cramfs_disabled=fail
live_forward=notapplicable
no_empty_passwords=fail
only_root_uid0=fail
pkg_telnet_absent=fail
sshd_disable_root_login=fail
sshd_max_auth_tries=fail
sudo_use_pty=fail
sysctl_ip_forward=fail
tmp_separate=fail
unit_rsync_off=fail
world_writable_none=fail
X
check "every rule gives the expected verdict" cmp "$T/want" "$T/verdicts"
# these 3 checks in one python3 (issue 17): DESC, the number of
# arguments and the arguments of each
pychecks 3 \
    "found names file and line" 1 "$T/audit.json" \
    "score is pass/(pass+fail)" 1 "$T/audit.json" \
    "status.json says non-compliant" 1 "$T/status.json" <<'PY'
with next_check():
    import json, sys
    d = {r["id"]: r for r in json.load(open(sys.argv[1]))["results"]}
    f = d["sshd_disable_root_login"]["found"]
    assert f == "/etc/ssh/sshd_config.d/10-root.conf:1: value=yes", f
    e = d["sshd_disable_root_login"]["expected"]
    assert e == "value = \"no\" (any case)", e
    f = d["sysctl_ip_forward"]["found"]
    assert f == "/etc/sysctl.d/99-router.conf:1: value=1", f
    assert "/etc/open.conf" in d["world_writable_none"]["found"]
    assert "toor" in d["only_root_uid0"]["found"]
    assert "broken" in d["only_root_uid0"]["found"]
    f = d["sshd_max_auth_tries"]["found"]
    assert f == "/etc/ssh/sshd_config.d/50-hardening.conf:4: value=10 in \"Match User bob\"", f
    f = d["file_shadow_mode"]["found"]
    assert f == "/etc/shadow: mode=0644", f
with next_check():
    import json, sys
    s = json.load(open(sys.argv[1]))["summary"]
    assert s["pass"] == 0 and s["fail"] == 14 and s["score"] == 0.0, s
with next_check():
    import json, sys
    a = json.load(open(sys.argv[1]))["audit"]
    assert a["compliant"] is False, a
    assert "file_shadow_mode" in a["failing"], a
    r = [x for x in a["reasons"] if x["code"] == "file_shadow_mode"][0]
    assert r["phrase"] == "Ensure permissions on /etc/shadow are configured", r
PY
expect_exit 1 "text output" "$TATTOO" audit --root "$T/root" --rules "$PACK"
check "text groups by section" contains "$T/out" "Section 5: 0 pass, 4 fail"
check "text shows found" contains "$T/out" \
    "found:    /etc/ssh/sshd_config.d/10-root.conf:1: value=yes"
check "text shows expected" contains "$T/out" \
    "expected: value = \"no\" (any case)"
check "text has the score" contains "$T/out" "Score: 0.0%"
done_testing
