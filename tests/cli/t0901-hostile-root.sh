#!/bin/sh
# A root that is missing, not a directory, or unreadable: refused at once
# with the root named.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

refused "missing root" 2 "$T/nope" "$TATTOO" --root "$T/nope" show
printf 'x' >"$T/file"
refused "root is a file" 2 "$T/file" "$TATTOO" --root "$T/file" show
ln -s "$T/nope" "$T/dangling"
refused "root is a dangling symlink" 2 "$T/dangling" \
    "$TATTOO" --root "$T/dangling" verify
refused "root is empty string" 2 "root" "$TATTOO" --root "" show

# Unreadable: $T is 0700 and owned by root; nobody cannot reach into it.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null &&
    id nobody >/dev/null 2>&1; then
	make_root "$T/r"
	chmod 0700 "$T"
	refused "root unreadable for the user" 4 "$T/r" \
	    setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$TATTOO" --root "$T/r" show
else
	pass "# SKIP root unreadable (needs root, setpriv and nobody)"
fi
done_testing
