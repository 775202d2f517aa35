# Sourced by the tests that audit the trees of tests/fixtures/debian12-root.py
# (t0305, t0400, t0460): audit writes status.json into state_dir, kept in
# the temporary directory; the trees need files owned by root and by
# another user, so without root the test is skipped.
TATTOO_STATE_DIR="$T/state"
export TATTOO_STATE_DIR
mkdir -p "$T/state"
GEN="$TT_TOP/tests/fixtures/debian12-root.py"

if [ "$(id -u)" -ne 0 ]; then
	echo "ok 1 - # SKIP needs root to chown fixture files"
	exit 0
fi
