#!/bin/sh
# The tree's layers (docs/HACKING.md): common includes only common;
# probes, common; hardening, probes and common; agent, everything below.
. "$(dirname "$0")/../lib.sh"

run sh "$TT_TOP/tools/check-layers.sh"
check "no include points up a layer" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$T/out"

# The checker itself catches an upward include.
mkdir -p "$T/tree/common" "$T/tree/probes" "$T/tree/hardening" \
    "$T/tree/agent" "$T/tree/tools"
cp "$TT_TOP/tools/check-layers.sh" "$T/tree/tools/"
printf '#include "cli.h"\n' >"$T/tree/common/x.c"
: >"$T/tree/agent/cli.h"
run sh "$T/tree/tools/check-layers.sh"
check "an upward include is found" [ "$rc" -eq 1 ]
check "... and named" contains "$T/out" 'common/x.c includes "cli.h"'
done_testing
