# Sourced after tests/lib.sh and tests/hostile.sh by the fault-injection
# scripts (tests/cli/t095N-fault-*.sh).  Two generic drivers, so that each
# writer (tattoo write, status.json; the harden journal and the report
# spool when they land) is one call of each:
#
#   enospc_matrix NAME DIR MESSAGE CMD...
#       runs CMD once per fault in $TT_FAULTS (write, fsync and rename
#       failing with ENOSPC, once or for good) against a copy of the state
#       directory DIR restored each time; each run must exit 4 with
#       MESSAGE on stderr, leave DIR byte for byte as it was, and leave no
#       temporary file behind.  The fsync of the directory after the
#       rename is checked apart (enospc_after_rename).
#
#   kill_points NAME RESET CHECK CMD...
#       kills CMD at every crash point (faultshim.c: each call that changes
#       the file system), one run per point, and once more lets it finish:
#       RESET (a shell function) runs before each run, CHECK (given the
#       point number) after it and must succeed: the state is the old one
#       or the new one, never torn.  What is on disk changes only at those
#       calls, so this visits every state a crash can leave, in order.

FAULTSHIM=${FAULTSHIM:-$TT_TOP/build/fault/faultshim.so}
TT_FAULTS=${TT_FAULTS:-"write:1 write:1+ fsync:1 rename:1 write:1:EIO"}
# The ASan runtime wants to be first in the library list; the shim must be.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
export ASAN_OPTIONS

# fault_run SPEC CMD...: CMD with the shim failing SPEC (see faultshim.c).
fault_run() {
	_spec=$1; shift
	run env LD_PRELOAD="$FAULTSHIM" TT_FAULT="$_spec" \
	    timeout -s KILL "$TT_HANG_S" "$@"
}

# snapshot DIR SAVE: a byte-for-byte copy of DIR with modes.
snapshot() { rm -rf "$2"; cp -a "$1" "$2"; }

# temp_files DIR: temporary files atomic writes leave when killed.
temp_files() { find "$1" -name '.*.tmp*' | wc -l; }

enospc_matrix() {
	_name=$1; _dir=$2; _msg=$3; shift 3
	snapshot "$_dir" "$T/enospc.saved"
	for _f in $TT_FAULTS; do
		fault_run "$_f" "$@"
		if [ "$rc" -ne 4 ] || ! _sane; then
			echo "# $_f: expected exit 4, got $rc" >"$T/why"
			fail "$_name, $_f: exit 4" "$T/why" "$T/err"
		elif ! grep -qF -- "$_msg" "$T/err"; then
			echo "# $_f: no '$_msg' in stderr" >"$T/why"
			fail "$_name, $_f: says what failed" "$T/why" "$T/err"
		elif ! diff -r "$T/enospc.saved" "$_dir" >"$T/why" 2>&1; then
			fail "$_name, $_f: previous state intact" "$T/why"
		elif [ "$(temp_files "$_dir")" -ne 0 ]; then
			find "$_dir" -name '.*.tmp*' >"$T/why"
			fail "$_name, $_f: no temporary file left" "$T/why"
		else
			pass "$_name, $_f: exit 4, state intact, says so"
		fi
		rm -rf "$_dir"
		cp -a "$T/enospc.saved" "$_dir"
	done
}

# enospc_after_rename NAME DIR MESSAGE CMD...: the directory fsync after
# the rename fails (fsync #2 of an atomic write): exit 4 and MESSAGE,
# which must not claim the previous state was kept.
enospc_after_rename() {
	_name=$1; _dir=$2; _msg=$3; shift 3
	fault_run fsync:2 "$@"
	if [ "$rc" -eq 4 ] && _sane && grep -qF -- "$_msg" "$T/err" &&
	    ! grep -q "intact" "$T/err"; then
		pass "$_name, directory fsync fails: exit 4, honest message"
	else
		echo "# exit $rc" >"$T/why"
		fail "$_name, directory fsync fails" "$T/why" "$T/err"
	fi
}

kill_points() {
	_name=$1; _reset=$2; _check=$3; shift 3
	"$_reset"
	rm -f "$T/points"
	env LD_PRELOAD="$FAULTSHIM" TT_FAULT_POINTS="$T/points" "$@" \
	    >/dev/null 2>&1
	_n=$(cat "$T/points" 2>/dev/null || echo 0)
	if [ "$_n" -lt 1 ]; then
		fail "$_name: a whole run counts its crash points (got '$_n')"
		return
	fi
	# At most TT_KILL_MAX kills (10: make test; every point: make
	# test-crash, which CI runs), evenly spread, always the last point;
	# then point after point until a run finishes, in case this run has
	# more points than the counted one (a first run creates what later
	# ones find).  Each kill is a run and its checks: at 20 kills the
	# kill tests took 27 s of make test's 360 s of CPU (issue 17).
	_step=$(( (_n + ${TT_KILL_MAX:-10} - 1) / ${TT_KILL_MAX:-10} ))
	_k=1; _bad=0; _runs=0; KILLED=0
	while [ "$_runs" -le $((2 * _n + 10)) ]; do
		_runs=$((_runs + 1))
		"$_reset"
		env LD_PRELOAD="$FAULTSHIM" TT_FAULT_KILL="point:$_k" "$@" \
		    >/dev/null 2>&1
		_rc=$?
		[ "$_rc" -eq 137 ] && KILLED=$((KILLED + 1))
		if ! "$_check" "$_k"; then
			_bad=$((_bad + 1))
			echo "# killed before crash point $_k of $_n: a bad state"
			[ "$_bad" -ge 3 ] && break
		fi
		[ "$_rc" -eq 137 ] || break
		if [ "$_k" -lt "$_n" ] && [ $((_k + _step)) -gt "$_n" ]; then
			_k=$_n
		elif [ "$_k" -ge "$_n" ]; then
			_k=$((_k + 1))
		else
			_k=$((_k + _step))
		fi
	done
	echo "# $_n crash points, $KILLED runs killed (every ${_step}th point), $_runs runs"
	if [ "$_bad" -eq 0 ] && [ "$_rc" -ne 137 ]; then
		pass "$_name: killed at $KILLED of its $_n crash points and let finish, state always old or new"
	elif [ "$_bad" -eq 0 ]; then
		fail "$_name: no run finished after $_runs kills"
	else
		fail "$_name: $_bad of $_runs runs killed at a crash point left a bad state"
	fi
}
