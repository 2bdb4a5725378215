"""`--db postgresql://…` reaches storage: users, state and history of a served home live in PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from jibsa.cli.main import main
from jibsa.testing.processes import free_port, lines_until

# The storage tests' way of finding (or starting) a throw-away PostgreSQL, shared rather than copied.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "storage"))
from tests_storage_support import session_postgres  # found through the path above

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with session_postgres() as found:
        if found.url is None:
            pytest.skip(found.skip_reason)
        yield found.url


def test_serve_and_user_commands_use_postgresql(postgres_url: str, tmp_path: Path, capsys) -> None:
    assert main(["user", "add", "pat", "--role", "member", "--db", postgres_url, "--data", str(tmp_path)]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jibsa.cli.main", "serve", "--db", postgres_url, "--data", str(tmp_path / "unused"),
         "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        lines = lines_until(server, "jibsa: ")
        assert not any("password" in line for line in lines)  # pat exists: no first-run owner
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"}) as api:
            turn = api.post("/api/conversation", json={"text": "서재 조명 켜줘"}).json()
            assert turn["results"] == [{"target": "study_light", "ok": True, "error": None}]
            history = api.get("/api/history", params={"device": "study_light"}).json()
            assert history[-1]["new"]["power"] is True
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)
        if server.stdout:
            server.stdout.close()
    assert not (tmp_path / "unused" / "jibsa.db").exists()
