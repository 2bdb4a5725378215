"""Who keeps access and who sees what: sessions end with a password change or a revocation, guessing
passwords locks nobody out, events reach only those who may see them, refusals are audited."""

from __future__ import annotations

import asyncio
import io
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from tests_api_support import PASSWORDS

from jibsa.api.events import JobsChanged
from jibsa.cli.main import main
from jibsa.domain import Command, Role

ATTACKER = ("203.0.113.66", 4444)
HOME = ("192.0.2.10", 50000)


def _client(harness, address: tuple[str, int]) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=harness.app, client=address)
    return httpx.AsyncClient(transport=transport, base_url="http://jibsa.test")


async def _login(client: httpx.AsyncClient, name: str, password: str) -> httpx.Response:
    return await client.post("/api/login", json={"name": name, "password": password})


async def _cli(data: Path, *args: str, stdin: str = "") -> int:
    """`jibsa user …` on the same data directory, as another process would (its own store)."""

    def run() -> int:
        sys.stdin = io.StringIO(stdin)
        try:
            return main(["user", *args, "--data", str(data)])
        finally:
            sys.stdin = sys.__stdin__

    return await asyncio.to_thread(run)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path  # where the `running` fixture keeps the home's store


async def test_a_password_change_ends_the_persons_sessions(harness, data_dir) -> None:
    await harness.login(Role.MEMBER)
    assert (await harness.client.get("/api/me")).status_code == 200
    async with _client(harness, ("192.0.2.20", 1)) as other:
        assert (await _login(other, "owner", PASSWORDS[Role.OWNER])).status_code == 200
        assert await _cli(data_dir, "passwd", "member", stdin="a new password 2\n") == 0
        assert (await harness.client.get("/api/me")).status_code == 401
        assert (await other.get("/api/me")).status_code == 200  # someone else's session is not touched
    assert (await _login(harness.client, "member", "a new password 2")).status_code == 200


async def test_revoking_ends_the_tokens_and_the_sessions(harness, data_dir) -> None:
    await harness.login(Role.MEMBER)
    old_token = harness.tokens[Role.MEMBER]
    assert await _cli(data_dir, "token", "member", "--revoke") == 0
    assert (await harness.client.get("/api/me")).status_code == 401
    harness.app.state.jibsa.tokens.forget_all()  # this process believes a checked token for 5 s
    response = await harness.client.get("/api/me", headers={"Authorization": f"Bearer {old_token}"})
    assert response.status_code == 401


async def test_guessing_from_one_address_does_not_lock_the_owner_out(harness) -> None:
    async with _client(harness, ATTACKER) as attacker, _client(harness, HOME) as home:
        for _ in range(5):
            assert (await _login(attacker, "owner", "guess")).status_code == 401
        limited = await _login(attacker, "owner", PASSWORDS[Role.OWNER])
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
        assert (await _login(attacker, "member", "guess")).status_code == 429  # the address, whatever the name
        assert (await _login(home, "owner", PASSWORDS[Role.OWNER])).status_code == 200


async def test_typos_between_successful_logins_lock_nobody_out(harness) -> None:
    async with _client(harness, HOME) as first_browser, _client(harness, HOME) as second_browser:
        for browser in (first_browser, second_browser, first_browser, second_browser):
            assert (await _login(browser, "member", "membr-password-1")).status_code == 401
            assert (await _login(browser, "member", PASSWORDS[Role.MEMBER])).status_code == 200


async def test_failures_for_a_name_slow_its_logins_down_until_one_succeeds(harness) -> None:
    waits: list[float] = []

    async def pause(seconds: float) -> None:
        waits.append(seconds)

    harness.app.state.jibsa.pause = pause
    for n in range(6):  # from six addresses: no address reaches its limit
        async with _client(harness, (f"198.51.100.{n}", 1)) as guesser:
            assert (await _login(guesser, "owner", f"guess {n}")).status_code == 401
    assert waits == sorted(waits) and len(waits) >= 2 and waits[-1] > waits[0] > 0
    async with _client(harness, HOME) as home:
        assert (await _login(home, "owner", PASSWORDS[Role.OWNER])).status_code == 200
        slowed = len(waits)
        assert (await _login(home, "owner", PASSWORDS[Role.OWNER])).status_code == 200
    assert len(waits) == slowed  # a success forgives the name's failures


async def test_conversation_events_reach_only_the_speaker_and_owners(harness, live_url) -> None:
    listeners = {}
    for role in Role:
        listeners[role] = await websockets.connect(f"ws://{live_url}/api/events", additional_headers=harness.auth(role))
        await listeners[role].recv()  # hello
    said = {Role.MEMBER: "현관문 열어줘", Role.GUEST: "지금 몇 시야?", Role.OWNER: "거실 불 켜줘"}
    try:
        async with httpx.AsyncClient(base_url=f"http://{live_url}") as client:
            for role, text in said.items():
                response = await client.post("/api/conversation", json={"text": text}, headers=harness.auth(role))
                assert response.status_code == 200
        harness.running.hub.bus.publish(JobsChanged("end of test"))  # everyone sees this one
        heard = {role: await _conversations_until_the_end(ws) for role, ws in listeners.items()}
    finally:
        for ws in listeners.values():
            await ws.close()
    assert [m["text"] for m in heard[Role.OWNER]] == list(said.values())
    assert [m["text"] for m in heard[Role.MEMBER]] == [said[Role.MEMBER]]
    assert [m["text"] for m in heard[Role.GUEST]] == [said[Role.GUEST]]
    assert heard[Role.GUEST][0]["user"] == "guest"


async def _conversations_until_the_end(ws: Any) -> list[dict[str, Any]]:
    heard = []
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if message["type"] == "conversation":
            heard.append(message)
        if message["type"] == "jobs_changed" and message["reason"] == "end of test":
            return heard


async def test_refused_requests_are_in_the_audit_log(harness) -> None:
    assert (await harness.as_(Role.GUEST, "GET", "/api/audit")).status_code == 403
    new_owner = {"name": "eve", "role": "owner"}
    assert (await harness.as_(Role.MEMBER, "POST", "/api/users", json=new_owner)).status_code == 403
    kept = await harness.running.hub.execute(Command("turn_off", ("boiler",), {"delay_s": 3600}))
    assert kept.scheduled is not None  # the owner's: a guest may not cancel it
    assert (await harness.as_(Role.GUEST, "DELETE", f"/api/jobs/{kept.scheduled.id}")).status_code == 403
    await harness.login(Role.MEMBER)
    refused = await harness.client.post("/api/devices/study_light/commands", json={"intent": "turn_on"})
    assert refused.json()["code"] == "csrf_failed"
    entries = (await harness.as_(Role.OWNER, "GET", "/api/audit")).json()
    refusals = {(e["user"], e["action"], e["result"]["error"]) for e in entries if not e["ok"]}
    assert ("guest", "audit_log", "forbidden") in refusals
    assert ("member", "add_user", "forbidden") in refusals
    assert ("guest", "cancel_job", "not_allowed") in refusals
    assert ("member", "device_command", "csrf_failed") in refusals
    csrf = next(e for e in entries if e["result"].get("error") == "csrf_failed")
    assert csrf["detail"] == {"method": "POST", "path": "/api/devices/study_light/commands", "device_id": "study_light"}
    assert csrf["source"] == "session:192.0.2.10"


async def test_failed_logins_are_in_the_audit_log(harness) -> None:
    async with _client(harness, ATTACKER) as attacker:
        await _login(attacker, "owner", "guess")
        await _login(attacker, "nobody", "guess")
    entries = (await harness.as_(Role.OWNER, "GET", "/api/audit")).json()
    failed = [(e["user"], e["role"], e["source"], e["ok"], e["result"]) for e in entries if e["action"] == "login"]
    assert ("owner", "owner", "session:203.0.113.66", False, {"error": "bad_credentials"}) in failed
    assert ("nobody", "unknown", "session:203.0.113.66", False, {"error": "bad_credentials"}) in failed


async def test_a_refusal_the_route_audits_is_recorded_once(harness) -> None:
    await harness.as_(Role.GUEST, "POST", "/api/devices/front_door/commands", json={"intent": "unlock"})
    entries = (await harness.as_(Role.OWNER, "GET", "/api/audit")).json()
    assert [e["action"] for e in entries if e["user"] == "guest"] == ["device_command"]


def test_a_notification_goes_only_to_the_person_it_is_for() -> None:
    from jibsa.api.events import may_see
    from jibsa.hub.notification_store import Notification, as_written
    from jibsa.hub.notifications import NotificationAdded

    def note(person: str) -> NotificationAdded:
        said = as_written("세탁이 끝났어요.", "The wash is done.")
        return NotificationAdded("home", Notification(1, person, said, 0.0))

    assert may_see(note("엄마"), "엄마", Role.MEMBER)
    assert not may_see(note("엄마"), "아빠", Role.OWNER)
    assert may_see(note(""), "손님", Role.GUEST)
