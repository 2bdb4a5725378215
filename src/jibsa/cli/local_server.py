"""One home state: a `jibsa serve` that owns a data directory says so in `server.json` there (mode
0600: only the directory's owner can read its address and token), and `say`, `chat` and `status`
then ask that server instead of running the home beside it. A file whose server is gone is removed.

This module is on the one-shot commands' start-up path: it imports only the standard library.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import http.client

SERVER_FILE = "server.json"
TOKEN_HEADER = "X-Jibsa-Local-Token"
TIMEOUT_S = 60.0  # a command may wait for a slow device (the hub's own timeout is shorter)


class ServerGone(Exception):
    """Nothing listens where the file says: the request was not delivered."""


class ServerRefused(Exception):
    """The server answered with an error."""


@dataclass(frozen=True)
class LocalServer:
    """A running server of this data directory, as its `server.json` describes it."""

    url: str
    token: str
    file: Path

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """One request to the local endpoint; raises ServerGone when it could not be delivered."""
        parts = urlsplit(self.url)
        connection = _connection(parts.scheme, parts.hostname or "127.0.0.1", parts.port)
        payload = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {TOKEN_HEADER: self.token, "Content-Type": "application/json"}
        try:
            connection.request(method, path, body=payload, headers=headers)
        except (ConnectionRefusedError, FileNotFoundError) as exc:
            raise ServerGone(str(exc)) from None
        try:
            response = connection.getresponse()
            answer: dict[str, Any] = json.loads(response.read() or b"{}")
        finally:
            connection.close()
        if response.status >= 400:
            raise ServerRefused(str(answer.get("message_en") or answer.get("code") or response.status))
        return answer

    def forget(self) -> None:
        """Remove the file of a server that is gone (unless a new server has replaced it)."""
        if _read(self.file).get("token") == self.token:
            with contextlib.suppress(FileNotFoundError):
                self.file.unlink()


def _connection(scheme: str, host: str, port: int | None) -> http.client.HTTPConnection:
    import http.client  # only when a server is there to ask

    if scheme == "https":
        import ssl  # only for a server with TLS: a tenth of the start-up of a plain one

        # Loopback to our own server, whose certificate names the public host: encrypt, do not verify names.
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return http.client.HTTPSConnection(host, port, timeout=TIMEOUT_S, context=context)
    return http.client.HTTPConnection(host, port, timeout=TIMEOUT_S)


def home_key(home_file: str | None) -> str | None:
    """The home file as server and command both name it: its absolute path (None: the sample home)."""
    return None if home_file is None else str(Path(home_file).resolve())


def _same_home(found: dict[str, Any], home_file: str | None) -> bool:
    """Whether the command means the server's home: the same file (quick), else a file with the same
    home id (its state is the server's too). A file that cannot be read is not the server's home."""
    if found.get("home") == home_key(home_file):
        return True
    from jibsa.domain import HomeFileError
    from jibsa.home_file import load_home

    try:
        return bool(load_home(home_file).home.id == found.get("home_id"))
    except HomeFileError:
        return False  # the command, run on its own, says what is wrong with it


def find_server(data_dir: Path, home_file: str | None, language: str = "ko") -> LocalServer | None:
    """The server that owns `data_dir` and serves this home, or None (a file of a dead process is removed).
    When the server there serves another home, the command says so (on stderr) and runs on its own."""
    file = data_dir / SERVER_FILE
    found = _read(file)
    if not found:
        return None
    server = LocalServer(str(found.get("url", "")), str(found.get("token", "")), file)
    if not _alive(found.get("pid")):
        server.forget()
        return None
    if _same_home(found, home_file):
        return server
    from jibsa.presentation.state_words import state_words

    print(
        state_words(language).phrase("other_home_running", url=server.url, home_id=found.get("home_id", "?")),
        file=sys.stderr,
    )
    return None


def _read(file: Path) -> dict[str, Any]:
    try:
        found = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process has that number now
        return False
    return True


def announce_server(data_dir: Path, url: str, home_file: str | None, home_id: str) -> LocalServer:
    """Write `server.json` (mode 0600, replaced atomically) with a fresh token; returns what it says."""
    token = secrets.token_urlsafe(32)
    file = data_dir / SERVER_FILE
    temporary = file.with_name(f".{SERVER_FILE}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(
            {"url": url, "token": token, "pid": os.getpid(), "home": home_key(home_file), "home_id": home_id}, out
        )
    os.replace(temporary, file)
    return LocalServer(url, token, file)


def loopback_url(scheme: str, host: str, port: int) -> str:
    """Where a command on this machine reaches a server listening on `host`."""
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"
