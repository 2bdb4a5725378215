"""The Matter controller as a child process of jibsa: python-matter-server (the controller Home
Assistant uses), started with its storage under jibsa's data directory.

The controller runs from its own virtual environment: `python-matter-server[server]==7.0.1` (the last
release for Python 3.11) pins aiohttp and cryptography versions older than those jibsa's other
adapters need, and brings home-assistant-chip-core, a binary wheel. `controller_python` finds or makes
that environment (`DATA/matter/venv`, made once with pip from PyPI).

Its WebSocket API has no authentication: jibsa starts it listening on loopback only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .settings import DEFAULT_PORT

log = logging.getLogger(__name__)
SERVER_PACKAGE = "python-matter-server[server]==7.0.1"
PYTHON_VARIABLE = "JIBSA_MATTER_PYTHON"  # a Python that has SERVER_PACKAGE installed (instead of DATA/matter/venv)
# home-assistant-chip-core keeps its factory data in /data, a path built into the wheel.
FACTORY_DIR = Path("/data")


class ControllerError(Exception):
    """The controller could not be set up or started; the message says what to do."""


@dataclass(frozen=True)
class ControllerOptions:
    """How to run the controller. `paa_root_cert_dir`: a folder of PAA root certificates to trust
    offline; None lets the controller fetch the production roots from the CSA's DCL itself (tests give
    matter.js's public test roots here — a production home must never trust those)."""

    python: str
    storage: Path
    port: int = DEFAULT_PORT
    listen: str = "127.0.0.1"
    paa_root_cert_dir: Path | None = None
    primary_interface: str | None = None
    prefix: Sequence[str] = field(default_factory=tuple)  # e.g. ("ip", "netns", "exec", NS) in tests

    @property
    def url(self) -> str:
        host = f"[{self.listen}]" if ":" in self.listen else self.listen
        return f"ws://{host}:{self.port}/ws"

    def argv(self) -> list[str]:
        argv = [
            *self.prefix,
            self.python,
            "-m",
            "matter_server.server",
            "--storage-path",
            str(self.storage),
            "--port",
            str(self.port),
            "--listen-address",
            self.listen,
            "--log-level",
            "warning",
            "--log-level-sdk",
            "error",
        ]
        if self.paa_root_cert_dir is not None:
            argv += ["--paa-root-cert-dir", str(self.paa_root_cert_dir)]
        else:
            argv += ["--paa-root-cert-dir", str(self.storage / "paa-roots")]
        if self.primary_interface:
            argv += ["--primary-interface", self.primary_interface]
        return argv


def options_from(section: Mapping[str, Any], data_dir: Path, python: str) -> ControllerOptions:
    """Controller options from the `matter:` settings (`port`, `listen`, `paa_root_cert_dir`,
    `primary_interface`); storage in DATA/matter/controller."""
    paa = section.get("paa_root_cert_dir")
    try:
        port = int(section.get("port", DEFAULT_PORT))
    except (TypeError, ValueError):
        raise ControllerError(f"matter.port: {section.get('port')!r} is not a port number") from None
    listen = str(section.get("listen") or "127.0.0.1")
    return ControllerOptions(
        python,
        data_dir / "matter" / "controller",
        port,
        listen,
        Path(str(paa)) if paa else None,
        section.get("primary_interface") or None,
    )


def controller_python(data_dir: Path, configured: str | None = None) -> str:
    """The Python that runs the controller: `configured`, else $JIBSA_MATTER_PYTHON, else
    DATA/matter/venv (made now, the first time: a minute or two of pip)."""
    chosen = configured or os.environ.get(PYTHON_VARIABLE)
    if chosen:
        return chosen
    venv = data_dir / "matter" / "venv"
    python = venv / "bin" / "python"
    stamp = venv / ".jibsa-controller"
    if stamp.exists() and stamp.read_text().strip() == SERVER_PACKAGE:
        return str(python)
    print(f"jibsa: setting up the Matter controller in {venv} (first time only) ...", file=sys.stderr, flush=True)
    for step in (
        [sys.executable, "-m", "venv", str(venv)],
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", SERVER_PACKAGE],
    ):
        if subprocess.run(step, check=False).returncode != 0:
            raise ControllerError(f"could not install {SERVER_PACKAGE} into {venv} (see pip's message above)")
    stamp.write_text(SERVER_PACKAGE + "\n")
    return str(python)


def check_factory_dir() -> None:
    """ControllerError when chip-core cannot write its factory data (/data)."""
    if not (FACTORY_DIR.is_dir() and os.access(FACTORY_DIR, os.W_OK)):
        raise ControllerError(
            f"the Matter controller (home-assistant-chip-core) writes its factory data to {FACTORY_DIR}, which "
            f"is missing or not writable: sudo install -d -o $USER {FACTORY_DIR}"
        )


class MatterController:
    """The controller process: `start` returns once its WebSocket answers; `stop` ends it."""

    def __init__(self, options: ControllerOptions) -> None:
        self.options = options
        self.process: asyncio.subprocess.Process | None = None
        self.log_file = options.storage / "controller.log"

    async def start(self, timeout_s: float = 60.0) -> None:
        check_factory_dir()
        self.options.storage.mkdir(parents=True, exist_ok=True)
        if self.options.paa_root_cert_dir is not None:
            # Given roots are trusted as they are: a fresh `.version` keeps the controller from deleting
            # them and fetching the DCL's instead (it does so when the file is missing or a day old).
            (self.options.paa_root_cert_dir / ".version").write_text("jibsa: given roots, not fetched\n")
        with self.log_file.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                *self.options.argv(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # Ctrl-C reaches jibsa, which stops the controller itself
        try:
            await asyncio.wait_for(self._answering(), timeout_s)
        except (TimeoutError, ControllerError):
            await self.stop()
            raise ControllerError(
                f"the Matter controller did not start; its log: {self.log_file}\n" + self._log_tail()
            ) from None
        log.info("matter: controller %s answering at %s", self.process.pid, self.options.url)

    async def _answering(self) -> None:
        host = self.options.listen
        while True:
            if self.process is None or self.process.returncode is not None:
                raise ControllerError("exited")
            try:
                _, writer = await asyncio.open_connection(host, self.options.port)
            except OSError:
                await asyncio.sleep(0.2)
                continue
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            return

    async def stop(self, timeout_s: float = 15.0) -> None:
        process, self.process = self.process, None
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), timeout_s)
        except TimeoutError:
            log.warning("matter: controller %d did not stop within %g s; killed", process.pid, timeout_s)
            process.kill()
            await process.wait()

    def _log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
