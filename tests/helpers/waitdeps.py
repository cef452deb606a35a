#!/usr/bin/env python3
"""The dependencies of gracefulinit's --wait tests, as servers that become
ready when told (tests/integration/test_wait.py).

    waitdeps.py dns DIR PORT
        In a network namespace of its own (unshare --net): brings loopback
        up, listens on 127.0.0.1:PORT (TCP), and answers DNS on
        127.0.0.1:53: NXDOMAIN for every name until DIR/resolve exists, then
        db.test's A record, 127.0.0.1. Each answer is a line in DIR/dns.log;
        DIR/up once both listen.
"""
import fcntl
import os
import socket
import struct
import sys
import threading

SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1


def loopback_up():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        req = struct.pack("16sH", b"lo", 0)
        flags = struct.unpack("16sH", fcntl.ioctl(s, SIOCGIFFLAGS, req))[1]
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH", b"lo", flags | IFF_UP))


def qname(packet):
    labels, i = [], 12
    while packet[i]:
        n = packet[i]
        labels.append(packet[i + 1:i + 1 + n].decode())
        i += 1 + n
    return ".".join(labels), i + 5  # past the zero byte, QTYPE and QCLASS


def answer(packet, resolve):
    name, end = qname(packet)
    qtype = struct.unpack(">H", packet[end - 4:end - 2])[0]
    ident = packet[:2]
    question = packet[12:end]
    if not resolve or name != "db.test":
        return name, "NXDOMAIN", ident + b"\x81\x83" + b"\x00\x01\x00\x00\x00\x00\x00\x00" + question
    if qtype != 1:  # AAAA and the rest: no data
        return name, "NODATA", ident + b"\x81\x80" + b"\x00\x01\x00\x00\x00\x00\x00\x00" + question
    record = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 5, 4) + socket.inet_aton("127.0.0.1")
    return name, "A", ident + b"\x81\x80" + b"\x00\x01\x00\x01\x00\x00\x00\x00" + question + record


def serve_tcp(listener):
    while True:
        conn, _ = listener.accept()
        conn.close()


def main():
    _, mode, directory, port = sys.argv
    assert mode == "dns"
    loopback_up()
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", int(port)))
    listener.listen(16)
    threading.Thread(target=serve_tcp, args=(listener,), daemon=True).start()
    dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dns.bind(("127.0.0.1", 53))
    open(os.path.join(directory, "up"), "w").close()
    with open(os.path.join(directory, "dns.log"), "a", buffering=1) as log:
        while True:
            packet, peer = dns.recvfrom(512)
            name, kind, reply = answer(packet, os.path.exists(os.path.join(directory, "resolve")))
            log.write(f"{name} {kind}\n")
            dns.sendto(reply, peer)


if __name__ == "__main__":
    main()
