#!/usr/bin/env python3
"""The gitleaks corpus: tattoo scrub against gitleaks' own rule examples.

gitleaks (github.com/gitleaks/gitleaks) keeps, next to every rule of its
default configuration, the true positives it must find and the false
positives it must not (cmd/generate/config/rules/*.go, in `tps` and `fps`).
Many of those are generated when gitleaks' generator runs: a random value
from a regex (secrets.NewSecret) put into some thirty assignment syntaxes
(utils.GenerateSampleSecrets).  This script reads those Go files (it runs
no Go: the few Go expressions they use are evaluated here, random values
come from a seeded generator, so the corpus is the same on every run), and:

  corpus.py build --gitleaks CHECKOUT [--out FILE]
      writes the corpus (JSON, gzip, base64: the examples are public
      strings, but a file full of plain key-shaped strings would trip
      every secret scanner that reads this repository), with the commit
      it came from.
  corpus.py measure --tattoo BIN [--corpus FILE] [--table FILE]
      writes every example into its own file of a temporary tree, runs
      `tattoo scrub --check --root TREE --format json` once, and prints,
      per rule, the true positives found and the false positives flagged,
      of all and of those that no gitleaks rule reports (below).
  corpus.py judge [--corpus FILE]
      applies gitleaks' own rules to the examples, no tattoo: each rule
      must agree with its own examples; lists every false positive of one
      rule that another reports.

make bench runs `measure` on the pinned corpus (gitleaks-corpus.b64 here),
so it needs no network and no gitleaks checkout; `build` with a fetched
checkout at the pinned commit rebuilds the same file.  Nothing is sent
anywhere.
"""
import argparse
import base64
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile

try:
    import re._parser as sre_parse  # Python 3.11+
    from re import _constants as sre_c
except ImportError:  # pragma: no cover
    import sre_parse
    import sre_constants as sre_c

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "gitleaks-corpus.b64")
PINNED = "b58d3f102cf3a2c84cb7f923d05c25c9b1aed84b"
SEED = 20261205

# Examples that are not realistic: they break a documented layout or a
# checksum, or are typed placeholders.  Judged per example, by what the
# example holds, for every rule alike; each with the reason.


def _jwt_header_not_json(text):
    m = re.search(r"eyJ[A-Za-z0-9_-]+", text)
    if not m:
        return False
    part = m.group(0)
    try:
        json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        return False
    except ValueError:
        return True


def _b64_jwt_header_not_json(text):
    """The same, for a JWT encoded once more in base64 (jwt-base64)."""
    m = re.search(r"ZXlK[A-Za-z0-9+/_-]*=*", text)
    if not m:
        return False
    v = m.group(0).rstrip("=").replace("-", "+").replace("_", "/")
    try:
        inner = base64.b64decode(v + "=" * (-len(v) % 4)).decode()
    except ValueError:
        return False
    return _jwt_header_not_json(inner)


EXCLUDED = [
    # A run of six or more equal characters with nothing drawn beside it
    # is filler, not a key (AGE-SECRET-KEY-1QQQQ..., xoxa-2-511111111-...).
    (None, lambda t: re.search(r"AGE-SECRET-KEY-1Q{20}", t),
     "filler value (AGE-SECRET-KEY-1QQQQ...)"),
    (None, lambda t: "511111111-31111111111-3111111111111" in t,
     "filler value (511111111, 3111111111111)"),
    # Typed sequences: 12345678-ABCD-ABCD-ABCD-1234567890AB.
    (None, lambda t: re.search(r"12345678-?ABCD", t),
     "typed placeholder (12345678-ABCD-..., 12345678ABCDEFH...)"),
    # gitleaks draws Square's secrets from [0-9A-Za-z\\-_], where \\-_ is
    # the range from '\\' to '_': ']', '^' and '\\', which its own rule
    # ([\w-]) and Square's layout do not hold.
    ("square-secret", lambda t: re.search(r"sq0csp-[^\s\"']*[]^\\]", t),
     "drawn outside the layout (']', '^' or '\\')"),
    # The first field of a service-account key file alone: no key bytes
    # in it (a key file's private_key and private_key_id are found).
    ("gcp-service-account", lambda t: t.strip() == '"type": "service_account"',
     "a key file's type line alone, no key in it"),
    # A JWT whose header does not decode to JSON (RFC 7519 layout).
    ("jwt", _jwt_header_not_json, "JWT header that is not JSON"),
    ("jwt-base64", _b64_jwt_header_not_json, "JWT header that is not JSON"),
]


# The README's table is per family of rules; the first pattern that
# matches a rule id names its family.
FAMILIES = [
    ("private keys, age, PuTTY", r"^(private-key|age-secret-key|pkcs12-file)$"),
    ("AWS, Azure, GCP, Alibaba, Yandex, cloud hosts",
     r"^(aws|azure|gcp|alibaba|yandex|digitalocean|cloudflare|flyio|heroku|"
     r"scalingo|netlify|openshift|fastly|defined-networking|planetscale|"
     r"clickhouse|hashicorp|vault|doppler|pulumi|infracost|prefect|"
     r"octopus|harness|authress|1password)"),
    ("GitHub, GitLab, Bitbucket, CI, packages",
     r"^(github|gitlab|bitbucket|atlassian|npm|pypi|rubygems|clojars|nuget|"
     r"artifactory|jfrog|droneci|travisci|codecov|snyk|sonar|sourcegraph|"
     r"sidekiq|launchdarkly|postman|readme|rapidapi|sentry|grafana|"
     r"dynatrace|datadog|new-relic|sumologic|linear|confluent)"),
    ("chat and messaging (Slack, Teams, Discord, …)",
     r"^(slack|microsoft-teams|discord|telegram|mattermost|gitter|twilio|"
     r"sendgrid|sendinblue|sendbird|mailchimp|mailgun|messagebird|intercom|"
     r"zendesk|twitter|facebook|linkedin|twitch|flickr|beamer|notion|"
     r"dropbox|trello|asana)"),
    ("payments and commerce",
     r"^(stripe|square|shopify|plaid|coinbase|kraken|kucoin|bittrex|"
     r"flutterwave|gocardless|finicity|freshbooks|easypost|shippo|etsy|"
     r"duffel|lob|squarespace|freemius|settlemint|finnhub)"),
    ("AI and data services",
     r"^(openai|anthropic|perplexity|cohere|huggingface|privateai|"
     r"databricks|algolia|airtable|contentful|adafruit|mapbox|maxmind|"
     r"nytimes|typeform|frameio|looker)"),
    ("generic: curl, JWT, Kubernetes, passwords",
     r"^(curl|jwt|kubernetes|generic|hashicorp-tf-password)"),
    ("other vendors keyed by name", r"."),
]


def family(rid):
    if rid == "hashicorp-tf-password":
        return FAMILIES[6][0]
    return next(name for name, pat in FAMILIES if re.search(pat, rid))


def excluded(rid, text):
    """The reason an example is left out, or None."""
    if isinstance(text, dict):
        text = text["text"]
    for rule, test, why in EXCLUDED:
        if (rule is None or rule == rid) and test(text):
            return why
    return None


# ---- random values from a regex ----

ALNUM = [chr(c) for c in range(48, 58)] + [chr(c) for c in range(65, 91)] + \
    [chr(c) for c in range(97, 123)]


def _class_chars(items, icase):
    out = []
    neg = False
    for op, av in items:
        if op == sre_c.NEGATE:
            neg = True
        elif op == sre_c.LITERAL:
            out.append(chr(av))
        elif op == sre_c.RANGE:
            out.extend(chr(c) for c in range(av[0], av[1] + 1))
        elif op == sre_c.CATEGORY:
            if av == sre_c.CATEGORY_DIGIT:
                out.extend("0123456789")
            elif av == sre_c.CATEGORY_WORD:
                out.extend(ALNUM + ["_"])
            elif av == sre_c.CATEGORY_SPACE:
                out.append(" ")
            else:
                out.extend(ALNUM)
    if neg:
        out = [c for c in ALNUM if c not in out]
    if icase:
        out = out + [c.swapcase() for c in out]
    return sorted(set(out))


def _gen(tree, rng, icase, out):
    for op, av in tree:
        if op == sre_c.LITERAL:
            out.append(chr(av))
        elif op == sre_c.NOT_LITERAL:
            out.append("x" if chr(av) != "x" else "y")
        elif op == sre_c.ANY:
            out.append(rng.choice(ALNUM))
        elif op == sre_c.IN:
            out.append(rng.choice(_class_chars(av, icase)))
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT):
            lo, hi, sub = av
            hi = min(hi, lo + 8) if hi != sre_c.MAXREPEAT else lo + 8
            for _ in range(rng.randint(lo, hi)):
                _gen(sub, rng, icase, out)
        elif op == sre_c.SUBPATTERN:
            _, add, _, sub = av
            _gen(sub, rng, icase or bool(add & re.I), out)
        elif op == sre_c.BRANCH:
            _gen(rng.choice(av[1]), rng, icase, out)
        elif op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
            pass
        else:
            raise ValueError("regex op %s" % op)


def new_secret(regex, rng):
    """A value matching regex, as gitleaks' secrets.NewSecret (reggen)
    makes one: (?i) leaves letters in the case written."""
    regex = regex.replace("[[:alnum:]]", "[a-zA-Z0-9]").replace("\\z", "\\Z")
    regex = re.sub(r"\(\?-i:", "(?:", regex)
    flags = 0
    if regex.startswith("(?i)"):
        regex = regex[4:]
    regex = regex.replace("(?i)", "")
    tree = sre_parse.parse(regex, flags)
    out = []
    _gen(tree, rng, False, out)
    return "".join(out)


# ---- gitleaks' sample syntaxes (utils.GenerateSampleSecrets) ----

def read_samples(src):
    """The syntaxes map of GenerateSampleSecrets, read from generate.go."""
    body = src.split("func GenerateSampleSecrets", 1)[1]
    body = body.split("replacer", 1)[0]
    out = []
    for line in body.splitlines():
        line = line.strip()
        if line.startswith("//"):
            continue
        m = re.match(r'"[^"]*":\s*(.*),$', line)
        if m:
            out.append(go_literal(m.group(1)))
    return out


def go_literal(tok):
    if tok.startswith("`"):
        return tok[1:-1]
    return json.loads(tok)


# ---- a small evaluator for the Go expressions of the rule files ----

# A name with its package (utils.Numeric), never a spread's dots after it
# (append(tps, keys...)).
TOKEN = re.compile(r'\s*(//[^\n]*|/\*.*?\*/|`[^`]*`|"(?:\\.|[^"\\])*"|\.\.\.|:=|[A-Za-z_]\w*(?:\.\w+)*|'
                   r'[0-9]+|[-+(){}\[\],:=!<>*&|/%]|\S)', re.S)


class Eval:
    def __init__(self, rng, samples, helpers):
        self.rng = rng
        self.samples = samples
        self.helpers = helpers  # name -> list of examples (other funcs)
        self.vars = {}
        self.stopwords = None  # gitleaks' DefaultStopWords, when read

    def tokens(self, text):
        pos, out = 0, []
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if not m or m.end() == pos:
                break
            if not m.group(1).startswith(("//", "/*")):
                out.append(m.group(1))
            pos = m.end()
        return out

    def parse(self, toks, i):
        v, i = self.term(toks, i)
        while i < len(toks) and toks[i] == "+":
            w, i = self.term(toks, i + 1)
            v = v + w
        return v, i

    def args(self, toks, i):
        vals = []
        assert toks[i] == "("
        i += 1
        while toks[i] != ")":
            v, i = self.parse(toks, i)
            if toks[i] == "...":
                v = ("spread", v)
                i += 1
            vals.append(v)
            if toks[i] == ",":
                i += 1
        return vals, i + 1

    def term(self, toks, i):
        t = toks[i]
        if t[0] in "\"`":
            return go_literal(t), i + 1
        if t == "[" and toks[i + 1] == "]":
            # []string{...} or map[string]string{...}
            j = i + 3
            assert toks[j] == "{"
            return self.composite(toks, j)
        if t == "map":
            j = i
            while toks[j] != "{":
                j += 1
            return self.composite(toks, j, as_map=True)
        if toks[i + 1:i + 2] == ["("]:
            args, j = self.args(toks, i + 1)
            return self.call(t, args), j
        if t in self.vars:
            return self.vars[t], i + 1
        if t.isdigit():
            return t, i + 1
        raise ValueError("token " + t)

    def composite(self, toks, j, as_map=False):
        vals, j = [], j + 1
        while toks[j] != "}":
            v, j = self.parse(toks, j)
            if as_map and toks[j] == ":":
                w, j = self.parse(toks, j + 1)  # the path is the key
                v = {"path": v, "text": w}
            vals.append(v)
            if toks[j] == ",":
                j += 1
        return vals, j + 1

    def call(self, name, args):
        short = name.split(".")[-1]
        if short == "NewSecret":
            return new_secret(args[0], self.rng)
        if short == "newPlausibleSecret" and self.stopwords is not None:
            # generic.go: drawn again until it holds a digit 1-9 and no
            # stopword (gitleaks' ContainsStopWord: a substring, any case).
            for _ in range(10000):
                v = new_secret(args[0], self.rng)
                low = v.lower()
                if re.search(r"[1-9]", v) and \
                        not any(w in low for w in self.stopwords):
                    return v
            raise ValueError("newPlausibleSecret: no plausible draw")
        pats = {"Numeric": "[0-9]{%s}", "Hex": "[a-f0-9]{%s}",
                "AlphaNumeric": "[a-z0-9]{%s}",
                "AlphaNumericExtendedShort": "[a-z0-9_-]{%s}",
                "AlphaNumericExtended": "[a-z0-9=_\\-]{%s}",
                "AlphaNumericExtendedLong": "[a-z0-9\\/=_\\+\\-]{%s}"}
        if short in pats:
            return pats[short] % args[0]
        if short == "Hex8_4_4_4_12":
            return ("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                    "[0-9a-f]{12}")
        if short == "GenerateSampleSecret":
            return "%s_api_token = \"%s\"" % (args[0], args[1])
        if short == "GenerateSampleSecrets":
            return [s.replace("{i}", args[0]).replace(
                "{I}", args[0].upper()).replace("{s}", args[1])
                for s in self.samples]
        if short == "Sprintf":
            fmt = args[0]
            for a in args[1:]:
                fmt = re.sub(r"%[sdqv]", lambda m: str(a), fmt, count=1)
            return fmt
        if short == "Repeat":
            return args[0] * int(args[1])
        if short in ("ToUpper",):
            return args[0].upper()
        if short in ("ToLower",):
            return args[0].lower()
        if short == "append":
            out = list(args[0])
            for a in args[1:]:
                if isinstance(a, tuple):
                    out.extend(a[1])
                else:
                    out.append(a)
            return out
        if short in self.helpers:
            return self.helpers[short]
        raise ValueError("call " + name)

    def statement(self, text):
        """name := expr, name = expr, var name = expr."""
        toks = self.tokens(text)
        if not toks:
            return
        if toks[0] == "var":
            toks = toks[1:]
            if toks[1] not in ("=", ":="):
                toks = [toks[0]] + toks[2:]
        names = []
        i = 0
        while i < len(toks) and re.match(r"^[A-Za-z_]\w*$", toks[i]):
            names.append(toks[i])
            i += 1
            if toks[i] == ",":
                i += 1
        if i >= len(toks) or toks[i] not in (":=", "="):
            return
        v, j = self.parse(toks, i + 1)
        self.vars[names[0]] = v


def split_statements(body):
    """Top-level statements of a function body: by newline, joining lines
    while brackets are open."""
    out, cur, depth = [], [], 0
    for line in body.splitlines():
        # Brackets are counted in the code alone: not in a string, not in
        # a comment (authress.go's "// (Note: ... `go generate` ..." left
        # a bracket open and swallowed the rest of its function).
        s = re.sub(r'"(?:\\.|[^"\\])*"|`[^`]*`', '""', line).split("//")[0]
        cur.append(line)
        for ch in s:
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
        if depth <= 0:
            out.append("\n".join(cur))
            cur, depth = [], 0
    return out


def var_blocks(statements):
    """The statements, with each "var ( a = x \n b = y )" block as its
    own statements (telegram.go declares its tokens so)."""
    for st in statements:
        m = re.match(r"\s*var\s*\((.*)\)\s*$", st, re.S)
        if m:
            yield from split_statements(m.group(1))
        else:
            yield st


def jwt_base64_examples(src):
    """What jwt.go's generateTestValues returns, which is Go code rather
    than expressions: a JWT per header field and value of its map (the
    header {"KEY":VALUE} in base64url, then its fixed payload and
    signature), each in the four base64 encodings.  Keys sorted: Go's map
    order is random."""
    body = src.split("func generateTestValues", 1)[1]
    suffix = json.loads(re.search(r'jwtSuffix\s*:=\s*("[^"]*")', body).group(1))
    block = body.split("map[string][]string{", 1)[1].split("var examples", 1)[0]
    out = []
    for key, vals in sorted(re.findall(r'"(\w+)":\s*\{(.*?)\},\s*\n', block, re.S)):
        for value in re.findall(r"`([^`]*)`", vals):
            header = '{"%s":%s}' % (key, value)
            jwt = (base64.urlsafe_b64encode(header.encode()).decode().rstrip("=")
                   + suffix).encode()
            std = base64.b64encode(jwt).decode()
            url = base64.urlsafe_b64encode(jwt).decode()
            out += [std, std.rstrip("="), url, url.rstrip("=")]
    return out


def rule_functions(src):
    """(name, body) of every top-level func."""
    parts = re.split(r"\nfunc ", "\n" + src)
    for p in parts[1:]:
        m = re.match(r"(\w+)\(\)", p)
        if m:
            yield m.group(1), p


def build(checkout, out_path):
    commit = subprocess.check_output(
        ["git", "--git-dir", checkout, "rev-parse", "HEAD"]
        if os.path.isfile(os.path.join(checkout, "HEAD")) else
        ["git", "-C", checkout, "rev-parse", "HEAD"], text=True).strip()

    def show(path):
        if os.path.isfile(os.path.join(checkout, "HEAD")):
            return subprocess.check_output(
                ["git", "--git-dir", checkout, "show",
                 "%s:%s" % (commit, path)], text=True)
        return open(os.path.join(checkout, path)).read()

    def ls(path):
        if os.path.isfile(os.path.join(checkout, "HEAD")):
            return subprocess.check_output(
                ["git", "--git-dir", checkout, "ls-tree", "--name-only",
                 commit, path + "/"], text=True).split()
        return [os.path.join(path, f) for f in
                os.listdir(os.path.join(checkout, path))]

    samples = read_samples(show("cmd/generate/config/utils/generate.go"))
    stopwords = [w.lower() for w in re.findall(
        r'"([^"]+)"', show("cmd/generate/config/rules/stopwords.go")
        .split("DefaultStopWords", 1)[1])]
    rng = random.Random(SEED)
    rules, problems = {}, []
    for path in sorted(ls("cmd/generate/config/rules")):
        if not path.endswith(".go") or path.endswith("_test.go"):
            continue
        src = show(path)
        helpers = {}
        if "func generateTestValues()" in src:
            helpers["generateTestValues"] = jwt_base64_examples(src)
        top = Eval(rng, samples, helpers)
        for st in split_statements(src):
            st = st.strip()
            if re.match(r"^var\s+\w+\s*=", st):
                try:
                    top.statement(st)
                except (ValueError, IndexError, AssertionError, TypeError):
                    pass
        for fname, body in rule_functions(src):
            rid = re.search(r'RuleID:\s*"([^"]+)"', body)
            ev = Eval(rng, samples, helpers)
            ev.stopwords = stopwords
            ev.vars.update(top.vars)
            for st in var_blocks(split_statements(body.split("{", 1)[1])):
                st = st.strip()
                if not re.match(r"^(var\s+)?\w+(\s*,\s*\w+)*\s*(:?=)", st):
                    continue
                try:
                    ev.statement(st)
                except (ValueError, IndexError, AssertionError,
                        TypeError, re.error) as e:
                    if re.match(r"^(tps|fps|truePositives|falsePositives)",
                                st):
                        problems.append("%s: %s: %s" % (
                            rid.group(1) if rid else fname, st[:60], e))
            if rid is None:
                # a helper returning examples for other rules
                for k in ("tps", "fps"):
                    if k in ev.vars:
                        helpers[fname] = ev.vars[k]
                continue
            tps = ev.vars.get("tps", ev.vars.get("truePositives", []))
            fps = ev.vars.get("fps", ev.vars.get("falsePositives", []))
            flat = lambda v: [x for x in (v if isinstance(v, list) else [v])
                              if isinstance(x, (str, dict))]
            rules[rid.group(1)] = {"tp": flat(tps), "fp": flat(fps),
                                   "file": os.path.basename(path)}
            # A negative that gitleaks' source itself marks "// False
            # Negative" is a secret its regex misses, kept among the
            # negatives because its test can only assert what the regex
            # does (mailchimp.go).
            fn = [go_literal(m.group(1)) for m in re.finditer(
                r'//\s*False Negative\s*\n\s*(`[^`]*`|"(?:\\.|[^"\\])*")',
                body)]
            if fn:
                rules[rid.group(1)]["fp_false_negative"] = fn
    # gitleaks' configuration itself, so that measure can judge a
    # flagged example by all of gitleaks' rules without a checkout.
    doc = {"gitleaks_commit": commit, "seed": SEED, "rules": rules,
           "config": show("config/gitleaks.toml")}
    raw = gzip.compress(json.dumps(doc, sort_keys=True).encode(), mtime=0)
    with open(out_path, "w") as f:
        f.write("# gitleaks rule examples, JSON gzip base64, made by "
                "bench/scrub/corpus.py build from commit %s\n" % commit)
        b = base64.b64encode(raw).decode()
        for i in range(0, len(b), 76):
            f.write(b[i:i + 76] + "\n")
    for p in problems:
        print("not read: " + p, file=sys.stderr)
    print("%d rules, %d true and %d false positives, from %s" % (
        len(rules), sum(len(r["tp"]) for r in rules.values()),
        sum(len(r["fp"]) for r in rules.values()), commit[:12]))


# ---- gitleaks' own rules, applied in Python ----
#
# An example that gitleaks keeps as a false positive of rule X is only
# "not a secret" for X: it may be a true positive of rule Y (each Anthropic
# rule's example of the other Anthropic key kind) or one that gitleaks'
# generic-api-key reports.  To judge a flagged example by gitleaks' rules
# as a whole, every rule of config/gitleaks.toml (kept in the corpus) is
# applied here as gitleaks' detectRule applies it: keywords (case-
# insensitive prefilter), path, regex, the secret group (or the first
# non-empty group), entropy (the secret must be above it), the global
# allowlist, then the rule's allowlists (regexes on the secret, the match
# or the line; stopwords on the secret; OR or AND with paths).  Not
# modelled: gitleaks' decoding of base64/hex/percent segments, required
# (composite) rules, `gitleaks:allow` comments.  A regex Python's `re`
# cannot take as RE2 means is reported, and its rule is not evaluated.

POSIX_CLASSES = {"[:alnum:]": "a-zA-Z0-9", "[:alpha:]": "a-zA-Z",
                 "[:digit:]": "0-9", "[:xdigit:]": "0-9A-Fa-f",
                 "[:upper:]": "A-Z", "[:lower:]": "a-z",
                 "[:space:]": "\\s", "[:word:]": "\\w",
                 "[:punct:]": "!-/:-@\\[-`{-~"}


def _scope_flags(pat):
    """RE2 takes (?i) anywhere (it holds to the end of its group, over
    any | after it); Python only at the start.  A later one becomes
    (?i: ... ) to the next | or the group's end, reopened after a |."""
    out, i, stack, in_class = [], 0, [[]], False
    while i < len(pat):
        c = pat[i]
        if c == "\\":
            out.append(pat[i:i + 2])
            i += 2
            continue
        if in_class:
            out.append(c)
            in_class = c != "]"
            i += 1
            continue
        if c == "[":
            out.append(c)
            i += 1
            for lead in "^]":
                if i < len(pat) and pat[i] == lead:
                    out.append(lead)
                    i += 1
            in_class = True
            continue
        m = re.match(r"\(\?([imsU-]+)\)", pat[i:])
        if m and i > 0:
            if "U" in m.group(1):
                raise re.error("RE2 flag U")
            out.append("(?%s:" % m.group(1))
            stack[-1].append(m.group(1))
            i += m.end()
            continue
        if c == "(":
            stack.append([])
        elif c == ")":
            out.append(")" * len(stack.pop()))
        elif c == "|" and stack[-1]:
            out.append(")" * len(stack[-1]) + "|" +
                       "".join("(?%s:" % f for f in stack[-1]))
            i += 1
            continue
        out.append(c)
        i += 1
    out.append(")" * len(stack.pop()))
    return "".join(out)


def go_regex(pat):
    """A Go (RE2) regex as a Python one, ASCII classes as in RE2."""
    for k, v in POSIX_CLASSES.items():
        pat = pat.replace(k, v)
    pat = pat.replace("\\z", "\\Z")
    if "\\p{" in pat or "\\P{" in pat:
        raise re.error("Unicode classes")
    return re.compile(_scope_flags(pat), re.ASCII)


def _shannon(s):
    from math import log2
    if not s:
        return 0.0
    n = len(s)
    return -sum(c / n * log2(c / n) for c in
                (s.count(ch) for ch in set(s)))


class Allowlist:
    def __init__(self, d):
        self.target = d.get("regexTarget", "secret")
        self.cond_and = d.get("condition", "OR").upper() == "AND"
        self.regexes = [go_regex(r) for r in d.get("regexes", [])]
        self.paths = [go_regex(r) for r in d.get("paths", [])]
        self.stopwords = [w.lower() for w in d.get("stopwords", [])]

    def path_allowed(self, path):
        return bool(path) and any(r.search(path) for r in self.paths)

    def finding_allowed(self, secret, match, line, path):
        target = {"match": match, "line": line}.get(self.target, secret)
        rx = bool(target) and any(r.search(target) for r in self.regexes)
        sw = any(w in secret.lower() for w in self.stopwords)
        if self.cond_and:
            checks = []
            if self.paths:
                checks.append(self.path_allowed(path))
            if self.regexes:
                checks.append(rx)
            if self.stopwords:
                checks.append(sw)
            return bool(checks) and all(checks)
        return rx or sw


class GitleaksRule:
    def __init__(self, d):
        self.id = d["id"]
        self.regex = go_regex(d["regex"]) if "regex" in d else None
        self.path = go_regex(d["path"]) if "path" in d else None
        self.entropy = float(d.get("entropy", 0))
        self.group = int(d.get("secretGroup", 0))
        self.keywords = [k.lower() for k in d.get("keywords", [])]
        self.allow = [Allowlist(a) for a in d.get("allowlists", [])]
        if "allowlist" in d:
            self.allow.append(Allowlist(d["allowlist"]))

    def reports(self, text, path, glob):
        low = text.lower()
        if self.keywords and not any(k in low for k in self.keywords):
            return False
        if glob.path_allowed(path) or any(
                a.path_allowed(path) for a in self.allow
                if a.paths and not a.cond_and):
            return False
        if self.path is not None and not (path and self.path.search(path)):
            return False
        if self.regex is None:
            return self.path is not None
        for m in self.regex.finditer(text):
            match = m.group(0).strip("\n")
            g = self.regex.search(match)
            secret = match
            if g is not None and g.re.groups >= 1:
                if self.group > 0:
                    secret = g.group(self.group) or ""
                else:
                    secret = next((x for x in g.groups() if x), match)
            if self.entropy and _shannon(secret) <= self.entropy:
                continue
            lo = text.rfind("\n", 0, m.start()) + 1
            hi = text.find("\n", m.end())
            line = text[lo:hi if hi >= 0 else len(text)]
            if glob.finding_allowed(secret, match, line, path):
                continue
            if any(a.finding_allowed(secret, match, line, path)
                   for a in self.allow):
                continue
            return True
        return False


def gitleaks_rules(toml_text):
    """(rules, global allowlist, {rule id: why not evaluated})."""
    import tomllib
    cfg = tomllib.loads(toml_text)
    glob = Allowlist(cfg.get("allowlist", {}))
    rules, skipped = [], {}
    for d in cfg.get("rules", []):
        try:
            rules.append(GitleaksRule(d))
        except re.error as e:
            skipped[d["id"]] = str(e)
        if d.get("required"):
            skipped.setdefault(d["id"], "a composite rule (required)")
    return rules, glob, skipped


def reported_by(rules, glob, text, path, but):
    """The gitleaks rules other than `but` that report the example."""
    return [r.id for r in rules if r.id != but and
            r.reports(text + "\n", path, glob)]


def load(path):
    lines = [l for l in open(path) if not l.startswith("#")]
    return json.loads(gzip.decompress(base64.b64decode("".join(lines))))


def measure(tattoo, corpus, table_out, details=False):
    doc = load(corpus)
    work = tempfile.mkdtemp(prefix="tattoo-corpus-")
    root = os.path.join(work, "root")
    where = {}
    for rid, r in sorted(doc["rules"].items()):
        for kind in ("tp", "fp"):
            for n, text in enumerate(r[kind]):
                rel = "corpus/%s/%s-%03d.txt" % (rid, kind, n)
                if isinstance(text, dict):  # a file whose name matters
                    rel = "corpus/%s/%s-%03d/%s" % (
                        rid, kind, n, os.path.basename(text["path"]))
                    text = text["text"]
                p = os.path.join(root, rel)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "w") as f:
                    f.write(text + "\n")
                where["/" + rel] = (rid, kind, n)
    env = dict(os.environ, TATTOO_STATE_DIR=os.path.join(work, "state"))
    res = subprocess.run([tattoo, "--root", root, "scrub", "--check",
                          "--format", "json"], capture_output=True, env=env)
    out = json.loads(res.stdout)
    flagged = {}
    for f in out.get("findings", out.get("secrets", [])):
        if f.get("path") in where:
            flagged.setdefault(f["path"], []).append(f.get("detector", "?"))
    # A flagged false positive of rule X that another gitleaks rule
    # reports is a secret by gitleaks' rules as a whole: counted in the
    # raw figure, not against the target.
    grules, glob, skipped = gitleaks_rules(doc.get("config", ""))
    by_id = {g.id: g for g in grules}
    check = 0  # each rule on its own examples, as gitleaks' tests do
    for rid, r in doc["rules"].items():
        for kind in ("tp", "fp"):
            for text in r[kind] if rid in by_id else []:
                t, p = (text["text"], text["path"]) if isinstance(
                    text, dict) else (text, "")
                check += by_id[rid].reports(t + "\n", p, glob) != (
                    kind == "tp")
    # An example whose text is, byte for byte, one of gitleaks' own true
    # positives under another file name (nuget.config's password in
    # some.xml, Freemius' key in foo.html): gitleaks' path condition says
    # where that rule looks, not what a secret is, and an image leaks the
    # same bytes from any file name.
    tp_text = {}
    for trid, tr in doc["rules"].items():
        for text in tr["tp"]:
            if isinstance(text, dict):
                tp_text.setdefault(text["text"], (trid, text["path"]))
    others = {}
    rows, below = [], []
    tot = {"tp": 0, "tpf": 0, "fp": 0, "fpf": 0, "fpn": 0}
    left_out = {}
    for rid, r in sorted(doc["rules"].items()):
        tp_idx = []
        for i, text in enumerate(r["tp"]):
            why = excluded(rid, text)
            if why is None:
                tp_idx.append(i)
            else:
                left_out.setdefault(why, {}).setdefault(rid, 0)
                left_out[why][rid] += 1
        hit = set((k, i) for path, (rr, k, i) in where.items()
                  if rr == rid and path in flagged)
        tpf = sum(("tp", i) in hit for i in tp_idx)
        fpf = fpn = 0
        for i, text in enumerate(r["fp"]):
            if ("fp", i) not in hit:
                continue
            fpf += 1
            t, p = (text["text"], text["path"]) if isinstance(
                text, dict) else (text, "")
            rep = reported_by(grules, glob, t, p, rid)
            if t in r.get("fp_false_negative", []):
                rep = ["own source, which marks it a false negative"]
            elif not rep and p and t in tp_text:
                rep = ["%s true positive of %s (the same text)" % (
                    tp_text[t][1], tp_text[t][0])]
            if rep:
                others[(rid, i)] = rep
            else:
                fpn += 1
        tot["tp"] += len(tp_idx)
        tot["tpf"] += tpf
        tot["fp"] += len(r["fp"])
        tot["fpf"] += fpf
        tot["fpn"] += fpn
        tpp = 100.0 * tpf / len(tp_idx) if tp_idx else 100.0
        fpp = 100.0 * fpn / len(r["fp"]) if r["fp"] else 0.0
        rows.append((rid, len(tp_idx), tpf, tpp, len(r["fp"]), fpf, fpn))
        if tpp < 97 or fpp > 2:
            below.append(rows[-1])
    lines = ["| rule | TPs | found | FPs | flagged | flagged, no gitleaks "
             "rule reports |", "|---|---|---|---|---|---|"]
    for rid, nt, tf, tpp, nf, ff, fn in rows:
        lines.append("| %s | %d | %d (%.0f%%) | %d | %d | %d |" % (
            rid, nt, tf, tpp, nf, ff, fn))
    summary = ("gitleaks %s: %d rules; true positives found %d/%d (%.2f%%); "
               "false positives flagged %d/%d (%.1f%%), flagged that no "
               "gitleaks rule reports %d/%d (%.1f%%); rules below target "
               "(TP < 97%% or FP > 2%%): %d" % (
                   doc["gitleaks_commit"][:12], len(rows), tot["tpf"],
                   tot["tp"], 100.0 * tot["tpf"] / max(tot["tp"], 1),
                   tot["fpf"], tot["fp"],
                   100.0 * tot["fpf"] / max(tot["fp"], 1),
                   tot["fpn"], tot["fp"],
                   100.0 * tot["fpn"] / max(tot["fp"], 1), len(below)))
    summary += ("\ngitleaks' rules applied in Python: %d of %d; each on its "
                "own examples, %d disagreements with gitleaks' tests" % (
                    len(grules), len(grules) + len(skipped), check))
    for rid, why in sorted(skipped.items()):
        summary += "\n  not evaluated: %s (%s)" % (rid, why)
    for (rid, i), rep in sorted(others.items()):
        summary += "\nflagged %s fp[%d], a secret by gitleaks' %s" % (
            rid, i, ", ".join(rep))
    for why, rules in sorted(left_out.items()):
        summary += "\nexcluded, %s: %s" % (why, ", ".join(
            "%s %d" % (rid, n) for rid, n in sorted(rules.items())))
    fam = {}
    for rid, nt, tf, tpp, nf, ff, fn in rows:
        f = fam.setdefault(family(rid), [0] * 5)
        for k, v in enumerate((1, nt, tf, nf, fn)):
            f[k] += v
    flines = ["| family | rules | TPs found | FPs flagged that no gitleaks "
              "rule reports |", "|---|---|---|---|"]
    for name, _ in FAMILIES + [("all", None)]:
        f = fam.get(name) if name != "all" else [
            sum(x[k] for x in fam.values()) for k in range(5)]
        if f:
            flines.append("| %s | %d | %d of %d (%.2f%%) | %d of %d |" % (
                name, f[0], f[2], f[1], 100.0 * f[2] / max(f[1], 1),
                f[4], f[3]))
    print(summary)
    print("\n".join(flines))
    for rid, nt, tf, tpp, nf, ff, fn in below:
        print("  below: %s: TP %d/%d, FP %d/%d (%d that no gitleaks rule "
              "reports)" % (rid, tf, nt, ff, nf, fn))
    if table_out:
        with open(table_out, "w") as f:
            f.write(summary + "\n\n" + "\n".join(flines) + "\n\n" +
                    "\n".join(lines) + "\n")
    if details:
        # Every flagged false positive and every missed true positive,
        # with the example itself: what a change to the detectors must
        # explain.
        for path, (rid, kind, n) in sorted(where.items()):
            if kind == "tp" and excluded(
                    rid, doc["rules"][rid][kind][n]) is not None:
                continue
            hit = path in flagged
            if (kind == "fp") == hit:
                text = doc["rules"][rid][kind][n]
                if isinstance(text, dict):
                    text = "[%s] %s" % (text["path"], text["text"])
                rep = others.get((rid, n)) if kind == "fp" else None
                print("%s %s %s[%d] %s: %r%s" % (
                    "FLAGGED" if hit else "MISSED", rid, kind, n,
                    ",".join(flagged.get(path, [])), text[:300],
                    " (a secret by gitleaks' %s)" % ",".join(rep)
                    if rep else ""))
    subprocess.run(["rm", "-rf", work])
    return 0 if not below else 1


def judge(corpus):
    """Applies gitleaks' rules (as kept in the corpus) to every example,
    with no tattoo: each rule must report all of its own true positives
    and none of its false positives, as gitleaks' tests say; prints every
    false positive of one rule that another rule reports."""
    doc = load(corpus)
    grules, glob, skipped = gitleaks_rules(doc.get("config", ""))
    by_id = {g.id: g for g in grules}
    bad = 0
    for rid, r in sorted(doc["rules"].items()):
        for kind in ("tp", "fp"):
            for n, text in enumerate(r[kind]):
                t, p = (text["text"], text["path"]) if isinstance(
                    text, dict) else (text, "")
                if rid in by_id and by_id[rid].reports(
                        t + "\n", p, glob) != (kind == "tp"):
                    bad += 1
                    print("disagrees: %s %s[%d]" % (rid, kind, n))
                if kind == "fp":
                    rep = reported_by(grules, glob, t, p, rid)
                    if rep:
                        print("fp %s[%d] reported by %s" % (
                            rid, n, ",".join(rep)))
    for rid, why in sorted(skipped.items()):
        print("not evaluated: %s (%s)" % (rid, why))
    print("%d rules applied, %d not evaluated, %d disagreements" % (
        len(grules), len(skipped), bad))
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--gitleaks", required=True,
                   help="a gitleaks checkout or bare git directory")
    b.add_argument("--out", default=CORPUS)
    m = sub.add_parser("measure")
    m.add_argument("--tattoo", required=True)
    m.add_argument("--corpus", default=CORPUS)
    m.add_argument("--table")
    m.add_argument("--details", action="store_true",
                   help="print every flagged false positive and missed "
                   "true positive")
    j = sub.add_parser("judge", help="apply gitleaks' rules to the "
                       "examples, no tattoo needed")
    j.add_argument("--corpus", default=CORPUS)
    a = ap.parse_args()
    if a.cmd == "judge":
        return judge(a.corpus)
    if a.cmd == "build":
        build(a.gitleaks, a.out)
        return 0
    return measure(a.tattoo, a.corpus, a.table, a.details)


if __name__ == "__main__":
    sys.exit(main())
