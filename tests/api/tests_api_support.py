"""Helpers for tests that run `jibsa serve` as a real process."""

from __future__ import annotations

import queue
import socket
import subprocess
import threading
import time

from jibsa.domain import Role

PASSWORDS = {role: f"{role.value}-password-1" for role in Role}  # each role's user of the API fixtures


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def read_until(process: subprocess.Popen[str], marker: str, timeout: float = 60.0) -> list[str]:
    """Lines the process prints up to and including the first containing `marker`.

    A thread reads the pipe (a blocking readline cannot be given a deadline); it ends with the process."""
    assert process.stdout is not None
    stdout = process.stdout
    lines_in: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stdout:
            lines_in.put(line)
        lines_in.put("")

    threading.Thread(target=pump, daemon=True).start()
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines_in.get(timeout=left)
        except queue.Empty:
            break
        if not line:
            raise AssertionError(f"the server stopped: {lines}")
        lines.append(line.rstrip("\n"))
        if marker in line:
            return lines
    raise AssertionError(f"no {marker!r} within {timeout} s: {lines}")
