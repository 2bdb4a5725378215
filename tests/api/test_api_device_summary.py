"""Each device, and each state change on the WebSocket, carries its key state in people's words
(`summary`: {"ko", "en"}) from the same table the CLI uses."""

from __future__ import annotations

import asyncio
import json

import websockets

from jibsa.domain import Role


async def test_devices_carry_their_summary_in_both_languages(harness) -> None:
    devices = (await harness.as_(Role.MEMBER, "GET", "/api/devices")).json()
    by_id = {d["id"]: d for d in devices}
    assert by_id["front_door"]["summary"] == {"ko": "잠김", "en": "locked"}
    assert by_id["living_curtain"]["summary"] == {"ko": "닫힘", "en": "closed"}
    assert all(set(d["summary"]) == {"ko", "en"} and d["summary"]["ko"] for d in devices)


async def test_a_state_change_event_carries_the_new_summary(harness, live_url) -> None:
    headers = harness.auth(Role.MEMBER)
    async with websockets.connect(f"ws://{live_url}/api/events", additional_headers=headers) as ws:
        await ws.recv()  # hello
        response = await harness.as_(
            Role.MEMBER,
            "POST",
            "/api/devices/living_stand/commands",
            json={"intent": "set", "params": {"property": "brightness", "value": 40}},
        )
        assert response.status_code == 200, response.text
        async with asyncio.timeout(30):  # a guard against hanging, not a measurement
            while True:
                event = json.loads(await ws.recv())
                if event["type"] == "state_changed" and event["device"] == "living_stand":
                    break
    assert event["summary"] == {"ko": "켜짐 · 밝기 40%", "en": "on · brightness 40%"}
    one = (await harness.as_(Role.MEMBER, "GET", "/api/devices/living_stand")).json()
    assert one["summary"] == event["summary"]
