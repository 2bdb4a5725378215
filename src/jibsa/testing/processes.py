"""Running jibsa (or a stand-in) as a real process, for tests and benchmarks: a free port, the lines a
process prints until it is ready, and `jibsa serve` with the owner's first-run password and token."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# What `jibsa serve` prints on its first run, in either language ("비밀번호: …" / "password: …").
_PASSWORD = re.compile(r"(?:비밀번호|password): +(\S+)")
_TOKEN = re.compile(r"(jibsa_\S+)")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def lines_until(process: subprocess.Popen[str], marker: str, timeout: float = 60.0) -> list[str]:
    """What `process` prints (without line ends) up to and including the first line containing `marker`.
    A thread reads the pipe, so a silent process fails after `timeout` and one that ends fails at once."""
    assert process.stdout is not None
    stdout, got = process.stdout, queue.Queue[str]()

    def pump() -> None:
        with contextlib.suppress(ValueError, OSError):  # the pipe closed under us by whoever stopped the process
            for line in stdout:
                got.put(line)
        got.put("")  # the process ended

    threading.Thread(target=pump, daemon=True).start()
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = got.get(timeout=left)
        except queue.Empty:
            break
        if not line:
            raise AssertionError(f"{process.args!r} ended before printing {marker!r}: {lines}")
        lines.append(line.rstrip("\n"))
        if marker in line:
            return lines
    raise AssertionError(f"{process.args!r} did not print {marker!r} within {timeout:g} s: {lines}")


def start(
    argv: Sequence[str], ready: str, env: Mapping[str, str] | None = None, timeout: float = 60.0
) -> tuple[subprocess.Popen[str], list[str]]:
    """Start `argv` (stdout read, stderr dropped) and wait for the line containing `ready`."""
    process = subprocess.Popen(
        list(argv), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )  # fmt: skip
    try:
        return process, lines_until(process, ready, timeout)
    except AssertionError:
        process.kill()
        process.wait()
        raise


def stop(process: subprocess.Popen[str]) -> None:
    """Stop `process` as Ctrl-C would (killed if it has not ended within 30 s), and close its pipe. The
    process is always reaped: a Popen dropped while its process runs is a ResourceWarning, an error here."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout:
        process.stdout.close()


@dataclass(frozen=True)
class ServedHome:
    """A running `jibsa serve`: where it is, and the owner's first-run password and access token."""

    base: str
    password: str
    token: str


def serve_argv(data: Path, port: int, *args: str) -> list[str]:
    """The command line of `jibsa serve --data DATA --port PORT` (warnings only in its log), with `args`."""
    return [sys.executable, "-m", "jibsa.cli.main", "serve", "--data", str(data), "--port", str(port),
            "--log-level", "warning", *args]  # fmt: skip


def start_serve(
    data: Path, *args: str, env: Mapping[str, str] | None = None, port: int | None = None
) -> tuple[subprocess.Popen[str], ServedHome]:
    """`jibsa serve --data DATA` (the sample home unless `args` say otherwise) on a free port, once it
    says where it serves; its first run's password and token read from what it printed."""
    port = port or free_port()
    process, lines = start(serve_argv(data, port, *args), "jibsa: ", env)
    printed = "\n".join(lines)
    password, token = _PASSWORD.search(printed), _TOKEN.search(printed)
    if password is None or token is None:
        stop(process)
        raise AssertionError(f"jibsa serve printed no first-run password and token: {lines}")
    return process, ServedHome(f"http://127.0.0.1:{port}", password.group(1), token.group(1))
