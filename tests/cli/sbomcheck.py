#!/usr/bin/env python3
"""Validates an SBOM against the official schema checked in under
tests/schemas (offline): sbomcheck.py cyclonedx|spdx FILE.  Exit 0 valid,
1 invalid (the errors on stderr), 77 when python3-jsonschema is missing."""
import json
import os
import sys

try:
    import jsonschema
    from referencing import Registry, Resource
except ImportError:
    sys.stderr.write("sbomcheck: python3-jsonschema (with referencing) missing\n")
    sys.exit(77)

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas")


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return json.load(f)


def main():
    kind, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if kind == "cyclonedx":
        schema = load("bom-1.6.SNAPSHOT.schema.json")
        # bom-1.6 refers to its siblings by relative name, resolved
        # against its $id: served from the files here, never fetched.
        base = "http://cyclonedx.org/schema/"
        reg = Registry().with_resources(
            (base + n, Resource.from_contents(load(n)))
            for n in ("spdx.SNAPSHOT.schema.json",
                      "jsf-0.82.SNAPSHOT.schema.json"))
    else:
        schema = load("spdx-2.3.schema.json")
        reg = Registry()
    cls = jsonschema.validators.validator_for(schema)
    v = cls(schema, registry=reg, format_checker=cls.FORMAT_CHECKER)
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:20]:
        sys.stderr.write("%s: %s: %s\n" % (path, "/".join(map(str, e.path)),
                                           e.message[:300]))
    sys.exit(1 if errors else 0)


main()
