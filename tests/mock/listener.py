#!/usr/bin/env python3
"""A loopback TCP listener for the hostile-configuration tests: records
every connection and the bytes of its request in LOG, answers any HTTP
request with 200 and "{}", and writes its port to PORTFILE once it
listens.  usage: listener.py PORTFILE LOG"""
import os
import socket
import sys
import threading

portfile, log = sys.argv[1], sys.argv[2]
lock = threading.Lock()


def serve(conn):
    conn.settimeout(5)
    data = b""
    try:
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        with lock, open(log, "ab") as f:
            f.write(b"CONNECT\n" + data + b"\n")
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json"
                     b"\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
    except OSError:
        pass
    finally:
        conn.close()


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(16)
open(log, "ab").close()
with open(portfile + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(portfile + ".tmp", portfile)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
