#!/bin/sh
# A command parses its options, calls one library function, prints and
# picks the exit code (STYLE.md): no function in agent/cmd_*.c is longer
# than 120 lines, counted from its opening brace at column 0 to its
# closing brace at column 0.  A longer one holds a use case that belongs
# one layer down.  Prints each one and exits 1; silent and 0 otherwise.
set -u
cd "$(dirname "$0")/.." || exit 2
max=${1:-120}
awk -v max="$max" '
FNR == 1 { start = 0; name = "" }
/^[A-Za-z_][A-Za-z0-9_]*\(/ { name = $0; sub(/\(.*/, "", name) }
/^\{/ { start = FNR }
/^\}/ && start {
	n = FNR - start + 1
	if (n > max) {
		printf "%s:%d: %s() is %d lines (at most %d in a command)\n",
		    FILENAME, start, name, n, max
		bad = 1
	}
	start = 0
}
END { exit bad }
' agent/cmd_*.c
