"""The whole path over real HTTP and a real WebSocket: a sentence, the device's state, the event."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import websockets

from jibsa.domain import Command, Role


async def _next_of(ws: Any, kind: str, **match: Any) -> dict[str, Any]:
    """The next message of type `kind` whose fields equal `match` (others are skipped)."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if message["type"] == kind and all(message.get(k) == v for k, v in match.items()):
            return message


async def test_conversation_changes_the_device_and_the_websocket_says_so(harness, live_url) -> None:
    await harness.running.hub.execute(Command("turn_on", ("living_ceiling",)))
    headers = harness.auth(Role.MEMBER)
    async with websockets.connect(f"ws://{live_url}/api/events", additional_headers=headers) as ws:
        hello = json.loads(await ws.recv())
        assert hello == {"type": "hello", "user": "member", "role": "member"}
        async with httpx.AsyncClient(base_url=f"http://{live_url}", headers=headers) as client:
            response = await client.post("/api/conversation", json={"text": "거실 천장등 꺼줘"})
            assert response.status_code == 200
            turn = response.json()
            assert set(turn) == {"commands", "reply", "needs_confirmation", "needs_choice", "results"}
            assert turn["commands"] == [{"intent": "turn_off", "targets": ["living_ceiling"], "params": {}}]
            assert turn["results"] == [{"target": "living_ceiling", "ok": True, "error": None}]
            assert "천장등" in turn["reply"]
            device = (await client.get("/api/devices/living_ceiling")).json()
            assert device["state"]["power"] is False
        changed = await _next_of(ws, "state_changed", device="living_ceiling")
        # the sample home is metered: the lamp's draw (power_w) changes with it, in the same event
        assert changed["changed"]["power"] is False and set(changed["changed"]) <= {"power", "power_w"}
        assert changed["state"]["power"] is False
        said = await _next_of(ws, "conversation")
        assert said["user"] == "member" and said["text"] == "거실 천장등 꺼줘" and said["reply"] == turn["reply"]


async def test_device_endpoint_command_reaches_the_websocket(harness, live_url) -> None:
    headers = harness.auth(Role.GUEST)
    async with websockets.connect(f"ws://{live_url}/api/events", additional_headers=headers) as ws:
        await ws.recv()  # hello
        async with httpx.AsyncClient(base_url=f"http://{live_url}", headers=headers) as client:
            response = await client.post(
                "/api/devices/living_stand/commands",
                json={"intent": "set", "params": {"property": "brightness", "value": 40}},
            )
        assert response.status_code == 200, response.text
        assert response.json()["ok"] is True
        changed = await _next_of(ws, "state_changed", device="living_stand")
        assert changed["state"]["brightness"] == 40 and changed["state"]["power"] is True


async def test_websocket_token_in_query_and_ping(harness, live_url) -> None:
    token = harness.tokens[Role.OWNER]
    async with websockets.connect(f"ws://{live_url}/api/events?token={token}") as ws:
        assert json.loads(await ws.recv())["type"] == "hello"
        await ws.send("ping")
        assert json.loads(await ws.recv()) == {"type": "pong"}


async def test_websocket_without_credentials_is_refused(live_url) -> None:
    try:
        async with websockets.connect(f"ws://{live_url}/api/events") as ws:
            await ws.recv()
    except websockets.InvalidStatus as exc:
        assert exc.response.status_code == 403
    else:  # pragma: no cover - the assertion says why
        raise AssertionError("an unauthenticated WebSocket was accepted")


async def test_websocket_with_session_cookie_from_another_origin_is_refused(harness, live_url) -> None:
    async with httpx.AsyncClient(base_url=f"http://{live_url}") as client:
        login = await client.post("/api/login", json={"name": "member", "password": "member-password-1"})
        cookie = login.cookies["jibsa_session"]
    headers = {"Cookie": f"jibsa_session={cookie}"}
    try:
        async with websockets.connect(
            f"ws://{live_url}/api/events", additional_headers=headers, origin="https://evil.example"
        ) as ws:  # type: ignore[arg-type]
            await ws.recv()
    except websockets.InvalidStatus as exc:
        assert exc.response.status_code == 403
    else:  # pragma: no cover
        raise AssertionError("a cross-origin cookie WebSocket was accepted")
    async with websockets.connect(
        f"ws://{live_url}/api/events", additional_headers=headers, origin=f"http://{live_url}"
    ) as ws:  # type: ignore[arg-type]
        assert json.loads(await ws.recv())["user"] == "member"
