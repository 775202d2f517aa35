#!/bin/sh
# The gitleaks corpus judges a flagged false positive by gitleaks' rules as
# a whole (bench/scrub/corpus.py): its Python reading of gitleaks.toml
# (keywords, path, RE2 regex with inline flags scoped, secret group,
# entropy, global and rule allowlists, stopwords) must agree with every
# rule's own examples, as gitleaks' tests do, and must see each Anthropic
# rule's example of the other key kind as that rule's secret, a drawn
# value under a token key as generic-api-key's, and Stripe's task_test_
# negative as no rule's (its 'task' stopword).
. "$(dirname "$0")/../lib.sh"

corpus="$TT_TOP/bench/scrub/corpus.py"
run python3 "$corpus" judge
check "exit 0: no disagreement with gitleaks' own examples" [ "$rc" -eq 0 ]
check "every rule applied" contains "$T/out" "222 rules applied, 0 not evaluated, 0 disagreements"
check "an Anthropic admin key is anthropic-admin-api-key's secret" \
    contains "$T/out" "fp anthropic-api-key[2] reported by anthropic-admin-api-key"
check "a drawn token under nonMatchingToken is generic-api-key's" \
    contains "$T/out" "fp settlemint-service-access-token[1] reported by generic-api-key"
check "Stripe's task_test_ negative is no rule's" \
    sh -c '! grep -q "fp stripe-access-token" "$1"' - "$T/out"

# RE2's inline flags, which Python takes only at the start.
run python3 -c '
import sys
sys.path.insert(0, sys.argv[1])
import corpus
assert corpus._scope_flags("a(?i)b|c") == "a(?i:b)|(?i:c)"
r = corpus.go_regex("x(?:\"(?i)key: [a-z]{4}\"|\x27(?i)key: [a-z]{4}\x27)")
assert r.search("x\"KEY: AbCd\"") and r.search("x\x27Key: abcd\x27")
assert not corpus.go_regex("(?i)[[:alnum:]]{3}\\z").search("ab!")
print("ok")' "$TT_TOP/bench/scrub"
check "RE2 inline flags and POSIX classes read as RE2 means them" contains "$T/out" "ok"

# The builder reads what gitleaks' rule files declare in the shapes they
# use: a var ( ... ) block, a spread of a list (keys...), a statement
# after a comment whose bracket stays open, Go code that makes
# jwt-base64's examples, generic.go's newPlausibleSecret.  A synthetic checkout (no git: a directory).
mkdir -p "$T/gl/cmd/generate/config/utils" "$T/gl/cmd/generate/config/rules" \
    "$T/gl/config"
printf 'func GenerateSampleSecrets(identifier string, secret string) []string {\n\tsamples := map[string]string{\n\t\t"a": "{i}Token={s}",\n\t\t"b": "{i}_token: {s}",\n\t}\n\treplacer\n' \
    >"$T/gl/cmd/generate/config/utils/generate.go"
: >"$T/gl/config/gitleaks.toml"
cat >"$T/gl/cmd/generate/config/rules/x.go" <<'GO'
package rules

var shared = []string{"k-shared-1", "k-shared-2"}

func VarBlock() *config.Rule {
	r := config.Rule{
		RuleID: "var-block",
	}
	var (
		one = secrets.NewSecret(utils.Numeric("8") + ":A")
		two = "fixed-two"
	)
	tps := utils.GenerateSampleSecrets("vb", one)
	tps = append(tps, two)
	tps = append(tps, shared...)
	return utils.Validate(r, tps, nil)
}

func Bracket() *config.Rule {
	// (Note: rerun `go generate ./...` when this changes
	r := config.Rule{
		RuleID: "bracket",
	}
	tps := []string{"after-the-comment"}
	return utils.Validate(r, tps, nil)
}
GO
cat >"$T/gl/cmd/generate/config/rules/stopwords.go" <<'GO'
package rules

var DefaultStopWords = []string{
	"abc",
}
GO
cat >"$T/gl/cmd/generate/config/rules/generic.go" <<'GO'
package rules

func GenericCredential() *config.Rule {
	r := config.Rule{
		RuleID: "generic-api-key",
	}
	tps := []string{newPlausibleSecret(`[abc1]{12}`)}
	return utils.Validate(r, tps, nil)
}
GO
cat >"$T/gl/cmd/generate/config/rules/jwt.go" <<'GO'
package rules

func JWTBase64() *config.Rule {
	r := config.Rule{
		RuleID: "jwt-base64",
	}
	tps := generateTestValues()
	return utils.Validate(r, tps, nil)
}

func generateTestValues() []string {
	jwtSuffix := ".eyJzdWIiOiIxIn0.c2ln"
	headers := map[string][]string{
		"alg": {
			`"HS256"`,
		},
		"b64": {`true`},
	}
	var examples []string
	return examples
}
GO
# (the builder records the commit: a work tree needs a repository)
git -C "$T/gl" init -q 2>/dev/null && git -C "$T/gl" -c user.email=t@t -c user.name=t \
    commit -q --allow-empty -m x 2>/dev/null
run python3 "$corpus" build --gitleaks "$T/gl" --out "$T/c.b64"
check "the synthetic checkout builds" [ "$rc" -eq 0 ]
pychecks 5 "$TT_TOP/bench/scrub" "$T/c.b64" <<'PY'
import base64, re
sys.path.insert(0, sys.argv[1])
import corpus
r = corpus.load(sys.argv[2])["rules"]
with checked("a var ( ... ) block's values, a spread list's"):
    tps = r["var-block"]["tp"]
    assert len(tps) == 5, tps
    assert re.fullmatch(r"vbToken=[0-9]{8}:A", tps[0]), tps[0]
    assert tps[2:] == ["fixed-two", "k-shared-1", "k-shared-2"], tps
with checked("a statement after a comment with an open bracket"):
    assert r["bracket"]["tp"] == ["after-the-comment"], r["bracket"]
with checked("jwt-base64's examples: each header in four encodings"):
    tps = r["jwt-base64"]["tp"]
    assert len(tps) == 8, len(tps)
    inner = base64.b64decode(tps[0]).decode()
    assert inner == base64.urlsafe_b64encode(b'{"alg":"HS256"}').decode().rstrip("=") + ".eyJzdWIiOiIxIn0.c2ln", inner
with checked("the unpadded and URL forms"):
    assert tps[1] == tps[0].rstrip("=") and "=" not in tps[3], tps[:4]
with checked("newPlausibleSecret: drawn again until a digit and no stopword"):
    v = r["generic-api-key"]["tp"][0]
    assert re.fullmatch(r"[abc1]{12}", v) and "1" in v and "abc" not in v, v
PY
done_testing
