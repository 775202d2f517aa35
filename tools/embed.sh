#!/bin/sh
# Emits an assembler file that embeds each argument's bytes with .incbin and
# a table {name, data, size, sha256} that agent/embedded.h describes.
# .incbin keeps the build free of xxd and of huge generated C arrays; the
# digest is taken here so that the agent does not hash a pack of hundreds
# of kilobytes on every run (a fifth of a report round's CPU).  Names and
# digests stand together before all the data: a lookup by name then reads
# one page, where names beside their data made the kernel map 64 KB
# around each (fault-around), half a megabyte of an audit's memory.
set -eu
top=$(pwd)
printf '\t.section .rodata\n'
i=0
for f in "$@"; do
	sum=$(sha256sum "$f" | cut -c1-64)
	[ ${#sum} -eq 64 ] || { echo "embed.sh: cannot hash $f" >&2; exit 1; }
	printf '.Ln%d:\t.string "%s"\n' "$i" "$(basename "$f")"
	printf '.Lh%d:\t.byte %s\n' "$i" \
	    "$(printf '%s' "$sum" | sed 's/../0x&,/g; s/,$//')"
	i=$((i + 1))
done
i=0
for f in "$@"; do
	printf '\t.balign 64\n'
	printf '.Ld%d:\t.incbin "%s/%s"\n' "$i" "$top" "$f"
	printf '.Le%d:\t.byte 0\n' "$i"
	i=$((i + 1))
done
printf '\t.section .data.rel.ro\n\t.balign 8\n'
printf '\t.globl tt_embedded_files\ntt_embedded_files:\n'
j=0
while [ "$j" -lt "$i" ]; do
	printf '\t.quad .Ln%d, .Ld%d, .Le%d - .Ld%d, .Lh%d\n' \
	    "$j" "$j" "$j" "$j" "$j"
	j=$((j + 1))
done
printf '\t.quad 0, 0, 0, 0\n'
printf '\t.section .note.GNU-stack,"",@progbits\n'
