#!/bin/sh
# The layers of the tree (docs/HACKING.md): common -> probes -> hardening
# -> agent.  A file includes headers of its own layer and the layers below
# it, never above: an include that points up a layer is a design bug.
# Prints each one and exits 1; silent and 0 when the layers hold.
# (One awk over every file: a process per file made it seconds.)
set -u
cd "$(dirname "$0")/.." || exit 2
{
	# The headers that exist, "DIR/NAME", then the files to check.
	find common probes hardening agent build/gen -name '*.h' 2>/dev/null |
	    sort
	echo "--"
	find common probes hardening agent -name '*.[ch]' | sort
} | awk '
	BEGIN {
		# A layer and, after it, the directories it may include from.
		allow["common"] = "common"
		allow["probes"] = "probes common"
		allow["hardening"] = "hardening common probes"
		allow["agent"] = "agent common probes hardening build/gen"
	}
	!listed && $0 == "--" { listed = 1; next }
	!listed {
		have[$0] = 1
		n = split($0, p, "/")
		if (!(p[n] in where))
			where[p[n]] = $0
		next
	}
	{
		f = $0
		layer = f; sub(/\/.*/, "", layer)
		here = f; sub(/\/[^\/]*$/, "", here)
		nd = split(here " " allow[layer], dirs, " ")
		while ((getline line < f) > 0) {
			if (line !~ /^#include "/)
				continue
			h = line
			sub(/^#include "/, "", h); sub(/".*/, "", h)
			ok = 0
			for (i = 1; i <= nd && !ok; i++)
				ok = ((dirs[i] "/" h) in have)
			if (ok)
				continue
			w = (h in where) ? where[h] : "not found"
			printf "%s includes \"%s\" (%s): not in its layer or below\n",
			    f, h, w
			bad = 1
		}
		close(f)
	}
	END { exit bad }'
