#!/usr/bin/env python3
"""Loopback mock of Azure IMDS (HTTP), ARM and log collectors (HTTPS).

Behaves like the real services where tattoo depends on it: IMDS rejects a
request without "Metadata: true" or with X-Forwarded-For (400), answers only
GET, and fails on demand (410, 429, 500); the HTTPS side uses a CA this
script makes, so the agent must trust it through ca_file.

ARM (HTTPS): the Tags API, PATCH with {"operation": "Merge"} and GET, on
.../providers/Microsoft.Resources/tags/default?api-version=2021-04-01,
with ARM's limits (50 tags, names <= 512 without <>%&\\?/, values <= 256)
and a bearer token IMDS issued for https://management.azure.com/.
ARM (HTTPS) also lists the versions of a Compute Gallery image, GET
.../galleries/G/images/I/versions?api-version=2023-07-03 (bearer as
above), from what /_mock/gallery set, a page of "gallery_page" versions
(config) at a time with a nextLink; 404 for an image it does not know.
Collectors (HTTPS): Logs Ingestion on .../dataCollectionRules/... (bearer
for https://monitor.azure.com/, api-version 2023-01-01, a JSON array, 204),
OTLP/HTTP JSON on .../v1/logs (a resourceLogs list), and any other path as
a generic JSON collector (an object per request).  A second HTTPS port
demands a client certificate signed by the CA (mutual TLS).  Syslog:
a unix datagram socket DIR/syslog.sock and TCP/UDP on one port.

Control (HTTP, under /_mock/):
  GET  /_mock/requests          every request seen, as JSON
  GET  /_mock/syslog            every syslog message received, as JSON
  GET  /_mock/tags              the tags ARM holds, by resource id
  POST /_mock/reset             forget requests, failures, tags, settings
  POST /_mock/instance          replace the IMDS instance document
  POST /_mock/gallery           {"image": id, "versions": [ARM's gallery
                                 image version objects]}
  POST /_mock/fail              {"route": "imds"|"token"|"arm"|"collector",
                                 "statuses": [500, 500], "retry_after": 1,
                                 "delay": 0.5, "drops": 2}
                                the next answers of that route (and a
                                delay before every answer of it); the
                                next "drops" requests get no answer, the
                                connection closed
  POST /_mock/config            {"token_ttl": s, "collector_token": t,
                                 "token_body": "raw answer of the token
                                 endpoint"}
Writes "HTTP_PORT HTTPS_PORT MTLS_PORT SYSLOG_PORT" to DIR/ports once
listening.
"""
import argparse
import json
import os
import ssl
import socket
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {
    "requests": [],
    "fail": {},
    "instance": None,
    "tags": {},
    "syslog": [],
    "config": {},
    "gallery": {},
    "lock": threading.Lock(),
}

ARM_TOKEN = "mock-token-for-https://management.azure.com/"
MONITOR_TOKEN = "mock-token-for-https://monitor.azure.com/"
FORBIDDEN = set('<>%&\\?/')

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


def take_drop(route):
    """True when this request of route is to get no answer at all."""
    with STATE["lock"]:
        q = STATE["fail"].get(route)
        if q and q.get("drops", 0) > 0:
            q["drops"] -= 1
            return True
    return False


def next_failure(route):
    with STATE["lock"]:
        q = STATE["fail"].get(route)
        delay = q.get("delay", 0) if q else 0
        if q and q.get("statuses"):
            status = q["statuses"].pop(0)
            ra = q.get("retry_after")
        else:
            status = ra = None
    if delay:
        time.sleep(delay)
    return status, ra


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
                "server": self.server.name,
                "time": time.time(),
            })

    def _handle(self):
        body = self._body()
        if self.path.startswith("/_mock/"):
            return self._control(body)
        self._record(body)
        route = self.route()
        if route is None:
            return self._send(404, {"error": "no such route"})
        if take_drop(route):
            # The connection closes with no answer, as a reset would.
            self.close_connection = True
            return
        status, retry_after = next_failure(route)
        if status is not None:
            hdrs = {"Retry-After": str(retry_after)} if retry_after else {}
            body = {"error": {"code": "Injected%d" % status,
                              "message": "injected failure"}}
            if route == "gallery" and status == 403:
                body = {"error": {"code": "AuthorizationFailed",
                                  "message": "The client does not have "
                                  "authorization to perform action "
                                  "'Microsoft.Compute/galleries/images/"
                                  "versions/read'"}}
            if route == "arm" and status == 403:
                body = {"error": {"code": "AuthorizationFailed",
                                  "message": "The client does not have "
                                  "authorization to perform action "
                                  "'Microsoft.Resources/tags/write'"}}
            return self._send(status, body, headers=hdrs)
        handler = getattr(self, "route_" + route.replace("-", "_"))
        return handler(body)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

    def route(self):
        if not self.server.tls and self.path.startswith("/metadata/"):
            if self.path.startswith("/metadata/identity/"):
                return "token"
            return "imds"
        path = urllib.parse.urlsplit(self.path).path
        if self.server.tls and "/providers/Microsoft.Compute/galleries/" \
                in path and path.endswith("/versions"):
            return "gallery"
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

    def query(self):
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)

    def route_token(self, body):
        if not self.imds_guard():
            return
        q = self.query()
        if q.get("api-version") != ["2018-02-01"]:
            return self._send(400, {"error": "invalid_request",
                                    "error_description": "api-version"})
        resource = q.get("resource", [""])[0]
        if not resource:
            return self._send(400, {"error": "invalid_request",
                                    "error_description": "resource"})
        if "token_body" in STATE["config"]:
            return self._send(200, STATE["config"]["token_body"])
        ttl = STATE["config"].get("token_ttl", 3600)
        self._send(200, {
            "access_token": "mock-token-for-" + resource,
            "expires_on": str(int(time.time()) + ttl),
            "expires_in": str(ttl),
            "resource": resource,
            "token_type": "Bearer",
        })

    def route_arm(self, body):
        if self.headers.get("Authorization") != "Bearer " + ARM_TOKEN:
            return self._send(401, {"error": {
                "code": "InvalidAuthenticationToken",
                "message": "The access token is invalid."}})
        if self.query().get("api-version") != ["2021-04-01"]:
            return self._send(400, {"error": {"code": "InvalidApiVersion"}})
        rid = urllib.parse.urlsplit(self.path).path.split(
            "/providers/Microsoft.Resources/tags/")[0].lower()
        with STATE["lock"]:
            current = dict(STATE["tags"].get(rid, {}))
        if self.command == "GET":
            return self._send(200, {"properties": {"tags": current}})
        if self.command != "PATCH":
            return self._send(405, {"error": {"code": "MethodNotAllowed"}})
        try:
            doc = json.loads(body)
            assert doc["operation"] == "Merge", "operation"
            tags = doc["properties"]["tags"]
            assert isinstance(tags, dict), "tags"
        except Exception as e:
            return self._send(400, {"error": {"code": "InvalidRequest",
                                              "message": str(e)}})
        for k, v in tags.items():
            if (len(k) > 512 or set(k) & FORBIDDEN or
                    not isinstance(v, str) or len(v) > 256):
                return self._send(400, {"error": {"code": "InvalidTag",
                                                  "message": k}})
        lower = {k.lower(): k for k in current}
        for k, v in tags.items():
            current.pop(lower.get(k.lower(), k), None)
            current[k] = v
        if len(current) > 50:
            return self._send(400, {"error": {"code": "TooManyTags"}})
        with STATE["lock"]:
            STATE["tags"][rid] = current
        self._send(200, {"id": rid, "properties": {"tags": current}})

    def route_gallery(self, body):
        if self.headers.get("Authorization") != "Bearer " + ARM_TOKEN:
            return self._send(401, {"error": {
                "code": "InvalidAuthenticationToken",
                "message": "The access token is invalid."}})
        q = self.query()
        if q.get("api-version") != ["2023-07-03"]:
            return self._send(400, {"error": {"code": "InvalidApiVersion"}})
        if self.command != "GET":
            return self._send(405, {"error": {"code": "MethodNotAllowed"}})
        path = urllib.parse.urlsplit(self.path).path
        image = path[:-len("/versions")].lower()
        with STATE["lock"]:
            versions = STATE["gallery"].get(image)
            page = STATE["config"].get("gallery_page", 100)
        if versions is None:
            return self._send(404, {"error": {
                "code": "ResourceNotFound",
                "message": "The Resource '%s' was not found." % path}})
        skip = int(q.get("$skiptoken", ["0"])[0])
        doc = {"value": versions[skip:skip + page]}
        if skip + page < len(versions):
            # "gallery_next_base" (config) points nextLink elsewhere,
            # as a hostile or broken answer would.
            base = (STATE["config"].get("gallery_next_base") or
                    "https://" + self.headers.get("Host"))
            doc["nextLink"] = ("%s%s?api-version=2023-07-03"
                               "&$skiptoken=%d" % (base, path, skip + page))
        self._send(200, doc)

    def route_collector(self, body):
        path = urllib.parse.urlsplit(self.path).path
        auth = self.headers.get("Authorization", "")
        ctype = self.headers.get("Content-Type", "")
        if "/dataCollectionRules/" in path:
            want = STATE["config"].get("collector_token", MONITOR_TOKEN)
            if auth != "Bearer " + want:
                return self._send(401, {"error": {
                    "code": "InvalidAuthenticationToken"}})
            if self.query().get("api-version") != ["2023-01-01"]:
                return self._send(400, {"error": {"code": "InvalidApiVersion"}})
            try:
                doc = json.loads(body)
                assert isinstance(doc, list) and doc
                assert all(isinstance(r, dict) for r in doc)
            except Exception:
                return self._send(400, {"error": {"code": "InvalidPayload"}})
            if not ctype.startswith("application/json"):
                return self._send(415, {"error": {"code": "ContentType"}})
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if "collector_token" in STATE["config"] and \
                auth != "Bearer " + STATE["config"]["collector_token"]:
            return self._send(401, {"error": "unauthorized"})
        try:
            doc = json.loads(body)
        except Exception:
            return self._send(400, {"error": "not JSON"})
        if path.endswith("/v1/logs"):
            if not isinstance(doc, dict) or \
                    not isinstance(doc.get("resourceLogs"), list):
                return self._send(400, {"error": "no resourceLogs"})
            return self._send(200, {"partialSuccess": {}})
        if not isinstance(doc, dict):
            return self._send(400, {"error": "one object per request"})
        self._send(200, {"accepted": True})

    def _control(self, body):
        cmd = self.path[len("/_mock/"):]
        with STATE["lock"]:
            if cmd == "requests":
                data = json.dumps(STATE["requests"])
            elif cmd == "syslog":
                data = json.dumps(STATE["syslog"])
            elif cmd == "tags":
                data = json.dumps(STATE["tags"])
            elif cmd == "config":
                STATE["config"].update(json.loads(body))
                data = "{}"
            elif cmd == "reset":
                STATE["requests"].clear()
                STATE["fail"].clear()
                STATE["instance"] = None
                STATE["tags"].clear()
                STATE["syslog"].clear()
                STATE["config"].clear()
                STATE["gallery"].clear()
                data = "{}"
            elif cmd == "gallery":
                spec = json.loads(body)
                STATE["gallery"][spec["image"].lower()] = spec["versions"]
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


def record_syslog(transport, data):
    with STATE["lock"]:
        STATE["syslog"].append({"transport": transport,
                                "data": data.decode("utf-8", "replace")})


def serve_syslog(d):
    """Unix datagram socket DIR/syslog.sock; TCP (RFC 6587 octet counting)
    and UDP on one port.  Returns the port."""
    path = os.path.join(d, "syslog.sock")
    if os.path.exists(path):
        os.unlink(path)
    ux = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    ux.bind(path)
    tcp = socket.socket()
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(64)
    port = tcp.getsockname()[1]
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        udp.bind(("127.0.0.1", port))
    except OSError:
        udp = None

    def dgram(sock, name):
        while True:
            data = sock.recv(1 << 20)
            record_syslog(name, data)

    def stream_conn(c):
        buf = b""
        with c:
            while True:
                chunk = c.recv(65536)
                if not chunk:
                    break
                buf += chunk
        while buf:
            n, _, rest = buf.partition(b" ")
            try:
                n = int(n)
            except ValueError:
                record_syslog("tcp-unframed", buf)
                break
            record_syslog("tcp", rest[:n])
            buf = rest[n:]

    def accept():
        while True:
            c, _ = tcp.accept()
            threading.Thread(target=stream_conn, args=(c,),
                             daemon=True).start()

    threading.Thread(target=dgram, args=(ux, "unix"), daemon=True).start()
    if udp is not None:
        threading.Thread(target=dgram, args=(udp, "udp"),
                         daemon=True).start()
    threading.Thread(target=accept, daemon=True).start()
    return port


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--require-client-cert", action="store_true")
    # tests/run.sh makes the certificates once for every test of a run
    # (six openssl processes a mock; start_mock copies them in).
    ap.add_argument("--certs-only", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    make_certs(args.dir)
    if args.certs_only:
        return

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    http.tls = False
    http.name = "http"
    https = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    https.tls = True
    https.name = "https"
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(os.path.join(args.dir, "server.pem"),
                        os.path.join(args.dir, "server.key"))
    if args.require_client_cert:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(os.path.join(args.dir, "ca.pem"))
    https.socket = ctx.wrap_socket(https.socket, server_side=True)
    mtls = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    mtls.tls = True
    mtls.name = "mtls"
    mctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    mctx.minimum_version = ssl.TLSVersion.TLSv1_2
    mctx.load_cert_chain(os.path.join(args.dir, "server.pem"),
                         os.path.join(args.dir, "server.key"))
    mctx.verify_mode = ssl.CERT_REQUIRED
    mctx.load_verify_locations(os.path.join(args.dir, "ca.pem"))
    mtls.socket = mctx.wrap_socket(mtls.socket, server_side=True)
    for srv in (http, https, mtls):
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    syslog_port = serve_syslog(args.dir)
    tmp = os.path.join(args.dir, "ports.tmp")
    with open(tmp, "w") as f:
        f.write("%d %d %d %d\n" % (http.server_address[1],
                                   https.server_address[1],
                                   mtls.server_address[1], syslog_port))
    os.rename(tmp, os.path.join(args.dir, "ports"))
    threading.Event().wait()


if __name__ == "__main__":
    main()
