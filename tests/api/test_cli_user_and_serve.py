"""`jibsa user …` and `jibsa serve`: tokens printed once, first-run owner, TLS, refusing 0.0.0.0."""

from __future__ import annotations

import asyncio
import io
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from jibsa.api.accounts import secret_hash, verify_password
from jibsa.app import RunningHome, Settings, open_store
from jibsa.cli.main import main
from jibsa.cli.serve_cmd import first_run
from jibsa.testing.processes import free_port, lines_until, stop


def _user(tmp_path: Path, *args: str) -> int:
    return main(["user", *args, "--data", str(tmp_path)])


def _store_user(tmp_path: Path, name: str, token: str | None = None) -> tuple[object, object]:
    async def look() -> tuple[object, object]:
        store = await open_store(Settings(data_dir=tmp_path))
        try:
            user = await store.get_user("sample", name)  # type: ignore[attr-defined]
            by_token = await store.find_token(secret_hash(token)) if token else None  # type: ignore[attr-defined]
            if token:
                assert await store.find_token(token) is None  # type: ignore[attr-defined]
            return user, by_token
        finally:
            await store.close()

    return asyncio.run(look())


def test_user_add_prints_a_token_once_and_stores_its_hash(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("JIBSA_LANG", "en")  # the command line speaks Korean unless asked otherwise
    assert _user(tmp_path, "add", "alice", "--role", "guest") == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert re.fullmatch(r"jibsa_[A-Za-z0-9_-]{40,}", token)
    user, by_token = _store_user(tmp_path, "alice", token)
    assert user is not None and by_token is not None
    assert str(getattr(by_token, "role", "")) in ("guest", "Role.GUEST")
    assert _user(tmp_path, "add", "alice", "--role", "member") == 2
    assert "already exists" in capsys.readouterr().err


def test_user_list_passwd_token_and_remove(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("JIBSA_LANG", "en")
    assert _user(tmp_path, "add", "bob", "--role", "member") == 0
    assert _user(tmp_path, "list") == 0
    assert re.search(r"^bob\tmember\ttoken only$", capsys.readouterr().out, re.M)  # no password yet
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
    assert _user(tmp_path, "passwd", "bob") == 0
    user, _ = _store_user(tmp_path, "bob")
    assert verify_password(user.password_hash, "correct horse battery")  # type: ignore[attr-defined]
    capsys.readouterr()
    assert _user(tmp_path, "token", "bob", "--revoke") == 0
    token = capsys.readouterr().out.strip()
    assert _store_user(tmp_path, "bob", token)[1] is not None
    assert _user(tmp_path, "remove", "bob") == 0
    assert _store_user(tmp_path, "bob")[0] is None
    assert _user(tmp_path, "remove", "bob") == 1


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--host", "0.0.0.0"], "without TLS"),
        (["--host", "192.168.0.10"], "without TLS"),
        (["--tls-cert", "c.pem"], "go together"),
    ],
)
def test_serve_refuses_the_network_without_tls(tmp_path, capsys, args, reason) -> None:
    assert main(["serve", "--data", str(tmp_path), "--lang", "en", *args]) == 2
    assert reason in capsys.readouterr().err


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[object]:
    started: list[subprocess.Popen[str]] = []

    def start(*args: str) -> tuple[subprocess.Popen[str], str, list[str]]:
        port = free_port()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen(
            [sys.executable, "-m", "jibsa.cli.main", "serve", "--data", str(tmp_path), "--port", str(port), *args],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
        )  # fmt: skip
        started.append(process)
        lines = lines_until(process, "jibsa: ")
        return process, f"{port}", lines

    yield start
    for process in started:
        stop(process)


async def test_processes_starting_at_once_on_one_database_make_one_owner(
    running: RunningHome, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several jibsa processes starting at once on one database for one home (a new process started
    before the old one has stopped, say): each first start looks for users before any makes the owner."""
    store: Any = running.store
    look, looked = store.list_users, asyncio.Barrier(3)

    async def list_users_as_all_look_first(home_id: str) -> list[Any]:
        users = await look(home_id)
        await looked.wait()  # every process has looked before any makes the owner
        return list(users)

    monkeypatch.setattr(store, "list_users", list_users_as_all_look_first)
    await asyncio.gather(first_run(running, "ko"), first_run(running, "ko"), first_run(running, "ko"))
    assert [user.name for user in await look(running.hub.home.id)] == ["admin"]
    assert capsys.readouterr().out.count("비밀번호:") == 1


@pytest.mark.slow
def test_first_run_creates_an_owner_and_prints_credentials_once(serve) -> None:
    process, port, lines = serve()  # type: ignore[operator]
    text = "\n".join(lines)
    password = re.search(r"(?:비밀번호|password): +(\S+)", text).group(1)  # type: ignore[union-attr]
    token = re.search(r"(jibsa_\S+)", text).group(1)  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}"
    me = httpx.get(f"{base}/api/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["name"] == "admin" and me["role"] == "owner"
    login = httpx.post(f"{base}/api/login", json={"name": "admin", "password": password})
    assert login.status_code == 200
    assert "secure" not in login.headers["set-cookie"].lower()
    assert "집사" in httpx.get(f"{base}/").text
    process.send_signal(signal.SIGINT)
    assert process.wait(20) == 0
    _, _, again = serve()  # type: ignore[operator]
    assert not any("password" in line for line in again)


@pytest.mark.slow
def test_serves_tls_with_a_certificate(serve, tmp_path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
        ],
        check=True,
        capture_output=True,
    )
    _, port, lines = serve("--tls-cert", str(cert), "--tls-key", str(key))  # type: ignore[operator]
    assert lines[-1].rstrip().endswith(f"https://127.0.0.1:{port}/")
    password = re.search(r"(?:비밀번호|password): +(\S+)", "\n".join(lines)).group(1)  # type: ignore[union-attr]
    with httpx.Client(verify=False) as client:  # a self-signed certificate made for this test
        login = client.post(f"https://127.0.0.1:{port}/api/login", json={"name": "admin", "password": password})
    assert login.status_code == 200
    assert "secure" in login.headers["set-cookie"].lower()


def test_serve_options_reach_the_settings(tmp_path, monkeypatch) -> None:
    from jibsa.cli.main import build_parser
    from jibsa.cli.serve_cmd import _auth_settings, _settings

    monkeypatch.delenv("JIBSA_UNLOCK_PIN", raising=False)
    config = tmp_path / "jibsa.yaml"
    config.write_text("server: {unlock_pin: '1357'}\nthinq: {token: t}\n", encoding="utf-8")
    args = build_parser().parse_args(
        [
            "serve",
            "--data",
            str(tmp_path),
            "--config",
            str(config),
            "--mqtt",
            "mqtt://broker:1883",
            "--db",
            "postgresql://h/db",
            "--trusted-proxy",
            "127.0.0.1",
            "--secure-cookies",
        ]
    )
    settings, server = _settings(args)
    assert settings.db_url == "postgresql://h/db" and settings.data_dir == tmp_path
    assert dict(settings.adapter_settings) == {"thinq": {"token": "t"}, "mqtt": {"url": "mqtt://broker:1883"}}
    auth = _auth_settings(args, server)
    assert verify_password(auth.unlock_pin_hash, "1357") and not verify_password(auth.unlock_pin_hash, "1358")
    assert auth.secure_cookies and auth.trusted_proxies == ("127.0.0.1",)
