#!/bin/sh
# The README's quick start and image-build sequence are marked blocks
# (<!-- BEGIN NAME --> ... <!-- END NAME -->, tests/pipeline/readme-block.sh)
# and the build sequence is what make test-pipeline runs: a block a user
# can paste as it is (it parses, every variable it uses is set in it, no
# "..." placeholder), read by tests/pipeline/run.sh.
. "$(dirname "$0")/../lib.sh"

cd "$TT_TOP" || exit 2
for b in quick-start build-sequence; do
	sh tests/pipeline/readme-block.sh "$b" >"$T/$b" 2>"$T/$b.err"
	check "README: the $b block is marked, one non-empty code block" [ $? -eq 0 ]
	check "README: the $b block parses as sh" sh -n "$T/$b"
done
check "README: the build sequence sets every variable it uses, no placeholder" python3 -c '
import re, sys
seen, bad = set(), []
for n, line in enumerate(open(sys.argv[1]), 1):
    code = re.sub(r"\s#.*", "", line)
    for v in re.findall(r"\$\{?([A-Za-z_]\w*)", code):
        if v not in seen:
            bad.append("line %d: $%s is not set in the block" % (n, v))
    if re.search(r"(^|\s)\.\.\.(\s|$)", code):
        bad.append("line %d: a ... placeholder" % n)
    seen.update(re.findall(r"(?:^|\s)([A-Za-z_]\w*)=", code))
if bad:
    sys.exit("\n".join(bad))' "$T/build-sequence"
check "make test-pipeline runs the README build sequence" \
    grep -q 'readme-block.sh build-sequence' tests/pipeline/run.sh
done_testing
