#!/bin/sh
# A write killed at the worst moment (after fsync, before rename) or at a
# random moment leaves the previous tattoo intact and valid.
. "$(dirname "$0")/../lib.sh"

R="$T/root"
make_root "$R"
W="$TATTOO --root $R"

expect_exit 0 "write --help" $TATTOO write --help
expect_exit 0 "first tattoo" $W write --image-name g --image-version 1.0.0 --no-imds
cp "$R/etc/tattoo/tattoo.json" "$T/first.json"

# Stop the writer between fsync and rename, then kill -9 it.
TATTOO_TEST_PAUSE=atomic-write $W write --image-name g --image-version 2.0.0 \
    --no-imds >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 600 ]; do
	state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' /proc/$pid/status 2>/dev/null)
	[ "$state" = T ] && break
	sleep 0.05
	i=$((i + 1))
done
check "writer stopped before the rename" test "$state" = T
kill -9 $pid
wait $pid 2>/dev/null
check "old tattoo intact after kill -9" cmp -s "$T/first.json" "$R/etc/tattoo/tattoo.json"
expect_exit 0 "old tattoo still verifies" $W verify
expect_exit 0 "a later write succeeds" $W write --image-name g --image-version 2.0.0 --no-imds
expect_exit 0 "and verifies" $W verify

# Random moments: the tattoo is always the old or the new one, whole.
torn=0
n=0
while [ $n -lt 30 ]; do
	cp "$R/etc/tattoo/tattoo.json" "$T/before.json"
	$W write --image-name g --image-version "3.$n" --no-imds >/dev/null 2>&1 &
	pid=$!
	sleep "0.0$(( (n * 7) % 10 ))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	if ! $W verify >/dev/null 2>&1; then torn=$((torn + 1)); fi
	n=$((n + 1))
done
check "no torn tattoo after 30 random kills" test $torn -eq 0

done_testing
