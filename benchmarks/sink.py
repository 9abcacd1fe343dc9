"""The one-pass sink: the least a server can do with an upload, as the peer of P3a (issue 19).

    python benchmarks/sink.py DIR            # prints "PORT" once listening on 127.0.0.1, serves until killed

One thread, plain sockets: read a request head, then receive the body into a 1 MiB buffer, write each
piece to a file in DIR, feed it to a SHA-256, and fsync once at the end; answer 204 with the digest
in a header.  No framework, no HTTP parser, no database: what our server does beyond this is its cost.
Like the blob store (store/blobs.py LET_GO) it lets written bytes go of the page cache every 8 MiB
(POSIX_FADV_DONTNEED), so neither side pays this VM's price for fresh page-cache pages (~3 s of CPU per
GiB) and the ratio is about the software path.
"""

from __future__ import annotations

import hashlib
import os
import socket
import sys
from pathlib import Path

BUF = 1 << 20
LET_GO = 8 << 20


def _head(conn: socket.socket) -> tuple[dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        more = conn.recv(65536)
        if not more:
            raise ConnectionError("closed before the head ended")
        data += more
    head, _, rest = data.partition(b"\r\n\r\n")
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
    return headers, rest


def handle(conn: socket.socket, folder: Path, n: int) -> None:
    headers, first = _head(conn)
    length = int(headers.get("content-length", "0"))
    sha = hashlib.sha256()
    path = folder / f"sink-{n}.bin"
    buf = bytearray(BUF)
    view = memoryview(buf)
    with open(path, "wb", buffering=0) as fh:
        fh.write(first)
        sha.update(first)
        got = len(first)
        let_go_from = let_go_mark = 0
        while got < length:
            k = conn.recv_into(view, min(BUF, length - got))
            if not k:
                break
            fh.write(view[:k])
            sha.update(view[:k])
            got += k
            if got - let_go_mark >= LET_GO:
                os.posix_fadvise(fh.fileno(), let_go_from, got - let_go_from, os.POSIX_FADV_DONTNEED)
                let_go_from, let_go_mark = let_go_mark, got
        os.fsync(fh.fileno())
        os.posix_fadvise(fh.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
    conn.sendall(f"HTTP/1.1 204 No Content\r\nX-Received: {got}\r\nX-Digest: sha256:{sha.hexdigest()}\r\n"
                 "Connection: close\r\n\r\n".encode("ascii"))
    path.unlink()


def main() -> None:
    folder = Path(sys.argv[1])
    srv = socket.create_server(("127.0.0.1", 0))
    print(srv.getsockname()[1], flush=True)
    n = 0
    while True:
        conn, _ = srv.accept()
        with conn:
            handle(conn, folder, n)
        n += 1


if __name__ == "__main__":
    main()
