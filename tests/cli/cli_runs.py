"""Running the `jibsa` command as a person would, for the CLI's tests (a uniquely named module: several
test folders have helpers): one-shot commands, and `jibsa serve` on a free port owning a data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jibsa.testing.processes import free_port, lines_until, stop


def jibsa(
    data: Path, *args: str, stdin: str | None = None, lang: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`jibsa COMMAND --data DATA ARGS…` with a clean environment (no LANG: Korean unless `lang`)."""
    command, *rest = args
    language = ["--lang", lang] if lang else []
    return subprocess.run(
        [sys.executable, "-m", "jibsa.cli.main", command, "--data", str(data), *language, *rest],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"COLUMNS": "160", "PATH": "/usr/bin:/bin", "HOME": str(data), **(env or {})},
    )


def jibsa_home(cwd: Path, action: str, *args: str, lang: str) -> subprocess.CompletedProcess[str]:
    """`jibsa home ACTION --lang LANG ARGS…` (the home commands take no data directory)."""
    return subprocess.run(
        [sys.executable, "-m", "jibsa.cli.main", "home", action, "--lang", lang, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    )


@dataclass
class Serving:
    process: subprocess.Popen[str]
    port: int
    lines: list[str]  # what it printed up to its "jibsa: <url>" line

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def serving(data: Path, *args: str, lang: str | None = None) -> Iterator[Serving]:
    """`jibsa serve --data DATA` on a free port, stopped with Ctrl-C (SIGINT) at the end."""
    port = free_port()
    language = ["--lang", lang] if lang else []
    process = subprocess.Popen(
        [sys.executable, "-m", "jibsa.cli.main", "serve", "--data", str(data), "--port", str(port), *language, *args],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(data), "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        yield Serving(process, port, lines_until(process, "jibsa: "))
    finally:
        stop(process)


def owner_only(path: Path) -> bool:
    """Whether only the file's owner may read or write it (mode 0600)."""
    return (os.stat(path).st_mode & 0o777) == 0o600
