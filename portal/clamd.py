"""A client of ClamAV's daemon (clamd) over its INSTREAM protocol; portal.uploads decides what a verdict means."""

import socket
import struct
from typing import IO

from django.core.files.uploadedfile import UploadedFile

CHUNK = 64 * 1024


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("/"):
        unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        unix.settimeout(timeout)
        unix.connect(address)
        return unix
    host, _sep, port = address.rpartition(":")
    return socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout)


def scan(stream: UploadedFile | IO[bytes], *, address: str, timeout: float = 30.0) -> str:
    """clamd's verdict for the stream: "stream: OK" or "stream: <signature> FOUND" (raises OSError if unreachable)."""
    stream.seek(0)
    with _connect(address, timeout) as conn:
        conn.sendall(b"zINSTREAM\0")
        while chunk := stream.read(CHUNK):
            conn.sendall(struct.pack("!L", len(chunk)) + chunk)
        conn.sendall(struct.pack("!L", 0))
        answer = b""
        while not answer.endswith(b"\0") and (part := conn.recv(4096)):
            answer += part
    stream.seek(0)
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()
