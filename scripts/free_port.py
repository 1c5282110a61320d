"""Prints a TCP port on 127.0.0.1 that is free right now (the kernel picks it), for throwaway test servers."""

import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1])  # noqa: T201 - the script's output is the port
