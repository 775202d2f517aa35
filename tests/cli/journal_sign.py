#!/usr/bin/env python3
"""Journal MACs for the hostile-journal tests (tests/cli/t091*.sh).

    journal_sign.py KEYFILE FILE.json...   (re)computes each file's "mac"
    journal_sign.py --check KEYFILE FILE   exit 0 when its "mac" verifies

The MAC is HMAC-SHA256 under the host's journal.key of
"tattoo-journal-v1\\0" and the canonical JSON of the object without
"mac" (hardening/journal.h).  A test that signs a hostile entry with the
key plays an attacker who has the key: what rollback refuses then is
refused by its checks of the tree, not by the MAC.
"""
import hashlib
import hmac
import json
import sys


def mac(key, obj):
    body = {k: v for k, v in obj.items() if k != "mac"}
    canon = json.dumps(body, sort_keys=True, separators=(",", ":"),
                       ensure_ascii=False).encode()
    return hmac.new(key, b"tattoo-journal-v1\0" + canon,
                    hashlib.sha256).hexdigest()


def main(argv):
    check = argv[1:2] == ["--check"]
    if check:
        argv = argv[1:]
    key = open(argv[1], "rb").read()
    for path in argv[2:]:
        obj = json.load(open(path))
        if check:
            return 0 if obj.get("mac") == mac(key, obj) else 1
        obj["mac"] = mac(key, obj)
        with open(path, "w") as f:
            json.dump(obj, f, indent=2)
    return 0


sys.exit(main(sys.argv))
