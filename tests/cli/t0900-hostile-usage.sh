#!/bin/sh
# Unknown commands and options, missing arguments: usage errors (exit 2)
# that name what was wrong.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

make_root "$T/r"
refused "unknown command" 2 "frobnicate" "$TATTOO" frobnicate
refused "unknown command after global options" 2 "frobnicate" \
    "$TATTOO" --root "$T/r" frobnicate
refused "help for an unknown command" 2 "nosuch" "$TATTOO" help nosuch
refused "unknown global option" 2 "usage:" "$TATTOO" --frobnicate show
refused "unknown option of show" 2 "usage: tattoo show" \
    "$TATTOO" --root "$T/r" show --frobnicate
refused "unknown option of verify" 2 "usage: tattoo verify" \
    "$TATTOO" --root "$T/r" verify --nope
refused "unknown option of write" 2 "usage: tattoo write" \
    "$TATTOO" --root "$T/r" write --nope
refused "--root without its argument" 2 "root" "$TATTOO" show --root
refused "no command" 2 "usage:" "$TATTOO"
refused "write without --image-name" 2 "--image-name" \
    "$TATTOO" --root "$T/r" write --image-version 1
refused "write with a malformed --source" 2 "a:b:c" \
    "$TATTOO" --root "$T/r" write --image-name x --image-version 1 \
    --source a:b:c
refused "write with --published out of range" 2 "9999-12-31T23:59:59-01:00" \
    "$TATTOO" --root "$T/r" write --image-name x --image-version 1 \
    --no-imds --published 9999-12-31T23:59:59-01:00
refused "write with a binary --published" 2 "--published" \
    "$TATTOO" --root "$T/r" write --image-name x --image-version 1 \
    --no-imds --published "$(printf '\001\377\376')"
refused "show with an unexpected argument" 2 "usage: tattoo show" \
    "$TATTOO" --root "$T/r" show extra
refused "an overlong option value is no crash" 2 "usage: tattoo show" \
    "$TATTOO" --root "$T/r" show --json --field \
    "$(head -c 100000 /dev/zero | tr '\0' a)"
done_testing
