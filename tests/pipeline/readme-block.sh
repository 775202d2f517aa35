#!/bin/sh
# readme-block.sh NAME: the lines of the one fenced code block between
# README.md's <!-- BEGIN NAME ... --> and <!-- END NAME --> markers, as a
# user copies them.  Exit 1, with a message, when the markers are
# missing or do not hold exactly one non-empty block: what
# tests/pipeline/run.sh runs must be what the README shows.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
name=${1:?usage: readme-block.sh NAME}
sed -n "/^<!-- BEGIN ${name}[ :]/,/^<!-- END ${name} -->/p" "$top/README.md" | awk -v name="$name" '
	NR == 1 { begun = 1; next }
	/^<!-- END / { ended = 1; next }
	/^```/ { fence++; next }
	fence == 1 { print; n++; next }
	fence != 1 && NF { stray = 1 }
	END {
		if (!begun || !ended) { print "README.md: no <!-- BEGIN " name " --> ... <!-- END " name " --> markers" > "/dev/stderr"; exit 1 }
		if (fence != 2 || stray || !n) { print "README.md: the " name " markers must hold exactly one non-empty code block" > "/dev/stderr"; exit 1 }
	}'
