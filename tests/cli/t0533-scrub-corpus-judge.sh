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
done_testing
