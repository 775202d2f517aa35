#!/usr/bin/env python3
"""Plants secrets in an image tree for the scrub tests and the bench.

Every secret is assembled here at run time from random parts (nothing
real-looking is committed), in the kinds of files an image holds: a
config, an env file, a script, a shell history, JSON and YAML, a binary.
Writes the manifest, one JSON object a line: {"detector", "path",
"secret"}, to the file named by --manifest.
"""
import argparse
import base64
import json
import os
import random
import string
import zlib

ALNUM = string.ascii_letters + string.digits
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def rnd(chars, n, r):
    out = []
    while len(out) < n:
        c = r.choice(chars)
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def gh(prefix, r):
    body = rnd(ALNUM, 30, r)
    v = zlib.crc32(body.encode())
    s = ""
    for _ in range(6):
        s = B62[v % 62] + s
        v //= 62
    return prefix + body + s


def secrets(r):
    b64 = lambda n: base64.b64encode(bytes(r.randrange(256) for _ in range(n))).decode()
    pem_body = "\n".join(b64(48) for _ in range(10))
    hdr = base64.urlsafe_b64encode(b'{"alg":"RS256","typ":"JWT"}').decode().rstrip("=")
    pay = base64.urlsafe_b64encode(
        ('{"sub":"%d","aud":"api"}' % r.randrange(10**6)).encode()).decode().rstrip("=")
    sig = base64.urlsafe_b64encode(bytes(r.randrange(256) for _ in range(64))).decode().rstrip("=")
    key88 = b64(64)
    return [
        ("github-pat-classic", "home/builder/.config/app.env", "GH_TOKEN=%s\n", gh("ghp_", r)),
        ("aws-access-key-id", "etc/app/aws.ini", "[default]\naws_access_key_id = %s\n",
         "AKIA" + rnd("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, r)),
        ("aws-secret-access-key", "opt/deploy/run.sh",
         "#!/bin/sh\nexport AWS_SECRET_ACCESS_KEY='%s'\n", rnd(ALNUM + "/+", 40, r)),
        ("azure-storage-connection-string", "etc/app/appsettings.json",
         '{"Storage": "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=%s;EndpointSuffix=core.windows.net"}\n',
         key88),
        ("azure-entra-client-secret", "etc/app/entra.yaml", "client_id: abc\nclient_credential: %s\n",
         rnd(ALNUM, 3, r) + "8Q~" + rnd(ALNUM + "_~.-", 34, r)),
        ("slack-webhook", "usr/local/bin/notify", "#!/bin/sh\ncurl -X POST https://%s -d @msg\n",
         "hooks.slack.com/services/T" + rnd(ALNUM.upper(), 8, r) + "/B" + rnd(ALNUM.upper(), 8, r)
         + "/" + rnd(ALNUM, 24, r)),
        ("jwt", "root/.bash_history", "ls\ncurl -H 'X-Auth: %s' https://api.internal\nexit\n",
         "%s.%s.%s" % (hdr, pay, sig)),
        ("private-key-openssh", "srv/keys/deploy_key",
         "%s\n", "-----BEGIN OPENSSH PRIVATE KEY-----\n" + pem_body + "\n-----END OPENSSH PRIVATE KEY-----"),
        ("url-password", "etc/app/db.conf", "url = postgres://app:%s@db.internal/app\n", rnd(ALNUM, 16, r)),
        ("password-assignment", "etc/app/app.conf", "[db]\npassword = %s\n",
         rnd(ALNUM, 10, r) + "#" + rnd(ALNUM, 5, r)),
        ("npm-token", "usr/lib/app/blob.bin", "\x00\x01ELF\x00%s\x00\xff\xfe", "npm_" + rnd(ALNUM, 36, r)),
        ("stripe-secret-key", "var/www/pay.php", "<?php $k = '%s';\n", "sk_live_" + rnd(ALNUM, 32, r)),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    r = random.Random(a.seed)
    with open(a.manifest, "w") as m:
        for det, path, fmt, secret in secrets(r):
            full = os.path.join(a.root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "ab") as f:
                f.write((fmt % secret).encode("latin-1"))
            m.write(json.dumps({"detector": det, "path": "/" + path, "secret": secret}) + "\n")


if __name__ == "__main__":
    main()
