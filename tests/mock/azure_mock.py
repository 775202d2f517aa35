#!/usr/bin/env python3
"""Loopback mock of Azure IMDS (HTTP), ARM and log collectors (HTTPS).

Behaves like the real services where tattoo depends on it: IMDS rejects a
request without "Metadata: true" or with X-Forwarded-For (400), answers only
GET, and fails on demand (410, 429, 500); the HTTPS side uses a CA this
script makes, so the agent must trust it through ca_file.

Control (HTTP, under /_mock/):
  GET  /_mock/requests          every request seen, as JSON
  POST /_mock/reset             forget requests and failures
  POST /_mock/instance          replace the IMDS instance document
  POST /_mock/fail              {"route": "imds"|"token"|"arm"|"collector",
                                 "statuses": [500, 500], "retry_after": 1}
                                the next answers of that route
Writes "HTTP_PORT HTTPS_PORT" to DIR/ports once listening.
"""
import argparse
import json
import os
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {
    "requests": [],
    "fail": {},
    "instance": None,
    "lock": threading.Lock(),
}

DEFAULT_INSTANCE = {
    "compute": {
        "vmId": "02aab8a4-74ef-476e-8182-f6d2ba4166a6",
        "name": "vm-golden-01",
        "location": "westeurope",
        "resourceId": "/subscriptions/00000000-0000-0000-0000-000000000001"
                      "/resourceGroups/rg-fleet/providers/"
                      "Microsoft.Compute/virtualMachines/vm-golden-01",
        "subscriptionId": "00000000-0000-0000-0000-000000000001",
        "resourceGroupName": "rg-fleet",
        "vmSize": "Standard_D2s_v5",
        "osType": "Linux",
        "version": "22.04.202611010",
        "storageProfile": {
            "imageReference": {
                "id": "",
                "offer": "0001-com-ubuntu-server-jammy",
                "publisher": "canonical",
                "sku": "22_04-lts-gen2",
                "version": "latest",
                "exactVersion": "22.04.202611010",
                "sharedGalleryImageId": "",
                "communityGalleryImageId": "",
            }
        },
        "tagsList": [{"name": "env", "value": "test"}],
    },
    "network": {"interface": []},
}


def next_failure(route):
    with STATE["lock"]:
        q = STATE["fail"].get(route)
        if q and q["statuses"]:
            return q["statuses"].pop(0), q.get("retry_after")
    return None, None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "azure-mock/1"

    def log_message(self, fmt, *args):
        pass

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _send(self, status, body=b"", ctype="application/json",
              headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _record(self, body):
        with STATE["lock"]:
            STATE["requests"].append({
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
                "tls": self.server.tls,
            })

    def _handle(self):
        body = self._body()
        if self.path.startswith("/_mock/"):
            return self._control(body)
        self._record(body)
        route = self.route()
        if route is None:
            return self._send(404, {"error": "no such route"})
        status, retry_after = next_failure(route)
        if status is not None:
            hdrs = {"Retry-After": str(retry_after)} if retry_after else {}
            return self._send(status, {"error": "injected"}, headers=hdrs)
        handler = getattr(self, "route_" + route.replace("-", "_"))
        return handler(body)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

    def route(self):
        if not self.server.tls and self.path.startswith("/metadata/"):
            if self.path.startswith("/metadata/identity/"):
                return "token"
            return "imds"
        if self.server.tls and "/providers/Microsoft.Resources/tags/" \
                in self.path:
            return "arm"
        if self.server.tls or self.path.startswith("/collector"):
            return "collector"
        return None

    def imds_guard(self):
        if self.headers.get("Metadata") != "true":
            self._send(400, {"error": "Bad request. Required metadata "
                             "header not specified"})
            return False
        if self.headers.get("X-Forwarded-For") is not None:
            self._send(400, {"error": "Bad request. X-Forwarded-For "
                             "header is not allowed"})
            return False
        if self.command != "GET":
            self._send(405, {"error": "Method not allowed"})
            return False
        if "api-version=" not in self.path:
            self._send(400, {"error": "Bad request. api-version was not "
                             "specified", "newest-versions": ["2023-07-01"]})
            return False
        return True

    def route_imds(self, body):
        if not self.imds_guard():
            return
        if not self.path.startswith("/metadata/instance"):
            return self._send(404, {"error": "Not found"})
        doc = STATE["instance"] or DEFAULT_INSTANCE
        self._send(200, doc)

    def route_token(self, body):
        if not self.imds_guard():
            return
        import time
        resource = ""
        if "resource=" in self.path:
            resource = self.path.split("resource=", 1)[1].split("&")[0]
        self._send(200, {
            "access_token": "mock-token-for-" + resource,
            "expires_on": str(int(time.time()) + 3600),
            "resource": resource,
            "token_type": "Bearer",
        })

    def route_arm(self, body):
        if not self.headers.get("Authorization", "").startswith("Bearer "):
            return self._send(401, {"error": {"code": "AuthenticationFailed"}})
        self._send(200, {"properties": {"tags": {}}})

    def route_collector(self, body):
        self._send(200, {"accepted": True})

    def _control(self, body):
        cmd = self.path[len("/_mock/"):]
        with STATE["lock"]:
            if cmd == "requests":
                data = json.dumps(STATE["requests"])
            elif cmd == "reset":
                STATE["requests"].clear()
                STATE["fail"].clear()
                STATE["instance"] = None
                data = "{}"
            elif cmd == "instance":
                STATE["instance"] = json.loads(body)
                data = "{}"
            elif cmd == "fail":
                spec = json.loads(body)
                STATE["fail"][spec["route"]] = spec
                data = "{}"
            else:
                data = None
        if data is None:
            return self._send(404, {"error": "unknown control"})
        self._send(200, data)


def make_certs(d):
    """A CA, a server certificate for localhost/127.0.0.1, a client
    certificate, and a second unrelated CA for the wrong-CA test."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, cwd=d,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if os.path.exists(os.path.join(d, "server.pem")):
        return
    for ca in ("ca", "otherca"):
        run("req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", "/CN=tattoo test " + ca, "-keyout", ca + ".key",
            "-out", ca + ".pem")
    with open(os.path.join(d, "san.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    for name, ext in (("server", True), ("client", False)):
        run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-subj", "/CN=" + name, "-keyout", name + ".key",
            "-out", name + ".csr")
        args = ["x509", "-req", "-in", name + ".csr", "-CA", "ca.pem",
                "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-out", name + ".pem"]
        if ext:
            args += ["-extfile", "san.ext"]
        run(*args)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--require-client-cert", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    make_certs(args.dir)

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    http.tls = False
    https = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    https.tls = True
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(os.path.join(args.dir, "server.pem"),
                        os.path.join(args.dir, "server.key"))
    if args.require_client_cert:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(os.path.join(args.dir, "ca.pem"))
    https.socket = ctx.wrap_socket(https.socket, server_side=True)
    for srv in (http, https):
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    tmp = os.path.join(args.dir, "ports.tmp")
    with open(tmp, "w") as f:
        f.write("%d %d\n" % (http.server_address[1],
                             https.server_address[1]))
    os.rename(tmp, os.path.join(args.dir, "ports"))
    threading.Event().wait()


if __name__ == "__main__":
    main()
