#!/bin/sh
# make test-pipeline: the image pipelines of docs/ run, step after step,
# in a chroot of a copy of the cached debootstrap Debian 12 tree
# (tools/debian-tree.sh, the one test-integration uses: openssh-server,
# sudo), with the package from `make deb`:
#   - docs/azure/image-builder.json: its ARM expressions evaluated
#     (tests/pipeline/arm.py: parameters(), variables(), format(),
#     concat(); any other function is an error), the File customizer
#     replaced by a copy of the .deb to its destination, then every Shell
#     step of `customize` and of `validate.inVMValidations`, in order, as
#     Image Builder runs them: the inline lines in a script under /tmp
#     with the shebang /bin/sh -e, run as the build user (a login with a
#     password and passwordless sudo, as Image Builder's "packer");
#   - docs/packer/golden.pkr.hcl (tests/pipeline/hcl.py): its file
#     provisioner likewise, then its shell provisioners' inline lines,
#     through their execute_command, as the build user; Azure's waagent
#     is not in the tree: a stand-in that logs its arguments.
#   - README.md's build sequence (the fenced block between its
#     <!-- BEGIN build-sequence --> and <!-- END build-sequence -->
#     markers), its lines as they are, one after the other, as root in
#     the chroot once the package is installed; a stand-in waagent.
# Each step must exit 0; then `tattoo verify` passes, `tattoo scrub
# --check` is clean (no copy of /etc/shadow in the journal, the audit
# evidence, JUnit and HTML of one audit, kept under
# /var/lib/tattoo/evidence and not reported) and the
# evidence was printed to the build log.  IMDS is not asked: the
# templates pass --source.  Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
. tests/pipeline/chroot.sh
. tests/suite.sh

work=$(mktemp -d /tmp/tattoo-pipeline-XXXXXX)
# Each step's build log, kept for a look after the run.
logs=build/test-pipeline
rm -rf "$logs" && mkdir -p "$logs"
cleanup() {
	chroot_umount
	# Never into a mount left behind (a bind-mounted /dev above all).
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap "exit 1" INT TERM

# The evaluators' own checks first.
python3 tests/pipeline/arm_test.py >"$work/arm.log" 2>&1
check "arm.py: its unit checks" test $? -eq 0
[ $? -eq 0 ] || cat "$work/arm.log"
python3 tests/pipeline/hcl_test.py >"$work/hcl.log" 2>&1
check "hcl.py: its unit checks" test $? -eq 0

version=$(cat VERSION)
if [ -n "${TATTOO_DEB:-}" ]; then
	deb=$TATTOO_DEB
elif make -s deb >"$work/deb.log" 2>&1; then
	deb=$(ls build/pkg/tattoo_"$version"_*.deb 2>/dev/null | head -n 1)
else
	no "make deb" "$work/deb.log"; finish
fi
check "the .deb is there" test -f "$deb"
tree=$(tools/debian-tree.sh harden - openssh-server,sudo,pamtester,libpam-pwquality) ||
    { no "debootstrap tree (see the cache's harden.log)"; finish; }

user=packer
pw='Build-user-pw-7q'
# new_root NAME: a fresh copy of the tree in $R with the build user.
new_root() {
	R="$work/$1"
	cp -a "$tree" "$R" && rm -f "$R/.tattoo-complete"
	cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null
	chroot_mount "$R" proc dev
	in_root useradd -m -s /bin/bash "$user" &&
	    printf '%s:%s\n' "$user" "$pw" | in_root chpasswd &&
	    printf '%s ALL=(ALL) NOPASSWD:ALL\n' "$user" >"$R/etc/sudoers.d/$user" &&
	    chmod 0440 "$R/etc/sudoers.d/$user"
	# A booted VM has sshd's privilege separation directory (sshd -t,
	# which harden runs, needs it).
	mkdir -p "$R/run/sshd"
}
# put_file DEST: the .deb at DEST in the tree, the build user's, as a
# File customizer or file provisioner (uploading as that user) leaves it.
put_file() { cp "$deb" "$R$1" && chmod 0644 "$R$1" && in_root chown "$user:" "$1"; }
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C "$@"; }
as_user() { chroot "$R" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/$user LANG=C \
    /usr/sbin/runuser -u "$user" -- "$@"; }

# The end of both pipelines: the image verifies and scrubs clean.
final_checks() {
	in_root tattoo verify >"$work/verify.log" 2>&1
	check "$1: tattoo verify passes" test $? -eq 0
	in_root tattoo scrub --check >"$work/scrub.log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then ok "$1: tattoo scrub --check is clean"
	else no "$1: tattoo scrub --check is clean (exit $rc)" "$work/scrub.log"; fi
	check "$1: the harden journal keeps no copy of /etc/shadow" sh -c \
	    "! grep -l '\"path\":\"/etc/shadow\"' '$R'/var/lib/tattoo/journal/*/0*.json |
	      sed 's/json\$/data/' | xargs -r ls 2>/dev/null | grep -q ."
	check "$1: the shadow entry is sealed" sh -c \
	    "grep -l '\"path\":\"/etc/shadow\"' '$R'/var/lib/tattoo/journal/*/0*.json |
	      xargs grep -q '\"sealed\"'"
	check "$1: the audit evidence is kept" test -s "$R/var/lib/tattoo/evidence/audit.xml"
	check "$1: the audit's HTML evidence is kept" test -s "$R/var/lib/tattoo/evidence/audit.html"
	# One audit writes both (--output FORMAT:FILE): one result, one time.
	check "$1: the JUnit and the HTML are one audit's (one generated_at)" python3 -c '
import re, sys
x = re.findall(r"name=\"generated_at\" value=\"([^\"]+)\"", open(sys.argv[1]).read())
h = re.findall(r"<time id=\"generated-at\" datetime=\"([^\"]+)\"", open(sys.argv[2]).read())
assert x and h and set(x) == set(h) and len(set(x)) == 1, (x, h)' \
	    "$R/var/lib/tattoo/evidence/audit.xml" "$R/var/lib/tattoo/evidence/audit.html"
	check "$1: no evidence in /tmp" sh -c "! ls '$R'/tmp | grep -q ."
	in_root tattoo show --field image.version >"$work/show" 2>&1
	check "$1: the tattoo says the version" grep -qx "$2" "$work/show"
	in_root tattoo show --field source.offer >"$work/show" 2>&1
	check "$1: the tattoo names the source from the template" grep -qx debian-12 "$work/show"
}

# --- VM Image Builder ---------------------------------------------------
# The template signs with a Key Vault key (write --sign-keyvault) through
# the build VM's managed identity: a loopback stand-in of Key Vault and of
# the IMDS token endpoint (tests/mock/keyvault_mock.py, a P-256 key of its
# own) plays both, and once the package is installed the build VM's own
# /etc/tattoo/agent.conf points imds_url and keyvault_url at it, as the
# real IMDS and vault would be reached on Azure.
python3 tests/mock/keyvault_mock.py --dir "$work/kv" >"$work/kv.log" 2>&1 &
kv_pid=$!
trap 'kill $kv_pid 2>/dev/null; cleanup' EXIT
i=0
while [ ! -f "$work/kv/ports" ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "the Key Vault stand-in listens" test -f "$work/kv/ports"
read -r kv_http kv_https <"$work/kv/ports"
kv_key=https://kv-golden.vault.azure.net/keys/tattoo
# point_config: the installed agent.conf of the tree at the stand-ins.
point_config() {
	[ -f "$R/etc/tattoo/agent.conf" ] && [ ! -f "$R/run/tattoo-kv-ca.pem" ] || return 0
	cp "$work/kv/ca.pem" "$R/run/tattoo-kv-ca.pem"
	printf 'imds_url = http://127.0.0.1:%s\nkeyvault_url = https://localhost:%s\nca_file = /run/tattoo-kv-ca.pem\n' \
	    "$kv_http" "$kv_https" >>"$R/etc/tattoo/agent.conf"
}
T=docs/azure/image-builder.json
cat >"$work/params.json" <<JSON
{"identityId": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aib",
 "galleryImageId": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/galleries/golden/images/web-base",
 "galleryImageVersion": "1.4.0", "packageUri": "https://example.invalid/tattoo.deb",
 "packageSha256": "0", "buildId": "4711", "pipelineUrl": "https://ci.example.invalid/4711",
 "keyVaultKeyUrl": "https://kv-golden.vault.azure.net/keys/tattoo"}
JSON
python3 tests/pipeline/arm.py "$T" "$work/params.json" \
    resources.0.properties.customize resources.0.properties.validate.inVMValidations \
    >"$work/aib.steps" 2>"$work/arm.err"
check "the template's steps evaluate" test $? -eq 0 -a -s "$work/aib.steps"
new_root aib || { no "a tree with the build user"; finish; }
n=0
while read -r steps; do
	printf '%s\n' "$steps" >"$work/steps.json"
	count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$work/steps.json")
	i=0
	while [ "$i" -lt "$count" ]; do
		python3 - "$work/steps.json" "$i" "$work/step" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))[int(sys.argv[2])]
with open(sys.argv[3] + ".name", "w") as f:
    f.write(s.get("name", "?") + " (" + s["type"] + ")\n")
if s["type"] == "File":
    open(sys.argv[3] + ".file", "w").write(s["destination"] + "\n")
elif s["type"] == "Shell":
    open(sys.argv[3] + ".sh", "w").write("#!/bin/sh -e\n" + "\n".join(s["inline"]) + "\n")
else:
    sys.exit("a customizer the test cannot run: " + s["type"])
PY
		name=$(cat "$work/step.name")
		n=$((n + 1))
		if [ -f "$work/step.file" ]; then
			# Image Builder downloads sourceUri to destination as the
			# build user: the .deb, the build user's.
			put_file "$(cat "$work/step.file")"
			check "image-builder step $n, $name: the package at its destination" test $? -eq 0
		elif [ -f "$work/step.sh" ]; then
			point_config
			# Uploaded by the build user, as Packer (which runs the
			# customizers) does over SSH.
			cp "$work/step.sh" "$R/tmp/script_$n.sh" && chmod 0755 "$R/tmp/script_$n.sh" &&
			    in_root chown "$user:" "/tmp/script_$n.sh"
			as_user "/tmp/script_$n.sh" >"$work/aib.$n.log" 2>&1
			rc=$?
			# Packer removes the script once it ran.
			rm -f "$R/tmp/script_$n.sh"
			cp "$work/aib.$n.log" "$logs/"
			cat "$work/aib.$n.log" >>"$work/aib.log"
			if [ "$rc" -eq 0 ]; then ok "image-builder step $n, $name: exit 0"
			else no "image-builder step $n, $name: exit 0 (exit $rc)" "$work/aib.$n.log"; fi
		fi
		rm -f "$work/step.file" "$work/step.sh"
		i=$((i + 1))
	done
done <"$work/aib.steps"
check "image-builder: the JUnit evidence is in the build log" grep -q '<testsuites' "$work/aib.log"
check "image-builder: the HTML evidence is in the build log" grep -qi '<html' "$work/aib.log"
check "image-builder: the validation's JUnit is kept" test -s "$R/var/lib/tattoo/evidence/validate.xml"
final_checks image-builder 1.4.0
cp "$work/kv/kv.pub.pem" "$R/run/kv.pub.pem"
in_root tattoo verify --pubkey /run/kv.pub.pem >"$work/verify-kv.log" 2>&1
check "image-builder: the tattoo's Key Vault signature verifies" test $? -eq 0
check "image-builder: signed with the vault's key" grep -q '"alg": *"ES256"' "$R/etc/tattoo/tattoo.json"
# What scrub --apply said of the journal.
check "image-builder: scrub --apply sealed the journal's copies" grep -q 'sealed [0-9]* journaled cop' "$work/aib.log"

# --- Packer -----------------------------------------------------------------
python3 tests/pipeline/hcl.py docs/packer/golden.pkr.hcl image_version=2.0.1 \
    subscription_id=0 resource_group=rg gallery=golden >"$work/packer.steps" 2>"$work/hcl.err"
check "the Packer template's provisioners read" test $? -eq 0 -a -s "$work/packer.steps"
new_root packer || { no "a tree with the build user"; finish; }
# Azure's agent is not in the tree: a stand-in that logs its arguments.
printf '#!/bin/sh\necho "waagent $*" >>/var/log/waagent-standin.log\n' >"$R/usr/sbin/waagent"
chmod 0755 "$R/usr/sbin/waagent"
n=0
while read -r p; do
	n=$((n + 1))
	printf '%s\n' "$p" >"$work/p.json"
	kind=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0])' "$work/p.json")
	if [ "$kind" = file ]; then
		dest=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[2])' "$work/p.json")
		put_file "$dest"
		check "packer provisioner $n (file): the package at $dest" test $? -eq 0
		continue
	fi
	# Packer writes the inline lines, after the shebang, to a script in
	# /tmp and runs execute_command with {{ .Path }} and {{ .Vars }}.
	python3 - "$work/p.json" "$R/tmp/packer-shell-$n" "$work/p.cmd" <<'PY'
import json, sys
_, cmd, shebang, lines = json.load(open(sys.argv[1]))
open(sys.argv[2], "w").write("#!" + shebang + "\n" + "\n".join(lines) + "\n")
cmd = cmd.replace("{{ .Path }}", "/tmp/packer-shell-" + sys.argv[2].rsplit("-", 1)[1])
cmd = cmd.replace("{{ .Vars }}", "PACKER_BUILD_NAME=golden PACKER_BUILDER_TYPE=azure-arm")
if "{{" in cmd:
    sys.exit("execute_command: a template variable the test does not know: " + cmd)
open(sys.argv[3], "w").write(cmd)
PY
	in_root chown "$user:" "/tmp/packer-shell-$n"
	as_user /bin/sh -c "$(cat "$work/p.cmd")" >"$work/packer.$n.log" 2>&1
	rc=$?
	rm -f "$R/tmp/packer-shell-$n"
	cp "$work/packer.$n.log" "$logs/"
	cat "$work/packer.$n.log" >>"$work/packer.log"
	if [ "$rc" -eq 0 ]; then ok "packer provisioner $n (shell): exit 0"
	else no "packer provisioner $n (shell): exit 0 (exit $rc)" "$work/packer.$n.log"; fi
done <"$work/packer.steps"
check "packer: the JUnit evidence is in the build log" grep -q '<testsuites' "$work/packer.log"
check "packer: the deprovision ran last" grep -q 'waagent -force -deprovision+user' "$R/var/log/waagent-standin.log"
final_checks packer 2.0.1

# --- The README's build sequence --------------------------------------------
# run_lines FILE: FILE's lines as one root shell in the chroot runs them,
# one after the other (a line ending in \ goes on to the next); after
# each, its exit status to the host's fd 3 ("N STATUS"), and the first
# that fails stops the run.  The script goes through stdin, so nothing
# of the test is left in the image for scrub to find.
run_lines() {
	awk '{ print } !/\\$/ { n++; print "rc=$?; echo \"" n " $rc\" >&3; [ \"$rc\" -eq 0 ] || exit \"$rc\"" }' \
	    "$1" >"$work/lines.sh"
	: >"$work/lines.rc"
	in_root /bin/sh -s <"$work/lines.sh" 3>>"$work/lines.rc"
}
sh tests/pipeline/readme-block.sh build-sequence >"$work/readme.build" 2>"$work/check.log"
if [ $? -eq 0 ]; then ok "README: the build-sequence block is marked"
else no "README: the build-sequence block is marked" "$work/check.log"; finish; fi
new_root readme || { no "a tree with the build user"; finish; }
printf '#!/bin/sh\necho "waagent $*" >>/var/log/waagent-standin.log\n' >"$R/usr/sbin/waagent"
chmod 0755 "$R/usr/sbin/waagent"
# The package installed, as the sequence assumes (the template's
# install-tattoo step).
put_file /tmp/tattoo.deb && in_root apt-get update -q >"$work/readme.install.log" 2>&1 &&
    in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q /tmp/tattoo.deb \
    >>"$work/readme.install.log" 2>&1 && rm -f "$R/tmp/tattoo.deb" &&
    rm -rf "$R"/var/lib/apt/lists/*
check "README build sequence: the package installed" test $? -eq 0
run_lines "$work/readme.build" >"$work/readme.log" 2>&1
rc=$?
cp "$work/readme.log" "$logs/readme.log"
lines=$(grep -c -v '\\$' "$work/readme.build")
n=0
while [ "$n" -lt "$lines" ]; do
	n=$((n + 1))
	got=$(sed -n "s/^$n //p" "$work/lines.rc")
	line=$(awk -v n="$n" 'BEGIN { first = 1 } first && ++k == n { print; exit } { first = !/\\$/ }' \
	    "$work/readme.build" | cut -c1-60)
	if [ "$got" = 0 ]; then ok "README build sequence line $n: exit 0: $line"
	else no "README build sequence line $n: exit 0 (${got:-not run}; run exit $rc): $line" "$work/readme.log"; fi
done
check "README build sequence: the audit's JUnit is in the build log" grep -q '<testsuites' "$work/readme.log"
check "README build sequence: the deprovision ran last" grep -q 'waagent -force -deprovision+user' "$R/var/log/waagent-standin.log"
final_checks "README build sequence" 1.4.0
finish
