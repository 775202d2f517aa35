#!/bin/sh
# tattoo audit: usage and usage errors.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/audit-fixtures.sh"

expect_exit 0 "audit --help" "$TATTOO" audit --help
check "usage names the options" contains "$T/out" "--profile"
expect_exit 0 "help audit" "$TATTOO" help audit
expect_exit 2 "unknown option" "$TATTOO" audit --bogus
expect_exit 2 "unexpected argument" "$TATTOO" audit extra
compliant_root "$T/root"
expect_exit 2 "unknown format" "$TATTOO" audit --root "$T/root" \
    --rules "$PACK" --format yaml
check "format error names it" contains "$T/err" "unknown format 'yaml'"
done_testing
