#!/bin/sh
# docs/: every JSON file parses; the Image Builder template does what the
# lifecycle needs in the right order; every `tattoo COMMAND --option` the
# docs show exists (or the command is one still being written); the man
# pages generated from docs/commands render without warnings; the
# Machine Configuration resource reads the exit codes and status.json
# fields that exist; the metrics the queries use are ones prom writes.
. "$(dirname "$0")/../lib.sh"

cd "$TT_TOP" || exit 2

for f in $(find docs -name '*.json' | sort); do
	check "$f parses as JSON" python3 -m json.tool "$f" /dev/null
done

# Commands of the product, from its own help; those being written on
# other branches are "planned" until they appear there.
"$TATTOO" --help >"$T/help" 2>&1
sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' "$T/help" >"$T/commands"
check "the command table lists write, show, verify" \
    sh -c "grep -qx write '$T/commands' && grep -qx show '$T/commands' && grep -qx verify '$T/commands'"
planned="audit harden rollback scrub report status rules"
for c in $(cat "$T/commands"); do
	"$TATTOO" "$c" --help >"$T/help-$c" 2>&1
done

python3 - "$T" "$planned" >"$T/why" 2>&1 <<'PY'
import json, os, re, shlex, sys
T, planned = sys.argv[1], sys.argv[2].split()
commands = open(os.path.join(T, "commands")).read().split()
GLOBAL_ARG = {"--root", "--config"}
GLOBAL_FLAG = {"-q", "-v", "--quiet", "--verbose", "--no-color"}
bad = []

def check_line(where, line):
    try:
        toks = shlex.split(line, comments=False, posix=True)
    except ValueError:
        toks = line.split()
    for i, t in enumerate(toks):
        if t != "tattoo" and not t.endswith("/tattoo"):
            continue
        j = i + 1
        while j < len(toks) and (toks[j] in GLOBAL_FLAG or toks[j] in GLOBAL_ARG):
            j += 2 if toks[j] in GLOBAL_ARG else 1
        if j >= len(toks) or toks[j] in ("--version", "--help", "help"):
            continue
        cmd = toks[j]
        if cmd.startswith(("[", "(", "$")) or cmd == "COMMAND":
            continue
        if cmd not in commands and cmd not in planned:
            bad.append("%s: unknown command 'tattoo %s'" % (where, cmd))
            continue
        if cmd not in commands:
            continue
        helptext = open(os.path.join(T, "help-" + cmd)).read()
        for opt in toks[j + 1:]:
            if opt in (";", "|", "||", "&&", ">", "2>") or opt.startswith((">", "|")):
                break
            if opt.startswith("--"):
                name = opt.split("=")[0]
                if name not in GLOBAL_ARG and name not in GLOBAL_FLAG \
                        and not re.search(re.escape(name) + r"\b", helptext):
                    bad.append("%s: 'tattoo %s %s' is not in its --help" % (where, cmd, name))

# Code blocks of the markdown docs and the README.
md = ["README.md", "docs/queries.md", "docs/azure/machine-configuration/README.md"]
md += ["docs/commands/" + f for f in sorted(os.listdir("docs/commands"))]
for path in md:
    inside = False
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if line.startswith("```"):
            inside = not inside
            continue
        if inside:
            check_line("%s:%d" % (path, n), line.rstrip("\\\n"))
        for span in re.findall(r"`(tattoo [^`]*)`", line):
            check_line("%s:%d" % (path, n), span)

# The Image Builder template: File then Shell customizers, the lifecycle
# order, the gallery version as a parameter into the tattoo, validation.
tpl = json.load(open("docs/azure/image-builder.json"))
res = [r for r in tpl["resources"]
       if r["type"] == "Microsoft.VirtualMachineImages/imageTemplates"]
if len(res) != 1:
    bad.append("image-builder.json: no imageTemplates resource")
else:
    props = res[0]["properties"]
    cust = props["customize"]
    types = [c["type"] for c in cust]
    if types[0] != "File" or "Shell" not in types:
        bad.append("image-builder.json: customizers %s, want File then Shell" % types)
    for c in cust:
        if c["type"] == "File" and not {"sourceUri", "destination"} <= c.keys():
            bad.append("image-builder.json: File customizer lacks sourceUri/destination")
        if c["type"] == "Shell" and not ("inline" in c) ^ ("scriptUri" in c):
            bad.append("image-builder.json: Shell customizer needs inline or scriptUri")
    def text(c):
        return " ".join(c.get("inline", []))
    variables = tpl.get("variables", {})
    def expand(s):
        s = re.sub(r"\[variables\('(\w+)'\)\]", lambda m: variables[m.group(1)], s)
        # The literal of an ARM format() expression, as the shell sees it.
        m = re.match(r"^\[format\('((?:[^']|'')*)'", s)
        return m.group(1).replace("''", "'") if m else s
    # Line by line: each line is its own ARM expression or literal.
    steps = [" ".join(expand(l) for l in c.get("inline", [])) for c in cust]
    order = ["apt-get install", "tattoo harden", "tattoo write",
             "tattoo audit", "tattoo scrub --apply"]
    pos = []
    for o in order:
        hit = [i for i, s in enumerate(steps) if o in s]
        if not hit:
            bad.append("image-builder.json: no step runs '%s'" % o)
        pos.append(hit[0] if hit else -1)
    if pos != sorted(pos):
        bad.append("image-builder.json: steps out of order: %s" % pos)
    # The gate and the evidence from one audit (--output FORMAT:FILE).
    if not any(re.search(r"tattoo audit .*--output junit:\S+ .*--fail-on high", s)
               and re.search(r"tattoo audit .*--output html:\S+", s) and
               s.count("tattoo audit") == 1 for s in steps):
        bad.append("image-builder.json: no step audits once to junit and html with --fail-on high")
    if "tattoo scrub" not in steps[-1]:
        bad.append("image-builder.json: the scrub is not the last customizer")
    if "parameters('galleryImageVersion')" not in variables.get("tattooWrite", "") \
            or "--image-version" not in variables.get("tattooWrite", ""):
        bad.append("image-builder.json: the gallery version parameter does not reach tattoo write")
    if "galleryImageVersion" not in tpl["parameters"]:
        bad.append("image-builder.json: no galleryImageVersion parameter")
    vals = props.get("validate", {}).get("inVMValidations", [])
    if not vals or not any("tattoo verify" in text(v) for v in vals):
        bad.append("image-builder.json: inVMValidations do not verify the tattoo")
    for c in cust + vals:
        for line in c.get("inline", []):
            check_line("image-builder.json:%s" % c["name"], expand(line))
        if c.get("type") == "Shell":
            for line in c.get("inline", []):
                if line.startswith("[") and not line.endswith("]"):
                    bad.append("image-builder.json: a half ARM expression: %s" % line)
                if "[parameters(" in line and not line.startswith("["):
                    bad.append("image-builder.json: ARM expression inside a literal: %s" % line)

# Machine Configuration: exit codes of DESIGN.md, status.json fields that
# exist in its schema.
psm = open("docs/azure/machine-configuration/TattooCompliance/TattooCompliance.psm1").read()
if "'audit'" not in psm or "$LASTEXITCODE" not in psm:
    bad.append("TattooCompliance.psm1: Test does not run tattoo audit and read its exit code")
for code, meaning in (("0", "$true"), ("1", "$false")):
    if not re.search(r"\b%s \{ return \%s \}" % (code, meaning), psm):
        bad.append("TattooCompliance.psm1: exit %s is not %s" % (code, meaning))
schema = json.load(open("docs/schema/status.schema.json"))
audit = schema["properties"]["audit"]["properties"]
for field in ("compliant", "reasons", "profile", "score"):
    if field not in audit or ("audit.%s" % field) not in psm and field != "reasons":
        bad.append("TattooCompliance.psm1 / status schema disagree on audit.%s" % field)
for field in ("code", "phrase"):
    if field not in audit["reasons"]["items"]["properties"] or "$r.%s" % field not in psm:
        bad.append("TattooCompliance.psm1 / status schema disagree on reasons[].%s" % field)

if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
check "docs: commands, options, template, policy agree with the product" \
    [ $? -eq 0 ]
[ -s "$T/why" ] && sed 's/^/# /' "$T/why"

# The output formats the docs name are the table's (agent/format.c), as
# the generated --format line of each command's --help lists them.
python3 - "$T" >"$T/why-formats" 2>&1 <<'PY'
import os, re, sys
T = sys.argv[1]
bad = []

def help_formats(cmd):
    for line in open(os.path.join(T, "help-" + cmd)):
        m = re.match(r"^  --format FORMAT +(.*)$", line)
        if m:
            return [n.replace("(default)", "").strip() for n in m.group(1).split(",")]
    return None

def bullet(path, start):
    """The text of the markdown bullet that starts with start."""
    lines = open(path, encoding="utf-8").read().split("\n")
    for i, l in enumerate(lines):
        if l.startswith(start):
            text = l
            for more in lines[i + 1:]:
                if not more.startswith("  "):
                    break
                text += " " + more.strip()
            return text
    return ""

def section_bullets(path, title):
    names, inside = [], False
    for l in open(path, encoding="utf-8"):
        if l.startswith("## "):
            inside = l.strip() == "## " + title
        elif inside:
            m = re.match(r"^- `([a-z]+)`:", l)
            if m:
                names.append(m.group(1))
    return names

table = None
for cmd in ("audit", "scrub"):
    names = help_formats(cmd)
    # The usage is generated into a buffer: cut, it would lose its end.
    if "Exit:" not in open(os.path.join(T, "help-" + cmd)).read():
        bad.append("tattoo %s --help is cut before its Exit: line" % cmd)
    if not names:
        bad.append("tattoo %s --help has no --format line" % cmd)
        continue
    table = table or names
    page = "docs/commands/%s.md" % cmd
    opt = re.findall(r"`([a-z]+)`", bullet(page, "- `--format FORMAT`:").split(":", 1)[-1])
    if opt != names:
        bad.append("%s: --format lists %s, the table %s" % (page, opt, names))
    listed = section_bullets(page, "OUTPUT FORMATS")
    if listed and listed != names:
        bad.append("%s: OUTPUT FORMATS lists %s, the table %s" % (page, listed, names))
if table:
    rows = open("README.md").read().split("| `--format` | for |", 1)[-1]
    rows = rows.split("\n\n", 1)[0]
    readme = re.findall(r"^\| `([a-z]+)` \|", rows, re.M)
    if readme != [n for n in table if n != "text"]:
        bad.append("README.md: the --format table lists %s, the table %s" % (readme, table))
if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
check "docs list the output formats of the table, in its order" [ $? -eq 0 ]
[ -s "$T/why-formats" ] && sed 's/^/# /' "$T/why-formats"

# The metrics docs/queries.md uses are ones the prom writer emits.
"$TT_TOP/build/san/tests/test_format_driver" prom audit \
    docs/schema/examples/audit.json docs/schema/examples/tattoo.json \
    docs/schema/examples/drift.json >"$T/metrics.prom"
for m in $(grep -o 'tattoo_[a-z_]*' docs/queries.md | sort -u); do
	check "queries.md metric $m is written by the prom format" \
	    grep -q "^$m[{ ]" "$T/metrics.prom"
done

# Man pages: one per command page, rendered without a groff warning.
mkdir -p "$T/man"
for f in docs/commands/*.md; do
	n=$(basename "$f" .md)
	[ "$n" = tattoo ] && page=tattoo.8 || page="tattoo-$n.8"
	check "$page generated" \
	    sh -c "python3 tools/md2man.py 0.0 2026-01-01 '$f' >'$T/man/$page'"
	groff -man -Tutf8 -ww -z "$T/man/$page" >"$T/groff.err" 2>&1
	check "$page renders without groff warnings" [ ! -s "$T/groff.err" ]
	MANWIDTH=80 man -l "$T/man/$page" >"$T/rendered" 2>/dev/null
	check "$page has NAME and SYNOPSIS or DESCRIPTION" \
	    sh -c "grep -q '^NAME' '$T/rendered' && grep -Eq '^(SYNOPSIS|DESCRIPTION)' '$T/rendered'"
done
for c in $(cat "$T/commands") $planned; do
	check "command $c has a page" [ -f "docs/commands/$c.md" ]
done
check "md2man refuses a page without its title line" \
    sh -c "printf 'no title\n' >'$T/bad.md'; ! python3 tools/md2man.py 0 x '$T/bad.md' >/dev/null 2>&1"
printf '# t(8) -- x\n\n.dangerous line\n\\\\backslash `--opt`\n' >"$T/esc.md"
python3 tools/md2man.py 0 x "$T/esc.md" >"$T/esc.8"
check "md2man escapes leading dots and backslashes" \
    sh -c "grep -qF '\\&.dangerous line' '$T/esc.8' && grep -qF '\\ebackslash \\fB\\-\\-opt\\fR' '$T/esc.8'"

done_testing
