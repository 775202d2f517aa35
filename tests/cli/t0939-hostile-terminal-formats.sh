#!/bin/sh
# The machine formats escape by their own rules, not the terminal's: each
# is a valid document (JSON and SARIF parse as UTF-8 JSON, JUnit as XML,
# HTML and Prometheus text are UTF-8 with no raw C0 control) whatever the
# image's file names and values hold, and JSON keeps a name exactly (the
# terminal's "\x1b" is not applied to it).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/term-fixtures.sh"

R="$T/root"
hostile_tree "$R"

for f in json sarif junit html prom; do
	completes "scrub --check --format $f (exit 1)" 1 \
	    "$TATTOO" --root "$R" --config "$T/host.conf" scrub --check \
	    --format "$f"
	cp "$T/out" "$T/scrub.$f"
	completes "audit --format $f (exit 1)" 1 \
	    "$TATTOO" --root "$R" --config "$T/host.conf" audit --format "$f"
	cp "$T/out" "$T/audit.$f"
done
check "every document is valid and carries no raw control" \
    python3 - "$T" <<'PY'
import json, sys, xml.dom.minidom
t = sys.argv[1]
for kind in ("scrub", "audit"):
    for f in ("json", "sarif", "junit", "html", "prom"):
        data = open("%s/%s.%s" % (t, kind, f), "rb").read()
        text = data.decode("utf-8")  # raises when not UTF-8
        if f in ("json", "sarif"):
            json.loads(text)
        elif f == "junit":
            xml.dom.minidom.parseString(data)
        ctrl = [c for c in text if ord(c) < 0x20 and c not in "\n\t\r"]
        assert not ctrl, (kind, f, ctrl[:5])
        assert "\x1b" not in text, (kind, f)
PY
check "JSON keeps the forged name exactly, not terminal-escaped" \
    python3 - "$T/scrub.json" "$FORGE" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], "rb"))
paths = [f["path"] for f in d["findings"]]
assert "/srv/" + sys.argv[2] in paths, paths
assert not any("\\x1b" in p for p in paths), paths
# The name with a raw C1 byte (not UTF-8) has U+FFFD for that byte.
assert any(p.startswith("/srv/b\b\x07\ufffd\u009b") for p in paths), paths
PY
check "audit JSON keeps the config value exactly" \
    python3 - "$T/audit.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], "rb"))
found = [r.get("found") or "" for r in d["results"]]
assert any("value=yes\x1b[2K\r\u009b\u202e no" in f for f in found), \
    [f for f in found if "sshd_config" in f][:3]
PY
done_testing
