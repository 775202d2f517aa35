#!/bin/sh
# The tree's layers (docs/HACKING.md): common includes only common;
# probes, common; hardening, probes and common; agent, everything below.
# And commands only parse, call one function and print: no function in
# agent/cmd_*.c over 120 lines (tools/check-cmd-size.sh).
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

run sh "$TT_TOP/tools/check-cmd-size.sh"
check "no function in a command over 120 lines" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$T/out"

# The size checker catches a long one, and names it.
cp "$TT_TOP/tools/check-cmd-size.sh" "$T/tree/tools/"
{ printf 'int\ncmd_long(void)\n{\n'
  i=0; while [ $i -lt 130 ]; do printf '\tx();\n'; i=$((i + 1)); done
  printf '}\n'; } >"$T/tree/agent/cmd_long.c"
run sh "$T/tree/tools/check-cmd-size.sh"
check "a long command function is found" [ "$rc" -eq 1 ]
check "... and named" contains "$T/out" "agent/cmd_long.c:3: cmd_long() is 132 lines"
done_testing
