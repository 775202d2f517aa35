#!/bin/sh
# Every leftover of hardening/scrub/leftovers.json: planted where its glob
# says, found by --check with its action, handled by --apply with that
# action (deleted; truncated to empty, the file kept; the directory
# emptied, kept), and journaled in the image as a record (sizes and
# digests, no copy: the image must not ship what was removed), which
# rollback refuses to "restore".
. "$(dirname "$0")/../lib.sh"

R="$T/root"
export TATTOO_STATE_DIR="$T/state"
make_root "$R"
mkdir -p "$R/home/builder" "$R/home/ops"
python3 - "$TT_TOP/hardening/scrub/leftovers.json" "$R" "$T/planted" <<'PY'
import json, os, sys
cat, root, out = sys.argv[1:4]
planted = []
for l in json.load(open(cat))["leftovers"]:
    path = l["path"].replace("{build_user}", "builder").replace("/home/*/", "/home/ops/").replace("ssh_host_*_key", "ssh_host_ed25519_key")
    path = path.replace("*.leases", "dhclient.eth0.leases").replace("*.lease", "internal-eth0.lease")
    path = path.replace("*.deb", "curl_8.0_amd64.deb").replace("*.bin", "pkgcache.bin").replace("*", "item")
    full = root + path
    os.makedirs(os.path.dirname(full), exist_ok=True)
    if l["action"] == "remove-account":
        etc = root + "/etc/"
        open(etc + "passwd", "w").write("root:x:0:0:root:/root:/bin/bash\nbuilder:x:1000:1000::/home/builder:/bin/bash\nops:x:1001:1001::/home/ops:/bin/sh\n")
        open(etc + "shadow", "w").write("root:*:19700:0:99999:7:::\nbuilder:!:19700:0:99999:7:::\nops:*:19700:0:99999:7:::\n")
        open(etc + "group", "w").write("root:x:0:\nsudo:x:27:builder,ops\nbuilder:x:1000:\nops:x:1001:\nadm:x:4:builder\n")
        open(etc + "gshadow", "w").write("root:*::\nsudo:*:builder:builder,ops\nbuilder:!::\nops:!::\n")
        os.chmod(etc + "shadow", 0o640)
    elif l["action"] == "empty-dir":
        os.makedirs(full + "/sub", exist_ok=True)
        open(full + "/sub/state", "w").write("state of " + l["id"] + "\n")
        open(full + "/top", "w").write("x\n")
    elif l["id"].endswith("-dir-root") or l["id"].endswith("-dir-home") or path.endswith("/.cache/pip") or path == "/home/builder":
        os.makedirs(full, exist_ok=True)
        open(full + "/config", "w").write("cred of " + l["id"] + "\n")
    else:
        open(full, "w").write("content of " + l["id"] + "\n")
    planted.append({"id": l["id"], "path": path, "action": l["action"]})
json.dump(planted, open(out, "w"))
PY
# A file the leftovers must not touch.
printf 'keep\n' >"$R/etc/hostname"
(cd "$R" && find . -printf '%p %y %m %s\n' | sort && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$T/before"

expect_exit 1 "--check finds the leftovers: exit 1" "$TATTOO" --root "$R" scrub --build-user builder --check --format json
check "each planted leftover is found with its action" python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
found = {(f["detector"], f["path"], f["action"]) for f in doc["findings"] if f["kind"] == "leftover"}
planted = json.load(open(sys.argv[2]))
missing = [p for p in planted if (p["id"], p["path"], p["action"]) not in found]
assert not missing, missing
assert doc["summary"]["leftovers"] == len(planted), (doc["summary"], len(planted))
' "$T/out" "$T/planted"

expect_exit 0 "--apply removes them: exit 0" "$TATTOO" --root "$R" scrub --build-user builder --apply --format json
cp "$T/out" "$T/apply.json"
# these 2 checks in one python3 (issue 17): DESC, the number of
# arguments and the arguments of each
pychecks 2 \
    "every action is reported done" 1 "$T/apply.json" \
    "each leftover got its action" 2 "$T/planted" "$R" <<'PY'
with next_check():
    import json, sys
    doc = json.load(open(sys.argv[1]))
    bad = [f for f in doc["findings"] if f["kind"] == "leftover" and f.get("result") != "done"]
    assert not bad, bad
with next_check():
    import json, os, sys
    root = sys.argv[2]
    for p in json.load(open(sys.argv[1])):
        full = root + p["path"]
        if p["action"] == "remove-account":
            etc = root + "/etc/"
            assert open(etc + "passwd").read() == "root:x:0:0:root:/root:/bin/bash\nops:x:1001:1001::/home/ops:/bin/sh\n"
            assert open(etc + "shadow").read() == "root:*:19700:0:99999:7:::\nops:*:19700:0:99999:7:::\n"
            assert open(etc + "group").read() == "root:x:0:\nsudo:x:27:ops\nops:x:1001:\nadm:x:4:\n", open(etc + "group").read()
            assert open(etc + "gshadow").read() == "root:*::\nsudo:*::ops\nops:!::\n", open(etc + "gshadow").read()
            assert oct(os.stat(etc + "shadow").st_mode & 0o777) == "0o640"
        elif p["action"] == "delete":
            assert not os.path.lexists(full), full
        elif p["action"] == "truncate":
            assert os.path.isfile(full) and os.path.getsize(full) == 0, full
        else:
            assert os.path.isdir(full) and os.listdir(full) == [], full
PY
check "machine-id is kept, empty" test -f "$R/etc/machine-id" -a ! -s "$R/etc/machine-id"
check "other files are untouched" test "$(cat "$R/etc/hostname")" = keep
expect_exit 0 "--check after --apply: clean" "$TATTOO" --root "$R" scrub --build-user builder --check
expect_exit 0 "--apply again changes nothing" "$TATTOO" --root "$R" scrub --build-user builder --apply
check "the journal in the image holds a scrub run" sh -c "grep -ql '\"scrub\"' '$R'/var/lib/tattoo/journal/*/run.json"
check "it holds no byte of what was removed" sh -c "! grep -rqs 'content of' '$R/var/lib/tattoo/journal'"
check "the key that authenticates it is on the host" test -f "$T/state/journal.key"

expect_exit 2 "rollback: nothing to give back" "$TATTOO" --root "$R" rollback
check "it says there is no run to roll back" contains "$T/err" "no run to roll back"
run=$(ls "$R/var/lib/tattoo/journal" | head -1)
expect_exit 2 "rollback of the scrub run named" "$TATTOO" --root "$R" rollback "$run"
check "it is a record to review" contains "$T/err" "record to review"
done_testing
