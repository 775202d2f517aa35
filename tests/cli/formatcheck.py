#!/usr/bin/env python3
"""Structural checks of tattoo's output formats, for tests/cli/t07*.sh.

  formatcheck.py schema SCHEMA_DIR NAME DOC     DOC against NAME.schema.json
  formatcheck.py junit OUT DOC audit|scrub      parses, counts match DOC
  formatcheck.py sarif OUT DOC audit|scrub      SARIF 2.1.0 required fields
  formatcheck.py prom OUT                       strict text-format parser

Exits 0 when the check holds, 1 with the reason on stderr otherwise.
holds(CMD, ARG...) is the same check for a pychecks script (tests/lib.sh).
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET


def fail(msg):
    print("formatcheck: " + msg, file=sys.stderr)
    sys.exit(1)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def schema_check(schema_dir, name, doc_path):
    import jsonschema
    schemas = {}
    for fn in os.listdir(schema_dir):
        if fn.endswith(".schema.json"):
            s = load(os.path.join(schema_dir, fn))
            jsonschema.Draft202012Validator.check_schema(s)
            schemas[s["$id"]] = s
    schema = load(os.path.join(schema_dir, name + ".schema.json"))
    doc = load(doc_path)
    try:
        from referencing import Registry, Resource
        reg = Registry().with_resources(
            [(k, Resource.from_contents(v)) for k, v in schemas.items()])
        v = jsonschema.Draft202012Validator(schema, registry=reg)
    except ImportError:
        resolver = jsonschema.RefResolver.from_schema(schema, store=schemas)
        v = jsonschema.Draft202012Validator(schema, resolver=resolver)
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        fail("%s: %s: %s" % (doc_path, "/".join(map(str, e.path)) or "(top)",
                             e.message))


def junit_check(out, doc_path, kind):
    doc = load(doc_path)
    root = ET.parse(out).getroot()
    if root.tag != "testsuites":
        fail("root element is %s, not testsuites" % root.tag)
    cases = root.findall("./testsuite/testcase")
    for suite in root.findall("testsuite"):
        n = len(suite.findall("testcase"))
        for attr, sel in (("tests", "testcase"), ("failures", "testcase/failure"),
                          ("errors", "testcase/error"),
                          ("skipped", "testcase/skipped")):
            if int(suite.get(attr, "-1")) != len(suite.findall(sel)):
                fail("suite %s: %s=%s but %d" % (suite.get("name"), attr,
                     suite.get(attr), len(suite.findall(sel))))
        if n == 0:
            fail("empty suite %s" % suite.get("name"))
    for c in cases:
        if not c.get("name") or not c.get("classname"):
            fail("testcase without name or classname")
    failures = root.findall("./testsuite/testcase/failure")
    errors = root.findall("./testsuite/testcase/error")
    skipped = root.findall("./testsuite/testcase/skipped")
    if kind == "audit":
        res = doc["results"]
        want = {r: sum(1 for x in res if x["result"] == r)
                for r in ("pass", "fail", "error", "notapplicable", "manual")}
        got = (len(cases), len(failures), len(errors), len(skipped))
        exp = (len(res), want["fail"], want["error"],
               want["notapplicable"] + want["manual"])
        if got != exp:
            fail("cases/failures/errors/skipped %s, expected %s" % (got, exp))
        ids = {c.get("name") for c in cases}
        if ids != {r["id"] for r in res}:
            fail("testcase names differ from rule ids")
        for c in cases:
            f = c.find("failure")
            if f is not None and ("found" not in f.get("message") or
                                  "expected" not in (f.text or "")):
                fail("failure of %s lacks found/expected" % c.get("name"))
    else:
        n = len(doc["findings"])
        if len(failures) != n or len(cases) != max(n, 1):
            fail("%d cases, %d failures for %d findings" %
                 (len(cases), len(failures), n))
    total = int(root.get("tests"))
    if total != len(cases):
        fail("testsuites tests=%d, %d cases" % (total, len(cases)))


LEVELS = {"none", "note", "warning", "error"}
KINDS = {"notApplicable", "pass", "fail", "review", "open", "informational"}


def sarif_check(out, doc_path, kind):
    doc = load(doc_path)
    log = load(out)
    # SARIF 2.1.0 section 3.13: version and runs are required.
    if log.get("version") != "2.1.0" or not isinstance(log.get("runs"), list):
        fail("version/runs missing")
    run = log["runs"][0]
    driver = run.get("tool", {}).get("driver")
    if not driver or not driver.get("name"):
        fail("run.tool.driver.name missing (3.14.6, 3.19.8)")
    rules = driver.get("rules", [])
    ids = [r["id"] for r in rules]
    if len(set(ids)) != len(ids):
        fail("duplicate rule ids")
    for r in rules:
        for key in ("shortDescription", "fullDescription", "help"):
            if not r.get(key, {}).get("text"):
                fail("rule %s: %s.text missing" % (r["id"], key))
    results = run.get("results")
    if not isinstance(results, list):
        fail("run.results missing")
    for res in results:
        if not res.get("message", {}).get("text"):
            fail("result without message.text (3.27.11)")
        rid = res.get("ruleId")
        if rid not in ids:
            fail("result ruleId %r not among the rules" % rid)
        if "ruleIndex" in res and ids[res["ruleIndex"]] != rid:
            fail("ruleIndex of %s points at another rule" % rid)
        if res.get("level", "warning") not in LEVELS:
            fail("bad level")
        if res.get("kind", "fail") not in KINDS:
            fail("bad kind")
        if res.get("kind", "fail") != "fail" and res.get("level", "none") != "none":
            fail("level other than none with kind %s (3.27.10)" % res["kind"])
        for loc in res.get("locations", []):
            art = loc["physicalLocation"]["artifactLocation"]
            if art["uri"].startswith("/") or " " in art["uri"]:
                fail("uri %r is not a relative URI reference" % art["uri"])
            if art.get("uriBaseId") not in run.get("originalUriBaseIds", {}):
                fail("uriBaseId not in originalUriBaseIds")
            reg = loc["physicalLocation"].get("region")
            if reg is not None and reg.get("startLine", 1) < 1:
                fail("startLine < 1")
    if kind == "audit":
        if len(results) != len(doc["results"]):
            fail("%d results for %d rules" % (len(results), len(doc["results"])))
        nfail = sum(1 for r in results if r.get("kind") == "fail")
        if nfail != sum(1 for r in doc["results"] if r["result"] == "fail"):
            fail("fail count differs")
        for r in rules:
            # A rule's reference: its CIS section, or for rules no
            # benchmark numbers (the azure pack) its documentation page,
            # which is also the rule's helpUri.
            if "CIS" not in r["help"]["text"] and (
                    "Azure documentation: " not in r["help"]["text"]
                    or not r.get("helpUri", "").startswith("https://")):
                fail("rule %s: help lacks the CIS or Azure reference" % r["id"])
    else:
        if len(results) != len(doc["findings"]):
            fail("%d results for %d findings" % (len(results), len(doc["findings"])))
        for res in results:
            if not res.get("locations"):
                fail("finding without a location")


PROM_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
PROM_LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
PROM_SAMPLE = re.compile(r"^(%s)(\{%s(?:,%s)*\})? (\S+)$" %
                         (PROM_NAME, PROM_LABEL, PROM_LABEL))


def prom_check(out):
    with open(out, "rb") as f:
        data = f.read()
    text = data.decode("utf-8")
    if not text.endswith("\n"):
        fail("last line does not end with a newline")
    typed, helped, current, seen = {}, set(), None, set()
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("# HELP "):
            name = line.split(" ")[2]
            if name in helped:
                fail("line %d: HELP twice for %s" % (n, name))
            helped.add(name)
        elif line.startswith("# TYPE "):
            parts = line.split(" ")
            if len(parts) != 4 or parts[3] not in (
                    "counter", "gauge", "histogram", "summary", "untyped"):
                fail("line %d: bad TYPE" % n)
            if parts[2] in typed:
                fail("line %d: TYPE twice for %s" % (n, parts[2]))
            typed[parts[2]] = parts[3]
            current = parts[2]
        elif line.startswith("#") or line == "":
            fail("line %d: unexpected %r" % (n, line))
        else:
            m = PROM_SAMPLE.match(line)
            if not m:
                fail("line %d: not a sample: %r" % (n, line))
            if m.group(1) != current:
                fail("line %d: %s outside its family" % (n, m.group(1)))
            if m.group(1) not in helped:
                fail("line %d: %s has no HELP" % (n, m.group(1)))
            float(m.group(3))
            key = (m.group(1), m.group(2))
            if key in seen:
                fail("line %d: duplicate series" % n)
            seen.add(key)
    if not seen:
        fail("no samples")


def main(argv):
    if len(argv) < 2:
        fail(__doc__)
    cmd = argv[1]
    if cmd == "schema" and len(argv) == 5:
        schema_check(argv[2], argv[3], argv[4])
    elif cmd == "junit" and len(argv) == 5:
        junit_check(argv[2], argv[3], argv[4])
    elif cmd == "sarif" and len(argv) == 5:
        sarif_check(argv[2], argv[3], argv[4])
    elif cmd == "prom" and len(argv) == 3:
        prom_check(argv[2])
    else:
        fail("bad arguments: " + " ".join(argv[1:]))


def holds(cmd, *args):
    """(True, "") when the check CMD ARGS... holds, else (False, the
    reason): for a pychecks script (tests/lib.sh), which makes this check
    beside others in one python3."""
    import contextlib
    import io
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            main(["formatcheck.py", cmd] + list(args))
    except SystemExit as e:
        return False, err.getvalue().strip() or str(e.code)
    except Exception as e:  # the command would have died: a failure too
        return False, "formatcheck: %s: %s" % (type(e).__name__, e)
    return True, ""


if __name__ == "__main__":
    main(sys.argv)
