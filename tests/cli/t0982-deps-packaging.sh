#!/bin/sh
# `make deps` (tools/deps.sh) installs what `make deb` and `make rpm` need:
# every Build-Depends of debian/control (debhelper-compat through
# debhelper) and the tools dpkg-buildpackage runs, every BuildRequires of
# rpm/tattoo.spec and rpmbuild; only the missing ones, and nothing at all
# when none is missing (issue 16: `make deb` failed on debhelper-compat
# after `make deps`).  apt-get, dpkg-query, dnf and rpm are stand-ins on a
# PATH of their own: nothing is installed.
. "$(dirname "$0")/../lib.sh"

B="$T/bin"
mkdir -p "$B"
for t in sh sed tr grep awk id dirname cat; do
	ln -s "$(command -v "$t")" "$B/$t"
done
# The stand-ins: a package is installed when it is a line of $T/installed;
# the package managers log their arguments.
cat >"$B/dpkg-query" <<'SH'
#!/bin/sh
p=$(eval echo "\${$#}")
grep -qx -- "$p" "$STUB_DIR/installed" || exit 1
printf 'install ok installed'
SH
cat >"$B/rpm" <<'SH'
#!/bin/sh
p=$(eval echo "\${$#}")
grep -qx -- "$p" "$STUB_DIR/installed"
SH
printf '#!/bin/sh\necho "apt-get $*" >>"$STUB_DIR/pm.log"\n' >"$B/apt-get"
printf '#!/bin/sh\necho "dnf $*" >>"$STUB_DIR/pm.log"\n' >"$B/dnf"
printf '#!/bin/sh\nexec "$@"\n' >"$B/sudo"
chmod +x "$B"/*
export STUB_DIR="$T"

deps() { PATH="$B" run sh "$TT_TOP/tools/deps.sh"; }
installed_line() { grep '^apt-get install\|^dnf install' "$T/pm.log"; }

# Debian: nothing installed, everything is asked for.
: >"$T/installed"
: >"$T/pm.log"
deps
check "apt: deps.sh exits 0" test "$rc" -eq 0
installed_line >"$T/inst"
for p in debhelper dpkg-dev build-essential fakeroot rpm; do
	check "apt: $p is installed (make deb / make rpm)" \
	    grep -qw -- "$p" "$T/inst"
done
sed -n '/^Build-Depends:/,/^Standards/p' "$TT_TOP/debian/control" |
    sed -e 's/^Build-Depends://' -e '/^Standards/d' | tr ',' '\n' |
    sed -e 's/(.*//' -e 's/[[:space:]]//g' |
    grep -v '^$\|^debhelper-compat$' | sort -u >"$T/bd"
check "debian/control names Build-Depends" test -s "$T/bd"
while read -r p; do
	check "apt: Build-Depends $p is installed" grep -qw -- "$p" "$T/inst"
done <"$T/bd"
check "apt: no name twice" sh -c \
    "tr ' ' '\n' <'$T/inst' | grep -v '^-' | sort | uniq -d | grep -q . && exit 1 || exit 0"

# Debian: all there: nothing to install, not even apt-get update.
tr ' ' '\n' <"$T/inst" | grep -v '^-\|^$\|^apt-get$\|^install$' >"$T/installed"
: >"$T/pm.log"
deps
check "apt, all installed: exit 0" test "$rc" -eq 0
check "apt, all installed: apt-get is not run" test ! -s "$T/pm.log"
check "apt, all installed: silent" test ! -s "$T/out"

# Debian: only debhelper missing: only it is installed.
grep -vx debhelper "$T/installed" >"$T/i2" && mv "$T/i2" "$T/installed"
: >"$T/pm.log"
deps
installed_line >"$T/inst"
check "apt, debhelper missing: only it is installed" sh -c \
    "grep -q 'install .*debhelper\$' '$T/inst' &&
     test \"\$(tr ' ' '\n' <'$T/inst' | grep -vc '^-\|^apt-get\$\|^install\$\|^\$')\" -eq 1"

# The RHEL family: no apt-get; rpm-build and every BuildRequires.
rm "$B/apt-get"
: >"$T/installed"
: >"$T/pm.log"
deps
check "dnf: deps.sh exits 0" test "$rc" -eq 0
installed_line >"$T/inst"
check "dnf: rpm-build is installed (make rpm)" grep -qw rpm-build "$T/inst"
sed -n 's/^BuildRequires:[[:space:]]*//p' "$TT_TOP/rpm/tattoo.spec" |
    awk '{ print $1 }' >"$T/br"
check "rpm/tattoo.spec names BuildRequires" test -s "$T/br"
while read -r p; do
	check "dnf: BuildRequires $p is installed" grep -qw -- "$p" "$T/inst"
done <"$T/br"
done_testing
