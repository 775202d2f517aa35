#!/bin/sh
# The site's log host as a tailorable rule parameter (issue 18):
# rsyslog_remote_loghost passes with any remote target and fails with none
# when untailored; with a tailoring's loghost it passes only when logs go
# to that host (legacy and RainerScript forms, host:port, a list), and the
# tailored host is the failing result's `expected` in every format.  The
# journald branch (systemd_journal_upload_url) the same way, and the rule
# in the RHEL 9 pack.
. "$(dirname "$0")/../lib.sh"

R=$T/root
make_root "$R"
mkdir -p "$R/var/lib/dpkg" "$R/etc/rsyslog.d" "$R/etc/systemd"
printf 'Package: rsyslog\nStatus: install ok installed\nVersion: 8.2302.0-1\n\nPackage: systemd-journal-remote\nStatus: install ok installed\nVersion: 252.30-1\n\n' \
    >"$R/var/lib/dpkg/status"
printf '$IncludeConfig /etc/rsyslog.d/*.conf\n*.* /var/log/syslog\n' >"$R/etc/rsyslog.conf"
RULE=rsyslog_remote_loghost

tailoring() { # FILE LOGHOST [RULE]
	cat >"$1" <<JSON
{
  "schema": 1,
  "id": "contoso-logs",
  "profile": "cis-l1-server",
  "params": {
    "${3:-$RULE}": { "loghost": "$2" }
  }
}
JSON
	chmod 0644 "$1"
}

# verdict [OPTIONS...]: the rule's result, found and expected, one line
# each, in $T/v.
verdict() {
	"$TATTOO" audit --root "$R" --format json "$@" >"$T/a.json" 2>"$T/err"
	rc=$?
	python3 - "$T/a.json" "${RID:-$RULE}" >"$T/v" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for r in doc['results']:
    if r['id'] == sys.argv[2]:
        print(r['result']); print(r['found']); print(r['expected'])
PY
}
is() { [ "$(sed -n 1p "$T/v")" = "$1" ]; }

# Untailored: some remote target is enough, none fails.
verdict --rule $RULE
check "no forwarding fails" is fail
check "the failure says there is no remote target" contains "$T/v" "no remote log target"
echo '*.* @@10.0.0.9:514' >"$R/etc/rsyslog.d/60-remote.conf"
verdict --rule $RULE
check "any remote target passes without a tailoring" is pass

# Tailored: only the site's host.
tailoring "$T/t.json" loghost.contoso.net
# One audit: json to stdout for verdict (the explicit --format), and the
# text, html, junit and sarif outputs checked below.
verdict --tailoring "$T/t.json" --output "text:$T/out.text" \
    --output "html:$T/out.html" --output "junit:$T/out.junit" \
    --output "sarif:$T/out.sarif"
check "logs going elsewhere fail the tailored rule" is fail
check "the failure names where they go" contains "$T/v" "tcp 10.0.0.9:514 (/etc/rsyslog.d/60-remote.conf:1)"
check "the tailored host is the expected value" \
    contains "$T/v" "logs forwarded to loghost.contoso.net (tailoring 'contoso-logs')"
for fmt in text html junit sarif; do
	check "the tailored host shows in the $fmt output" \
	    contains "$T/out.$fmt" "logs forwarded to loghost.contoso.net"
done
printf 'auth,authpriv.* @@10.0.0.9\n*.* action(type="omfwd"\n    Target="LogHost.contoso.net" # the site'"'"'s\n    port="6514" protocol="tcp")\n' \
    >"$R/etc/rsyslog.d/60-remote.conf"
verdict --tailoring "$T/t.json"
check "a RainerScript action to the site's host passes (any case, over lines)" is pass
tailoring "$T/t.json" loghost.contoso.net:514
verdict --tailoring "$T/t.json"
check "host:port asks for the port too" is fail
tailoring "$T/t.json" loghost.contoso.net:6514
verdict --tailoring "$T/t.json"
check "the right port passes" is pass
tailoring "$T/t.json" a.contoso.net,10.0.0.9
verdict --tailoring "$T/t.json"
check "one of a list of hosts passes" is pass
echo '# *.* @@loghost.contoso.net' >"$R/etc/rsyslog.d/60-remote.conf"
tailoring "$T/t.json" loghost.contoso.net
verdict --tailoring "$T/t.json"
check "a commented-out forward is no forward" is fail
check "...and says there is none" contains "$T/v" "no remote log target"

# The parameter: listed, and refused when misspelt or not a value.
run "$TATTOO" rules "debian12:$RULE" --format json
check "rules shows the loghost parameter" contains "$T/out" '"name": "loghost"'
cat >"$T/bad.json" <<'JSON'
{
  "schema": 1,
  "id": "contoso-logs",
  "profile": "cis-l1-server",
  "params": {
    "rsyslog_remote_loghost": {
      "loghots": "loghost.contoso.net"
    }
  }
}
JSON
chmod 0644 "$T/bad.json"
expect_exit 3 "a misspelt parameter is refused" "$TATTOO" audit --root "$R" --tailoring "$T/bad.json"
check "...naming file, line, field and the right name" \
    contains "$T/err" "bad.json:7: params.rsyslog_remote_loghost.loghots: unknown parameter 'loghots' of rule 'rsyslog_remote_loghost'; did you mean 'loghost'?"
sed -i 's/"loghots"/"LogHost"/' "$T/bad.json"
expect_exit 3 "the parameter's name in another case is refused" "$TATTOO" audit --root "$R" --tailoring "$T/bad.json"
check "...naming the right name (fuzz_tailoring found it crashing)" \
    contains "$T/err" "bad.json:7: params.rsyslog_remote_loghost.LogHost: unknown parameter 'LogHost' of rule 'rsyslog_remote_loghost'; did you mean 'loghost'?"
tailoring "$T/bad.json" 'log host'
expect_exit 3 "a value with a space is refused" "$TATTOO" audit --root "$R" --tailoring "$T/bad.json"

echo '*.* @@loghost.contoso.net' >"$R/etc/rsyslog.d/60-remote.conf"
verdict --tailoring "$T/t.json"
check "the site's host in legacy syntax passes" is pass

# The journald branch: journal-upload's URL.
RID=systemd_journal_upload_url
verdict --rule $RID
check "journal-upload without URL fails" is fail
printf '[Upload]\nURL=https://10.0.0.5:19532\n' >"$R/etc/systemd/journal-upload.conf"
verdict --rule $RID
check "journal-upload with a URL passes untailored" is pass
tailoring "$T/j.json" loghost.contoso.net $RID
verdict --tailoring "$T/j.json"
check "a URL to another host fails the tailored rule" is fail
check "...expecting the site's host" contains "$T/v" "logs forwarded to loghost.contoso.net"
mkdir -p "$R/etc/systemd/journal-upload.conf.d"
printf '[Upload]\nURL=https://loghost.contoso.net\n' >"$R/etc/systemd/journal-upload.conf.d/site.conf"
verdict --tailoring "$T/j.json"
check "a drop-in's URL wins and passes" is pass
RID=

# The RHEL 9 pack has the rule too (CIS 6.2.3.6) and a tailoring sets it.
run "$TATTOO" rules "rhel9:$RULE" --format json
check "rhel9 has the rule with the loghost parameter" contains "$T/out" '"name": "loghost"'
check "...numbered by CIS RHEL 9" contains "$T/out" '"cis": "6.2.3.6"'

done_testing
