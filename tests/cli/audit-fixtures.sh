# Sourced by the t03NN audit tests: fixture roots for the test pack
# tests/fixtures/audit-pack.json, built in $T (never the machine's /etc).
PACK="$TT_TOP/tests/fixtures/audit-pack.json"

# compliant_root DIR: every automated rule of the test pack passes.
compliant_root() {
	r=$1
	make_root "$r"
	mkdir -p "$r/etc/ssh/sshd_config.d" "$r/var/lib/dpkg" \
	    "$r/etc/modprobe.d" "$r/etc/sysctl.d" "$r/etc/default" \
	    "$r/etc/sudoers.d" "$r/lib/systemd/system" "$r/tmp"
	chmod 1777 "$r/tmp"
	cat >"$r/var/lib/dpkg/status" <<'X'
Package: openssh-server
Status: install ok installed
Version: 1:9.2p1-2+deb12u3

Package: sudo
Status: install ok installed
Version: 1.9.13p3-1+deb12u1

Package: telnet
Status: deinstall ok config-files
Version: 0.17+2.4-2
X
	printf 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n' \
	    >"$r/etc/ssh/sshd_config"
	printf '# hardening\nMaxAuthTries 4\n' \
	    >"$r/etc/ssh/sshd_config.d/50-hardening.conf"
	printf 'net.ipv4.ip_forward = 0\n' >"$r/etc/sysctl.d/60-net.conf"
	printf 'install cramfs /bin/false\nblacklist cramfs\n' \
	    >"$r/etc/modprobe.d/cramfs.conf"
	printf 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n' \
	    >"$r/etc/passwd"
	printf 'root:$y$j9T$abc$def:19000:0:99999:7:::\nalice:!:19000:0:99999:7:::\n' \
	    >"$r/etc/shadow"
	chmod 0640 "$r/etc/shadow"
	printf 'root:x:0:\nshadow:x:42:\nalice:x:1000:\n' >"$r/etc/group"
	printf 'UUID=1 / ext4 defaults 0 1\ntmpfs /tmp tmpfs nodev,nosuid 0 0\n' \
	    >"$r/etc/fstab"
	printf 'Defaults env_reset\nDefaults use_pty\n@includedir /etc/sudoers.d\n' \
	    >"$r/etc/sudoers"
	printf 'GRUB_CMDLINE_LINUX="quiet audit=1"\n' >"$r/etc/default/grub"
}

# noncompliant_root DIR: the same tree broken in many ways.
noncompliant_root() {
	r=$1
	compliant_root "$r"
	printf 'PermitRootLogin yes\n' >"$r/etc/ssh/sshd_config.d/10-root.conf"
	printf 'Match User bob\n  MaxAuthTries 10\n' \
	    >>"$r/etc/ssh/sshd_config.d/50-hardening.conf"
	printf 'net.ipv4.ip_forward=1\n' >"$r/etc/sysctl.d/99-router.conf"
	rm "$r/etc/modprobe.d/cramfs.conf"
	chmod 0644 "$r/etc/shadow"
	printf 'toor:x:0:0::/root:/bin/sh\nbroken:x:5\n' >>"$r/etc/passwd"
	printf 'toor::19000:0:99999:7:::\n' >>"$r/etc/shadow"
	sed -i 's/^Status: deinstall ok config-files/Status: install ok installed/' \
	    "$r/var/lib/dpkg/status"
	printf '[Service]\nExecStart=/usr/bin/rsync --daemon\n[Install]\nWantedBy=multi-user.target\n' \
	    >"$r/lib/systemd/system/rsync.service"
	mkdir -p "$r/etc/systemd/system/multi-user.target.wants"
	ln -s /lib/systemd/system/rsync.service \
	    "$r/etc/systemd/system/multi-user.target.wants/rsync.service"
	printf 'UUID=1 / ext4 defaults 0 1\n' >"$r/etc/fstab"
	printf 'x\n' >"$r/etc/open.conf"
	chmod 0666 "$r/etc/open.conf"
	printf 'Defaults env_reset\nDefaults:bob use_pty\n' >"$r/etc/sudoers"
	printf 'deny = 10\n' >"$r/etc/security-faillock" # not the real file
	mkdir -p "$r/etc/security"
	printf 'deny = 10\n' >"$r/etc/security/faillock.conf"
	printf 'GRUB_CMDLINE_LINUX="quiet"\n' >"$r/etc/default/grub"
}

# verdicts FILE: "id=result" lines of an audit JSON document, sorted.
verdicts() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["results"]:
    print("%s=%s" % (r["id"], r["result"]))' "$1" | sort
}
