#!/bin/sh
# tattoo audit over a compliant image tree: exit 0, the JSON contract,
# no status.json anywhere (an image's audit is not the host's status, and
# the image stays as it was) unless --save-status names a host file.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/audit-fixtures.sh"

compliant_root "$T/root"
expect_exit 4 "--save-status into a missing directory" "$TATTOO" audit \
    --root "$T/root" --rules "$PACK" --format json \
    --save-status "$T/saved/status.json"
check "--save-status needs its directory" contains "$T/err" "$T/saved/status.json"
mkdir "$T/saved"
expect_exit 0 "compliant root passes" "$TATTOO" audit --root "$T/root" \
    --rules "$PACK" --format json --save-status "$T/saved/status.json"
cp "$T/out" "$T/audit.json"
verdicts "$T/audit.json" >"$T/verdicts"
cat >"$T/want" <<'X'
faillock_deny=pass
file_shadow_mode=pass
firewall_policy=manual
grub_audit=pass
kmod_cramfs_disabled=pass
live_forward=notapplicable
no_empty_passwords=pass
only_root_uid0=pass
pkg_telnet_absent=pass
sshd_disable_root_login=pass
sshd_max_auth_tries=pass
sudo_use_pty=pass
sysctl_ip_forward=pass
tmp_separate=pass
unit_rsync_off=pass
world_writable_none=pass
X
check "every rule gives the expected verdict" cmp "$T/want" "$T/verdicts"
check "JSON contract" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == 1 and d["profile"] == "cis-l1-server", d
assert d["root"] == sys.argv[2], d["root"]
s = d["summary"]
assert set(s) >= {"pass", "fail", "error", "notapplicable", "manual", "score"}
assert s["pass"] == 14 and s["fail"] == 0 and s["manual"] == 1, s
assert s["notapplicable"] == 1 and s["score"] == 100.0, s
for r in d["results"]:
    assert set(r) >= {"id", "title", "severity", "result", "references",
                      "found", "expected"}, r
    assert "cis" in r["references"]
ssg = [r for r in d["results"] if r["id"] == "sshd_disable_root_login"][0]
assert ssg["references"]["ssg"] == \
    "xccdf_org.ssgproject.content_rule_sshd_disable_root_login"
assert ssg["fix"] == {"action": "sshd_set",
                      "params": {"key": "PermitRootLogin", "value": "no"}}
assert ssg["section"] == "5" and ssg["rationale"].startswith("A direct")
' "$T/audit.json" "$T/root"
st="$T/saved/status.json"
check "no status.json written in the root" test ! -e "$T/root/var/lib/tattoo"
check "nor in the host's state_dir" test ! -e "$TATTOO_STATE_DIR/status.json"
check "status.json written where --save-status said" test -f "$st"
check "status.json audit section" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["audit"]
assert a["compliant"] is True and a["score"] == 100.0, a
assert a["profile"] == "testpack:cis-l1-server", a
assert a["failing"] == [] and a["reasons"] == [], a
assert a["summary"]["pass"] == 14, a
assert a["rules_digest"].startswith("sha256:"), a
' "$st"
expect_exit 0 "text output" "$TATTOO" audit --root "$T/root" --rules "$PACK"
check "text has the summary" contains "$T/out" "Summary: 14 pass, 0 fail"
check "text has the score" contains "$T/out" "Score: 100.0%"
check "text lists what a person must review" contains "$T/out" \
    "review:   Review the firewall rules against the site's policy."
check "text leaves passing rules out" sh -c "! grep -q file_shadow_mode '$T/out'"
expect_exit 0 "-v lists passing rules" "$TATTOO" audit --root "$T/root" \
    --rules "$PACK" -v
check "passing rule listed" contains "$T/out" "file_shadow_mode"
done_testing
