#!/usr/bin/env python3
"""A static check of PAM stacks, for trees that cannot be chrooted into
to run pamtester (the RHEL 9 fixture of tests/integration/run.sh).

For each file given: every active line is well-formed (a type, a control
keyword or [value=action ...], a module path ending in .so); the auth
stack reaches pam_unix.so before any pam_deny.so (so a password is still
checked), and no pam_unix.so line carries nullok; pam_faillock.so lines
carry preauth/authfail in auth (preauth before pam_unix, authfail after)
and nothing unknown; pam_pwquality.so comes before pam_unix.so in the
password stack, which then carries use_authtok.  Exit 0 when all hold,
1 with the reasons otherwise.
"""
import re
import sys

TYPES = {"auth", "account", "password", "session"}
CONTROLS = {"required", "requisite", "sufficient", "optional", "include",
            "substack"}
BRACKET = re.compile(r"^\[(\s*[a-z_]+=([a-z_]+|[0-9]+)\s*)+\]$")
FAILLOCK_ARGS = {"preauth", "authfail", "authsucc", "silent", "audit",
                 "even_deny_root", "local_users_only", "nodelay",
                 "no_log_info", "conf", "dir", "deny", "unlock_time",
                 "fail_interval", "root_unlock_time", "admin_group"}


def lines(path):
    out = []
    for n, raw in enumerate(open(path), 1):
        s = raw.strip()
        if not s or s.startswith("#"):
            continue
        m = re.match(r"^(-?)(\S+)\s+(\[[^\]]*\]|\S+)\s+(\S+)\s*(.*)$", s)
        if m is None:
            out.append((n, None, None, None, [], s))
            continue
        out.append((n, m.group(2), m.group(3), m.group(4),
                    m.group(5).split(), s))
    return out


def check(path):
    errs = []
    ls = lines(path)
    for n, typ, ctl, mod, args, s in ls:
        where = "%s:%d" % (path, n)
        if typ is None:
            errs.append("%s: not a PAM line: %s" % (where, s))
            continue
        if typ not in TYPES:
            errs.append("%s: unknown type %r" % (where, typ))
        if ctl not in CONTROLS and not BRACKET.match(ctl):
            errs.append("%s: bad control %r" % (where, ctl))
        if not mod.endswith(".so"):
            errs.append("%s: module %r is not a .so" % (where, mod))
        if mod.endswith("pam_unix.so") and "nullok" in args:
            errs.append("%s: pam_unix carries nullok" % where)
        if mod.endswith("pam_faillock.so"):
            for a in args:
                if a.split("=", 1)[0] not in FAILLOCK_ARGS:
                    errs.append("%s: pam_faillock: unknown %r" % (where, a))
            if typ == "auth" and not ({"preauth", "authfail", "authsucc"} & set(args)):
                errs.append("%s: pam_faillock auth line without preauth/authfail" % where)
    auth = [(mod, args) for _, t, _, mod, args, _ in ls if t == "auth"]
    mods = [m.rsplit("/", 1)[-1] for m, _ in auth]
    if "pam_unix.so" not in mods:
        errs.append("%s: no pam_unix.so in the auth stack" % path)
    else:
        u = mods.index("pam_unix.so")
        if "pam_deny.so" in mods[:u]:
            errs.append("%s: pam_deny.so before pam_unix.so in auth" % path)
        for i, (m, a) in enumerate(auth):
            if m.endswith("pam_faillock.so") and "preauth" in a and i > u:
                errs.append("%s: faillock preauth after pam_unix" % path)
            if m.endswith("pam_faillock.so") and "authfail" in a and i < u:
                errs.append("%s: faillock authfail before pam_unix" % path)
    pw = [(mod.rsplit("/", 1)[-1], args) for _, t, _, mod, args, _ in ls if t == "password"]
    pmods = [m for m, _ in pw]
    if "pam_pwquality.so" in pmods and "pam_unix.so" in pmods:
        if pmods.index("pam_pwquality.so") > pmods.index("pam_unix.so"):
            errs.append("%s: pam_pwquality after pam_unix" % path)
        if "use_authtok" not in pw[pmods.index("pam_unix.so")][1]:
            errs.append("%s: pam_unix after pam_pwquality lacks use_authtok" % path)
    return errs


errs = []
for p in sys.argv[1:]:
    errs += check(p)
for e in errs:
    print(e)
sys.exit(1 if errs else 0)
