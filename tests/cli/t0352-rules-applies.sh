#!/bin/sh
# tattoo rules lists the packs that apply to the root by default, --all
# every pack; a rule id is shown once with the packs that have it; its
# --format comes from the one output-format table.
. "$(dirname "$0")/../lib.sh"

make_root "$T/deb" debian 12
make_root "$T/u24" ubuntu 24.04 "Ubuntu 24.04"
make_root "$T/alp" alpine 3.20 "Alpine"

expect_exit 0 "debian root" "$TATTOO" --root "$T/deb" rules
# azure (the image readiness checks) applies to every supported system.
check "debian12 and azure listed" sh -c '
grep -c "^pack " "$1" | grep -qx 2 && grep -q "^pack debian12:" "$1" &&
grep -q "^pack azure:" "$1"' _ "$T/out"
expect_exit 0 "ubuntu root" "$TATTOO" --root "$T/u24" rules --format json
check "only ubuntu2404 and azure in json" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [p["name"] for p in d["packs"]] == ["azure", "ubuntu2404"], d["packs"]
assert {p["pack"] for p in d["profiles"]} == {"azure", "ubuntu2404"}
ids = [r["id"] for r in d["rules"]]
assert len(ids) == len(set(ids))
assert all(r["packs"] in (["ubuntu2404"], ["azure"]) for r in d["rules"])
assert "azure_provisioning_agent" in ids' "$T/out"

expect_exit 0 "--all" "$TATTOO" --root "$T/deb" rules --all --format json
pychecks 2 "$T/out" "$TT_TOP/docs/schema" <<'PY'
import formatcheck
d = load(sys.argv[1])
names = [p["name"] for p in d["packs"]]
ids = [r["id"] for r in d["rules"]]
cramfs = [r for r in d["rules"] if r["id"] == "kernel_module_cramfs_disabled"][0]["packs"]
check("--all: every pack, each rule id once with its packs",
      set(names) >= {"debian12", "ubuntu2204", "ubuntu2404", "rhel9"} and len(ids) == len(set(ids)) and
      len(cramfs) >= 3 and "debian12" in cramfs,
      "packs %s; %d ids, %d distinct; cramfs rule in %s" % (names, len(ids), len(set(ids)), cramfs))
check("--all json against docs/schema/rules.schema.json", *formatcheck.holds("schema", sys.argv[2], "rules", sys.argv[1]))
PY
expect_exit 0 "--all text" "$TATTOO" --root "$T/deb" rules --all
check "the id once in the text list" sh -c '
test "$(grep -c " kernel_module_cramfs_disabled " "$1")" = 1 &&
grep " kernel_module_cramfs_disabled " "$1" | grep -q "debian12, "' _ "$T/out"

expect_exit 0 "one rule, --all" "$TATTOO" --root "$T/deb" rules --all \
    kernel_module_cramfs_disabled
# Three definitions: Debian's, rhel10/sle15's, and rhel9's, which also
# carries its STIG reference (RHEL-09-231195).
check "shown once with its packs" sh -c '
test "$(grep -c "^kernel_module_cramfs_disabled" "$1")" -le 3 &&
grep -q "packs: *debian12, " "$1"' _ "$T/out"
expect_exit 0 "one rule on debian" "$TATTOO" --root "$T/deb" rules \
    kernel_module_cramfs_disabled
check "only the pack that applies" sh -c '
test "$(grep -c "^kernel_module_cramfs_disabled" "$1")" = 1 &&
grep -qx "  packs: *debian12" "$1"' _ "$T/out"

expect_exit 0 "no pack applies" "$TATTOO" --root "$T/alp" rules
check "says none applies and how to see all" contains "$T/out" \
    "none applies to $T/alp (alpine 3.20); --all lists them all"
expect_exit 0 "PACK:ID names a pack whatever the OS" "$TATTOO" \
    --root "$T/alp" rules --profile debian12:cis-l1-server
check "its rules" contains "$T/out" "profile debian12:cis-l1-server"
expect_exit 2 "bare profile: only packs that apply" "$TATTOO" \
    --root "$T/alp" rules --profile cis-l1-server

expect_exit 0 "usage from the format table" "$TATTOO" rules --help
check "lists the table's rules formats" contains "$T/out" \
    "--format FORMAT  text (default), json"
expect_exit 2 "audit-only format refused" "$TATTOO" --root "$T/deb" \
    rules --format sarif
check "names the formats rules offers" contains "$T/err" \
    "unknown format 'sarif' (text, json)"
expect_exit 2 "typo suggests" "$TATTOO" --root "$T/deb" rules --format jsno
check "did you mean" contains "$T/err" "did you mean 'json'?"
done_testing
