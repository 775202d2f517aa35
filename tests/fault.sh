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
#   kill_loop NAME ROUNDS MAX_MS CHECK CMD...
#       starts CMD ROUNDS times and SIGKILLs it after a random delay of
#       0..MAX_MS milliseconds; after each round CHECK (a shell function)
#       must succeed: the state is the old one or the new one, never torn.

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

# rand_below N: a random integer in 0..N-1.
rand_below() {
	echo $(( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % $1 ))
}

kill_loop() {
	_name=$1; _rounds=$2; _max=$3; _check=$4; shift 4
	_i=0; _bad=0; _changed=0
	while [ "$_i" -lt "$_rounds" ]; do
		_i=$((_i + 1))
		"$@" >/dev/null 2>&1 &
		_pid=$!
		_ms=$(rand_below "$_max")
		sleep "$(printf '0.%03d' "$_ms")"
		kill -9 "$_pid" 2>/dev/null
		wait "$_pid" 2>/dev/null
		if ! "$_check" "$_i"; then
			_bad=$((_bad + 1))
			echo "# round $_i (killed after $_ms ms) left a bad state"
			[ "$_bad" -ge 3 ] && break
		fi
	done
	if [ "$_bad" -eq 0 ]; then
		pass "$_name: $_i kill -9 rounds, state always old or new"
	else
		fail "$_name: $_bad of $_i kill -9 rounds left a bad state"
	fi
}
