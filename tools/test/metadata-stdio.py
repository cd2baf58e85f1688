#!/usr/bin/python3
"""A stand-in for the metadata service, one HTTP/1.0 exchange on stdin/stdout.

QEMU's user-mode network runs it once per guest connection to 169.254.169.254:80
(-netdev user,guestfwd=tcp:169.254.169.254:80-cmd:...), so it serves GET /latest/... from the
folder given as argument: /latest/meta-data/instance-id is DIR/latest/meta-data/instance-id.
Every request is appended to DIR/requests.log, so a test can tell what the guest asked for.
"""
import os
import sys

root = os.path.realpath(sys.argv[1])
inp, out = sys.stdin.buffer, sys.stdout.buffer
request = inp.readline().decode("latin-1").split()
while inp.readline() not in (b"\r\n", b"\n", b""):
    pass
path = request[1] if len(request) > 1 else "/"
with open(os.path.join(root, "requests.log"), "a") as log:
    log.write(path + "\n")
file = os.path.realpath(os.path.join(root, path.lstrip("/")))
if request and request[0] == "GET" and file.startswith(root + os.sep) and os.path.isfile(file):
    with open(file, "rb") as f:
        body = f.read()
    status = b"200 OK"
else:
    body, status = b"not found\n", b"404 Not Found"
out.write(b"HTTP/1.0 " + status + b"\r\nContent-Type: text/plain\r\nContent-Length: "
          + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
out.flush()
