#!/bin/sh
# The systemd units of report: systemd-analyze verify accepts them without
# a warning (where systemd is installed), the service is a hardened
# oneshot that writes only /var/lib/tattoo, the timer spreads a fleet, and
# make install ships both.
. "$(dirname "$0")/../lib.sh"

S="$TT_TOP/systemd/tattoo-report.service"
U="$TT_TOP/systemd/tattoo-report.timer"
check "the service exists" [ -f "$S" ]
check "the timer exists" [ -f "$U" ]

# key FILE KEY VALUE: the unit sets KEY=VALUE exactly.
key() { grep -qx "$2=$3" "$1"; }
check "oneshot running tattoo report" sh -c "grep -qx 'Type=oneshot' '$S' && grep -qx 'ExecStart=/usr/sbin/tattoo report' '$S'"
for kv in ProtectSystem=strict ReadWritePaths=/var/lib/tattoo \
    ProtectHome=read-only PrivateTmp=yes NoNewPrivileges=yes \
    ProtectKernelTunables=yes ProtectKernelModules=yes \
    ProtectControlGroups=yes \
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" \
    LockPersonality=yes MemoryDenyWriteExecute=yes RestrictRealtime=yes \
    SystemCallArchitectures=native \
    CapabilityBoundingSet=CAP_DAC_READ_SEARCH; do
	check "service: $kv" key "$S" "${kv%%=*}" "${kv#*=}"
done
for k in OnBootSec OnUnitActiveSec RandomizedDelaySec; do
	check "timer: $k set" grep -q "^$k=[1-9]" "$U"
done
check "timer: installed for timers.target" key "$U" WantedBy timers.target

if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$T/units"
	sed "s|/usr/sbin/tattoo|$TATTOO|" "$S" >"$T/units/tattoo-report.service"
	cp "$U" "$T/units/"
	run systemd-analyze verify --man=no "$T/units/tattoo-report.service" \
	    "$T/units/tattoo-report.timer"
	check "systemd-analyze verify: exit 0" [ "$rc" -eq 0 ]
	check "systemd-analyze verify: no warning (unknown keys, bad values)" \
	    sh -c "! grep -Eiq 'unknown|ignoring|invalid|fail' '$T/err' '$T/out'"
else
	echo "# systemd-analyze not installed: keys checked only"
fi

(cd "$TT_TOP" && make -n install DESTDIR="$T/dest" UNITDIR=/lib/systemd/system) >"$T/install" 2>&1
check "make install installs the service and the timer" sh -c \
    "grep -q 'systemd/tattoo-report.service' '$T/install' && grep -q 'systemd/tattoo-report.timer' '$T/install' && grep -q '$T/dest/lib/systemd/system' '$T/install'"
done_testing
