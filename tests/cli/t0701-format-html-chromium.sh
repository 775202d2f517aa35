#!/bin/sh
# The HTML report renders in headless Chromium: a screenshot and a PDF
# (print CSS) are produced, the rendered DOM holds every failing rule and
# every scrub finding, and the page references nothing outside itself.
# Chromium comes from Debian's package (tools/deps.sh).
. "$(dirname "$0")/../lib.sh"

D="$TT_TOP/build/san/tests/test_format_driver"
E="$TT_TOP/docs/schema/examples"

chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then
	fail "chromium is not installed: run 'make deps'"
	done_testing
	exit 1
fi

# chromium_run OUTFILE ARGS...: headless, no network, a throw-away
# profile; the DOM (with --dump-dom) goes to OUTFILE.
chromium_run() {
	out=$1; shift
	profile=$(mktemp -d "$T/profile-XXXXXX")
	timeout 120 "$chrome" --headless --no-sandbox --disable-gpu \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --no-first-run --disable-extensions \
	    --user-data-dir="$profile" "$@" >"$out" 2>"$T/chromium.err"
}

expect_exit 0 "html of the audit example" "$D" html audit "$E/audit.json" \
    "$E/tattoo.json" "$E/drift.json" "$E/scrub.json"
cp "$T/out" "$T/audit.html"

chromium_run "$T/dom.html" --window-size=1000,1400 \
    --screenshot="$T/audit.png" "file://$T/audit.html"
check "chromium rendered a screenshot" \
    python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(not (d[:8]==b"\x89PNG\r\n\x1a\n" and len(d) > 20000))' "$T/audit.png"
chromium_run "$T/dom.html" --dump-dom "file://$T/audit.html"
check "chromium dumped the DOM" contains "$T/dom.html" "</html>"

# Each failing rule (fail or error) is in the rendered DOM with its
# title, found and expected text; passing rules are not among them.
python3 - "$E/audit.json" "$T/dom.html" >"$T/why" 2>&1 <<'PY'
import html.parser, json, sys
doc = json.load(open(sys.argv[1]))
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.articles = {}
        self.cur = None
        self.external = []
        self.manual = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("src", "href", "srcset", "action", "poster"):
            if k in a:
                self.external.append((tag, k, a[k]))
        if tag == "article":
            self.cur = a.get("id")
            # Manual rules are articles too ("To review"), counted apart.
            if a.get("data-result") == "manual":
                self.manual += 1
                self.cur = None
            else:
                self.articles[self.cur] = ""
    def handle_endtag(self, tag):
        if tag == "article":
            self.cur = None
    def handle_data(self, data):
        if self.cur:
            self.articles[self.cur] += data
p = P()
p.feed(open(sys.argv[2], encoding="utf-8").read())
bad = []
failing = [r for r in doc["results"] if r["result"] in ("fail", "error")]
for r in failing:
    text = p.articles.get("rule-" + r["id"])
    if text is None:
        bad.append("missing " + r["id"])
        continue
    for key in ("title", "found", "expected", "rationale"):
        if r.get(key) and r[key] not in text:
            bad.append("%s: %s not shown" % (r["id"], key))
if len(p.articles) != len(failing):
    bad.append("%d articles for %d failing rules" % (len(p.articles), len(failing)))
manual = [r for r in doc["results"] if r["result"] == "manual"]
if p.manual != len(manual):
    bad.append("%d review articles for %d manual rules" % (p.manual, len(manual)))
if p.external:
    bad.append("external references: %r" % p.external)
if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
check "the DOM holds each failing rule, and nothing external" [ $? -eq 0 ]
[ -s "$T/why" ] && sed 's/^/# /' "$T/why"

ok=true
for p in $(python3 -c 'import json,sys; print(" ".join(f["path"] for f in json.load(open(sys.argv[1]))["findings"]))' "$E/scrub.json"); do
	contains "$T/dom.html" "$p" || { ok=false; echo "# missing $p"; }
done
check "the audit DOM holds the findings of the image's scrub" $ok
check "the audit DOM shows the tattoo at the top" \
    python3 -c 'import sys; d=open(sys.argv[1]).read(); t=d.find("id=\"tattoo\""); s=d.find("id=\"score\""); sys.exit(not (0 < t < s))' "$T/dom.html"

chromium_run "$T/pdf.out" --print-to-pdf="$T/audit.pdf" \
    --no-pdf-header-footer "file://$T/audit.html"
check "chromium prints it to PDF" \
    python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(not (d[:5]==b"%PDF-" and len(d) > 10000))' "$T/audit.pdf"

expect_exit 0 "html of the scrub example" "$D" html scrub "$E/scrub.json" \
    "$E/tattoo.json"
cp "$T/out" "$T/scrub.html"
chromium_run "$T/sdom.html" --dump-dom "file://$T/scrub.html"
ok=true
for p in $(python3 -c 'import json,sys; print(" ".join(f["path"] for f in json.load(open(sys.argv[1]))["findings"]))' "$E/scrub.json"); do
	contains "$T/sdom.html" "$p" || { ok=false; echo "# missing $p"; }
done
check "the scrub DOM holds every finding" $ok
check "the scrub DOM shows the tattoo" contains "$T/sdom.html" "web-base"

done_testing
