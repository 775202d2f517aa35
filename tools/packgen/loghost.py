"""The site's log host as a rule parameter (issue 18): the check of
rsyslog_remote_loghost (CIS "Ensure rsyslog is configured to send logs to
a remote log host", the STIG's "Ensure Logs Sent To Remote Host") and of
journald_upload_loghost (systemd-journal-upload's URL), shared by the
Debian-family and RHEL-family generators.

The check is the log_forward probe with an empty `loghost`: some remote
target must be configured (no forwarding fails).  A tailoring sets
`loghost` (docs/tailoring.md) and the rule then passes only when a target
is that host.  There is no automatic fix: the host is the site's, and
writing a forwarding rule to a host the pack would have to guess could
send an image's logs to the wrong place.
"""
from checks import c, manual, probe

DESCRIPTION = ('rsyslog must forward logs to a remote log host: a legacy '
               '"*.* @@host" (TCP) or "@host" (UDP) line, or an '
               'action(type="omfwd"|"omrelp" target="host") in rsyslog.conf '
               'or a file it includes.  Without a tailoring any remote '
               'target passes and none fails; a tailoring\'s parameter '
               'loghost (host, host:port, or a comma list) names the '
               'site\'s log host, and then one target must be it.')
RATIONALE = 'Logs kept only on the host can be erased by whoever compromises it.'
EXPECTED = ('rsyslog forwards logs to a remote host (a tailoring\'s '
            'loghost names the site\'s)')
FIX = ('Forward the logs to the site\'s log host, e.g. "*.* @@loghost:514" '
       'in /etc/rsyslog.d/60-remote.conf, or action(type="omfwd" '
       'target="loghost" port="514" protocol="tcp").')

UPLOAD_DESCRIPTION = ('systemd-journal-upload must send the journal to a '
                      'remote host: URL= in the [Upload] section of '
                      '/etc/systemd/journal-upload.conf or its drop-ins. '
                      'Without a tailoring any URL passes; a tailoring\'s '
                      'loghost names the site\'s host.  Judged only where '
                      'systemd-journal-remote (the package of '
                      'systemd-journal-upload) is installed, the journald '
                      'branch of CIS logging; the rsyslog branch is '
                      'rsyslog_remote_loghost.')
UPLOAD_EXPECTED = ('journal-upload sends the journal to a remote host (a '
                   'tailoring\'s loghost names the site\'s)')
UPLOAD_FIX = ('Set URL=https://loghost:19532 under [Upload] in '
              '/etc/systemd/journal-upload.conf and enable '
              'systemd-journal-upload.service.')


def check(source='rsyslog'):
    """Some remote target (the pack's default), or the tailored host."""
    return probe('log_forward', {'source': source, 'loghost': ''},
                 [c('missing', 'eq', '')])


def fix(source='rsyslog'):
    return manual(UPLOAD_FIX if source == 'journal-upload' else FIX)
