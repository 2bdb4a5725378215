"""Adding a Matter device from the dashboard's API: owners only; the code typed or read from the QR
code; progress to follow; the new device named and placed; removed again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from matter_support import HOME_FILE, next_event

from jibsa.api import AuthSettings, create_app
from jibsa.api.accounts import add_user_with_token
from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Role
from jibsa.hub import HomeChanged
from jibsa.testing.matter_lab import MatterLab


async def client_for(running: RunningHome) -> tuple[httpx.AsyncClient, dict[Role, dict[str, str]]]:
    headers = {}
    for role in Role:
        _, token = await add_user_with_token(
            running.store, running.hub.home.id, role.value, role, f"{role.value}-password-1"
        )
        headers[role] = {"Authorization": f"Bearer {token}"}
    transport = httpx.ASGITransport(app=create_app(running, AuthSettings()), client=("192.0.2.10", 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://jibsa.test"), headers


@pytest.fixture
async def without_controller(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, dict[Role, Any]]]:
    running = await open_home(Settings(home_file=HOME_FILE, data_dir=tmp_path))
    client, headers = await client_for(running)
    async with client:
        yield client, headers
    await running.close()


async def test_without_a_controller_adding_is_refused_with_its_own_code(
    without_controller: tuple[httpx.AsyncClient, dict[Role, Any]],
) -> None:
    client, headers = without_controller
    assert (await client.get("/api/matter", headers=headers[Role.OWNER])).json() == {
        "configured": False,
        "connected": False,
    }
    answer = await client.post("/api/matter/commission", json={"code": "34970112332"}, headers=headers[Role.OWNER])
    assert answer.status_code == 409 and answer.json()["code"] == "matter_not_set_up"


@pytest.mark.parametrize("role", [Role.MEMBER, Role.GUEST])
async def test_only_owners_reach_the_matter_routes(
    without_controller: tuple[httpx.AsyncClient, dict[Role, Any]],
    role: Role,
) -> None:
    client, headers = without_controller
    for method, path, body in (
        ("GET", "/api/matter", None),
        ("POST", "/api/matter/commission", {"code": "34970112332"}),
        ("POST", "/api/matter/devices/matter_1_1/name", {"name": "스탠드"}),
        ("DELETE", "/api/matter/devices/matter_1_1", None),
    ):
        answer = await client.request(method, path, json=body, headers=headers[role])
        assert answer.status_code == 403, (method, path, answer.text)
    assert (await client.post("/api/matter/commission", json={"code": "3"})).status_code == 401


async def test_odd_input_is_refused(without_controller: tuple[httpx.AsyncClient, dict[Role, Any]]) -> None:
    client, headers = without_controller
    for body in ({"code": "1" * 65}, {"code": ""}, {"code": 34970112332}, {"code": "1", "extra": 1}, {}):
        answer = await client.post("/api/matter/commission", json=body, headers=headers[Role.OWNER])
        assert answer.status_code == 422, body


@pytest.mark.slow
async def test_an_owner_adds_a_device_by_its_qr_code_names_it_and_removes_it(
    lab: MatterLab,
    matter_home: RunningHome,
) -> None:
    devices = lab.devices(("plug", "heater"))
    client, headers = await client_for(matter_home)
    owner = headers[Role.OWNER]
    async with client:
        assert (await client.get("/api/matter", headers=owner)).json() == {"configured": True, "connected": True}
        bad = (await client.post("/api/matter/commission", json={"code": "1234-567-8901"}, headers=owner)).json()
        while not bad["done"]:
            bad = (await client.get(f"/api/matter/commission/{bad['id']}?after={bad['stage']}", headers=owner)).json()
        assert bad["stage"] == "failed" and bad["message"].startswith("페어링 코드가 맞지 않아요.")

        started = await client.post(
            "/api/matter/commission", json={"code": devices.devices["heater"].qr_code}, headers=owner
        )
        assert started.status_code == 202
        progress = started.json()
        seen = {progress["stage"]}
        while not progress["done"]:  # as the page follows it: each answer comes when the stage moves on
            path = f"/api/matter/commission/{progress['id']}?after={progress['stage']}"
            progress = (await client.get(path, headers=owner)).json()
            seen.add(progress["stage"])
        assert progress["stage"] == "added", progress
        assert "commissioning" in seen and progress["message"].startswith("새 매터 기기")
        [device] = progress["devices"]

        named = await client.post(
            f"/api/matter/devices/{device['id']}/name", json={"name": "난로", "room": "안방"}, headers=owner
        )
        assert named.json() == {"id": device["id"], "name": "안방 난로", "room": "bedroom"}
        assert (
            await client.post(
                f"/api/matter/devices/{device['id']}/name", json={"name": "x", "room": "다락"}, headers=owner
            )
        ).json()["code"] == "unknown_room"
        turn = await matter_home.conversation.handle("안방 난로 켜줘")
        assert [r.ok for r in turn.results] == [True], turn.reply
        await asyncio.to_thread(devices.wait_state, "heater", 30.0, onOff=True)

        with matter_home.hub.bus.subscribe(
            accept=lambda e: isinstance(e, HomeChanged) and device["id"] in e.removed
        ) as events:
            gone = await client.delete(f"/api/matter/devices/{device['id']}", headers=owner)
            assert gone.status_code == 204
            await next_event(events)
        assert (await client.delete(f"/api/matter/devices/{device['id']}", headers=owner)).status_code == 404
        audit = await matter_home.store.audit(matter_home.hub.home.id)  # type: ignore[attr-defined]
        assert {"matter_commission", "matter_name", "matter_remove"} <= {e.action for e in audit}
