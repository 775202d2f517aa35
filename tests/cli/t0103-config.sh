#!/bin/sh
# The configuration file: errors name file and line, insecure files are
# refused, the environment wins.  The file is the host's (TATTOO_CONFIG,
# which tests/lib.sh points into $T, stands for /etc/tattoo/agent.conf),
# under --root too; the image's own agent.conf is only ever a warning.
. "$(dirname "$0")/../lib.sh"

R="$T/root"
make_root "$R"
mkdir -p "$R/etc/tattoo"
C="$TATTOO_CONFIG"
W="$TATTOO --root $R"

expect_exit 0 "show --help" $TATTOO show --help

printf 'tags = on\nbogus = 1\n' >"$C"
expect_exit 3 "unknown key is an input error" $W verify
check "error names file and line" contains "$T/err" "$C:2: unknown key 'bogus'"

printf 'imds_url\n' >"$C"
expect_exit 3 "line without =" $W verify
check "error names line 1" contains "$T/err" "$C:1: expected 'key = value'"

printf 'tags = on\n' >"$C"
chmod 0666 "$C"
expect_exit 3 "world-writable config refused" $W verify
check "refusal names the file" contains "$T/err" "'$C' is group- or world-writable"
chmod 0644 "$C"
if [ "$(id -u)" -eq 0 ]; then
	chown 65534 "$C"
	expect_exit 3 "config owned by another user refused" $W verify
	check "refusal names the owner" contains "$T/err" "owned by uid 65534"
	chown 0 "$C"
fi

# collector_format is checked against the sink table (agent/sink.c): an
# unknown one is refused naming file, line and key, with every sink's
# name; each name listed is accepted, in the file and the environment.
printf 'tags = on\ncollector_format = xml\n' >"$C"
expect_exit 3 "unknown collector_format refused" $W verify
check "error names file, line, key and every sink" contains "$T/err" \
    "$C:2: 'collector_format' must be one of json, azure-monitor, otlp, syslog, not 'xml'"
for f in json azure-monitor otlp syslog; do
	printf 'collector_format = %s\n' "$f" >"$C"
	expect_exit 2 "collector_format $f accepted" $W verify
done
printf 'tags = on\n' >"$C"
expect_exit 3 "unknown collector_format from the environment" \
    env TATTOO_COLLECTOR_FORMAT=Json $W verify
check "env error names the variable and every sink" contains "$T/err" \
    "environment TATTOO_COLLECTOR_FORMAT: 'collector_format' must be one of json, azure-monitor, otlp, syslog, not 'Json'"

printf 'max_tattoo_age_days = 30\n' >"$C"
expect_exit 2 "valid config, no tattoo" $W verify
expect_exit 3 "environment value checked too" env TATTOO_TAGS=perhaps $W verify
check "env error names the variable" contains "$T/err" "TATTOO_TAGS"

printf 'tags = on\n' >"$T/other.conf"
expect_exit 2 "--config names a host file" $W --config "$T/other.conf" verify
expect_exit 3 "--config of a missing file" $W --config "$T/missing.conf" verify
check "missing config named" contains "$T/err" "$T/missing.conf"
printf 'bogus = 1\n' >"$C"
expect_exit 2 "--config wins over TATTOO_CONFIG" $W --config "$T/other.conf" verify
expect_exit 3 "a missing TATTOO_CONFIG file is an error" \
    env TATTOO_CONFIG="$T/missing.conf" $W verify
check "... naming it" contains "$T/err" "$T/missing.conf"
expect_exit 2 "an empty TATTOO_CONFIG means the default file" \
    env TATTOO_CONFIG= $TATTOO --root "$R" verify

# The image's own agent.conf is data: broken, insecure or full of keys,
# it is a warning naming it, never the run's configuration.
printf 'tags = on\n' >"$C"
printf 'tags = off\nbogus = 1\n' >"$R/etc/tattoo/agent.conf"
expect_exit 2 "the image's unknown key is no error" $W verify
check "the warning names file, line and key" contains "$T/err" \
    "$R/etc/tattoo/agent.conf:1: under --root an image may set only 'profile'; ignored: 'tags' (line 1), 'bogus' (line 2)"
printf 'imds_url\n' >"$R/etc/tattoo/agent.conf"
expect_exit 2 "the image's broken file is no error" $W verify
check "the warning says it is ignored" contains "$T/err" \
    "$R/etc/tattoo/agent.conf:1: expected 'key = value': the image's configuration is ignored"
printf 'profile = x\n' >"$R/etc/tattoo/agent.conf"
chmod 0666 "$R/etc/tattoo/agent.conf"
expect_exit 2 "the image's world-writable file is no error" $W verify
check "... it is named and ignored" contains "$T/err" \
    "'$R/etc/tattoo/agent.conf' is group- or world-writable (mode 0666): refusing to trust it: the image's configuration is ignored"
rm -f "$R/etc/tattoo/agent.conf"

printf 'imds_url = http://127.0.0.1:1\n' >"$C"
start_mock || exit 1
expect_exit 0 "environment wins over the file" env TATTOO_IMDS_URL="$MOCK_HTTP" \
    $W write --image-name g --image-version 1
expect_exit 0 "source came from the environment's IMDS" $W show --field source.origin
check "origin imds" test "$(cat "$T/out")" = imds

done_testing
