#!/usr/bin/env python3
"""Loopback stand-in of Azure Key Vault's key API (HTTPS) and of the IMDS
managed-identity token endpoint (HTTP), for write --sign-keyvault.

Key Vault (HTTPS, a CA this script makes; the agent trusts it through
ca_file, and reaches it through keyvault_url):
  GET  /keys/NAME[/VERSION]?api-version=7.4     the key as a JWK (EC P-256)
  POST /keys/NAME/VERSION/sign?api-version=7.4  {"alg": "ES256",
       "value": base64url(32-byte digest)} -> {"kid", "value": base64url(r||s)}
with a P-256 key this script generates (its public key in DIR/kv.pub.pem,
as `az keyvault key download --encoding PEM` writes it).  The vault holds
one key, "tattoo" (version KEY_VERSION), under the kid
https://VAULT_HOST/keys/tattoo/KEY_VERSION; any other key is a 404
(KeyNotFound).  Every request needs "Authorization: Bearer TOKEN" with the
token the IMDS side issued for https://vault.azure.net (else 401), and the
api-version 7.4.
IMDS (HTTP): /metadata/identity/oauth2/token needs "Metadata: true" and a
resource; the token is random per run (DIR/token holds it, so a test can
look for it in the agent's output).

Control (HTTP, under /_mock/):
  GET  /_mock/requests   every request seen, as JSON
  POST /_mock/reset      forget requests and failures
  POST /_mock/fail       {"route": "kv"|"token", "statuses": [403],
                          "drops": 2, "delays": [11], "skip": 1}: after
                          "skip" requests answered as usual, the next
                          answers of that route get these statuses; the
                          next "drops" requests are closed with no answer;
                          the next len(delays) answers wait that many
                          seconds first
Writes "HTTP_PORT HTTPS_PORT" to DIR/ports once listening.
"""
import argparse
import base64
import json
import os
import secrets
import ssl
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

VAULT_HOST = "kv-golden.vault.azure.net"
KEY_NAME = "tattoo"
KEY_VERSION = "0123456789abcdef0123456789abcdef"
STATE = {"requests": [], "fail": {}, "lock": threading.Lock()}


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def unb64url(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def take(route):
    """(drop, status, delay) for this request of route."""
    with STATE["lock"]:
        q = STATE["fail"].get(route) or {}
        if q.get("skip", 0) > 0:
            q["skip"] -= 1
            return False, None, 0
        drop = q.get("drops", 0) > 0
        if drop:
            q["drops"] -= 1
        status = q["statuses"].pop(0) if q.get("statuses") else None
        delay = q["delays"].pop(0) if q.get("delays") else 0
    return drop, status, delay


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "keyvault-mock/1"

    def log_message(self, fmt, *args):
        pass

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        if self.path.startswith("/_mock/"):
            return self.control(body)
        with STATE["lock"]:
            STATE["requests"].append({
                "method": self.command, "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
                "server": self.server.name, "time": time.time()})
        route = "kv" if self.server.name == "https" else "token"
        if route == "token" and \
                not self.path.startswith("/metadata/identity/oauth2/token"):
            return self._send(404, {"error": "Not found"})
        drop, status, delay = take(route)
        if delay:
            time.sleep(delay)
        if drop:
            self.close_connection = True
            return
        if status is not None:
            return self._send(status, {"error": {
                "code": "Forbidden" if status == 403 else "Injected%d" % status,
                "message": "injected failure %d" % status}})
        return self.token() if route == "token" else self.keyvault(body)

    do_GET = do_POST = _handle

    def token(self):
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        if self.headers.get("Metadata") != "true" or self.command != "GET":
            return self._send(400, {"error": "invalid_request"})
        if q.get("api-version") != ["2018-02-01"] or not q.get("resource"):
            return self._send(400, {"error": "invalid_request"})
        self._send(200, {
            "access_token": self.server.token,
            "expires_on": str(int(time.time()) + 3600),
            "resource": q["resource"][0], "token_type": "Bearer"})

    def keyvault(self, body):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        if self.headers.get("Authorization") != "Bearer " + self.server.token:
            return self._send(401, {"error": {
                "code": "Unauthorized",
                "message": "AKV10000: Request is missing a Bearer or PoP "
                           "token."}})
        if q.get("api-version") != ["7.4"]:
            return self._send(400, {"error": {"code": "BadParameter",
                                              "message": "api-version"}})
        parts = u.path.strip("/").split("/")
        if len(parts) < 2 or parts[0] != "keys":
            return self._send(404, {"error": {"code": "NotFound"}})
        name = parts[1]
        version = parts[2] if len(parts) > 2 else ""
        if name != KEY_NAME or version not in ("", KEY_VERSION):
            return self._send(404, {"error": {
                "code": "KeyNotFound",
                "message": "A key with (name/id) %s was not found in this "
                           "key vault." % name}})
        kid = "https://%s/keys/%s/%s" % (VAULT_HOST, KEY_NAME, KEY_VERSION)
        if self.command == "GET" and len(parts) <= 3:
            nums = self.server.key.public_key().public_numbers()
            return self._send(200, {"key": {
                "kid": kid, "kty": "EC", "crv": "P-256",
                "key_ops": ["sign", "verify"],
                "x": b64url(nums.x.to_bytes(32, "big")),
                "y": b64url(nums.y.to_bytes(32, "big"))},
                "attributes": {"enabled": True}})
        if self.command != "POST" or len(parts) != 4 or parts[3] != "sign":
            return self._send(405, {"error": {"code": "BadRequest"}})
        try:
            req = json.loads(body)
            digest = unb64url(req["value"])
        except (ValueError, KeyError, TypeError):
            return self._send(400, {"error": {"code": "BadParameter"}})
        if req.get("alg") != "ES256" or len(digest) != 32:
            return self._send(400, {"error": {
                "code": "BadParameter",
                "message": "Invalid digest or algorithm"}})
        der = self.server.key.sign(
            digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
        r, s = utils.decode_dss_signature(der)
        self._send(200, {"kid": kid, "value": b64url(
            r.to_bytes(32, "big") + s.to_bytes(32, "big"))})

    def control(self, body):
        if self.path == "/_mock/requests":
            with STATE["lock"]:
                return self._send(200, STATE["requests"])
        if self.path == "/_mock/reset":
            with STATE["lock"]:
                STATE["requests"].clear()
                STATE["fail"].clear()
            return self._send(200, {})
        if self.path == "/_mock/fail":
            f = json.loads(body)
            with STATE["lock"]:
                STATE["fail"][f["route"]] = f
            return self._send(200, {})
        return self._send(404, {})


def make_certs(d):
    def run(*args):
        subprocess.run(["openssl", *args], check=True, cwd=d,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run("req", "-x509", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", "/CN=tattoo test kv ca", "-keyout", "ca.key",
        "-out", "ca.pem")
    with open(os.path.join(d, "san.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key",
        "-out", "server.csr")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey",
        "ca.key", "-CAcreateserial", "-days", "2", "-out", "server.pem",
        "-extfile", "san.ext")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    make_certs(args.dir)
    key = ec.generate_private_key(ec.SECP256R1())
    pub = os.path.join(args.dir, "kv.pub.pem")
    with open(pub, "wb") as f:
        f.write(key.public_key().public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo))
    os.chmod(pub, 0o644)
    token = "kvtok-" + secrets.token_hex(24)
    with open(os.path.join(args.dir, "token"), "w") as f:
        f.write(token + "\n")

    servers = []
    for name in ("http", "https"):
        srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        srv.name, srv.key, srv.token = name, key, token
        srv.daemon_threads = True
        servers.append(srv)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(os.path.join(args.dir, "server.pem"),
                        os.path.join(args.dir, "server.key"))
    servers[1].socket = ctx.wrap_socket(servers[1].socket, server_side=True)
    for srv in servers:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    tmp = os.path.join(args.dir, "ports.tmp")
    with open(tmp, "w") as f:
        f.write("%d %d\n" % (servers[0].server_address[1],
                             servers[1].server_address[1]))
    os.rename(tmp, os.path.join(args.dir, "ports"))
    threading.Event().wait()


if __name__ == "__main__":
    main()
