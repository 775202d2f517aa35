#!/bin/sh
# Emits an assembler file that embeds each argument's bytes with .incbin and
# a table {name, data, size} that agent/embedded.h describes.  .incbin keeps
# the build free of xxd and of huge generated C arrays.
set -eu
top=$(pwd)
printf '\t.section .rodata\n'
i=0
for f in "$@"; do
	printf '.Ln%d:\t.string "%s"\n' "$i" "$(basename "$f")"
	printf '.Ld%d:\t.incbin "%s/%s"\n' "$i" "$top" "$f"
	printf '.Le%d:\t.byte 0\n' "$i"
	i=$((i + 1))
done
printf '\t.section .data.rel.ro\n\t.balign 8\n'
printf '\t.globl tt_embedded_files\ntt_embedded_files:\n'
j=0
while [ "$j" -lt "$i" ]; do
	printf '\t.quad .Ln%d, .Ld%d, .Le%d - .Ld%d\n' "$j" "$j" "$j" "$j"
	j=$((j + 1))
done
printf '\t.quad 0, 0, 0\n'
printf '\t.section .note.GNU-stack,"",@progbits\n'
