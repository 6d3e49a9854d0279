"""Opens N connections to 127.0.0.1:PORT, echoes one byte on each, and holds them open for SECONDS.

usage: idle-clients.py N PORT SECONDS
"""
import socket, sys, time
n = int(sys.argv[1]); port = int(sys.argv[2]); hold = float(sys.argv[3])
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    socks.append(s)
# one round trip on each so every connection has been accepted, read and echoed once
for s in socks:
    s.sendall(b"x")
for s in socks:
    assert s.recv(1) == b"x"
print("open", len(socks), flush=True)
time.sleep(hold)
