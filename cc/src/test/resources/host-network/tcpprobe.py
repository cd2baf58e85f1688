"""TCP ends for LinuxHostNetworkTest, run inside network namespaces (standard library only).

serve PORT        listen on PORT; print "ready"; greet each connection with "from <peer address>"
                  and then echo its lines back
connect HOST PORT connect (1.5 s to answer); print the greeting, then send each line of stdin and
                  print what comes back; "FAIL <reason>" and exit 1 when no connection is made
"""
import socket
import sys
import threading


def serve(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(16)
    print("ready", flush=True)
    while True:
        c, peer = s.accept()
        threading.Thread(target=talk, args=(c, peer), daemon=True).start()


def talk(c, peer):
    with c:
        c.sendall(("from %s\n" % peer[0]).encode())
        f = c.makefile("rb")
        for line in f:
            c.sendall(line)


def connect(host, port):
    try:
        c = socket.create_connection((host, port), timeout=1.5)
        f = c.makefile("rb")
        print(f.readline().decode().strip(), flush=True)
    except OSError as e:
        print("FAIL %s" % e, flush=True)
        sys.exit(1)
    c.settimeout(3)
    for line in sys.stdin:
        try:
            c.sendall(line.encode())
            print(f.readline().decode().strip() or "FAIL closed", flush=True)
        except OSError as e:
            print("FAIL %s" % e, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        connect(sys.argv[2], int(sys.argv[3]))
