"""Checks that an audit's HTML names each failing rule's titled subsection.

    html_subsections.py AUDIT.json AUDIT.html

Every failing (or erroring) rule whose CIS number sits under a titled
section of the JSON's "sections" (the nearest one above it, two levels
or deeper) shows "<dt>CIS</dt><dd>N.M.K (N.M Title)</dd>" in the HTML,
and at least one such rule exists.  Shared by the section-title tests
(t0709, t0718).
"""
import json
import sys

doc = json.load(open(sys.argv[1]))
html = open(sys.argv[2]).read()
sections = doc["sections"]
seen = 0
for r in doc["results"]:
    cis = r["references"].get("cis", "")
    if r["result"] not in ("fail", "error") or cis.count(".") < 2:
        continue
    up = cis.rsplit(".", 1)[0]
    while up not in sections and up.count(".") > 1:
        up = up.rsplit(".", 1)[0]
    if up in sections:
        seen += 1
        dd = "<dt>CIS</dt><dd>%s (%s %s)</dd>" % (cis, up, sections[up])
        assert dd in html, dd
assert seen > 0, "no failing rule under a titled subsection"
