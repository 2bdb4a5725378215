"""Discovered safety devices: listed for owners, adopted by owners only, then part of the home."""

from __future__ import annotations

import pytest

from jibsa.domain import Device, DeviceType, Role


@pytest.fixture
def waiting_lock(harness) -> str:  # type: ignore[no-untyped-def]
    harness.running.hub.add_devices([Device("porch_lock", "현관문", DeviceType.DOOR_LOCK, maker="Acme")], "sim")
    return "porch_lock"


async def test_an_owner_sees_and_adopts_a_discovered_lock(harness, waiting_lock: str) -> None:  # type: ignore[no-untyped-def]
    listed = await harness.as_(Role.OWNER, "GET", "/api/discovered")
    assert listed.status_code == 200
    assert listed.json() == [
        {
            "id": "porch_lock",
            "name": "현관문 (Acme)",
            "type": "door_lock",
            "vendor": "sim",
            "maker": "Acme",
            "room": None,
        }
    ]
    refused = await harness.as_(Role.OWNER, "POST", f"/api/devices/{waiting_lock}/commands", json={"intent": "lock"})
    assert refused.status_code == 404
    adopted = await harness.as_(Role.OWNER, "POST", f"/api/discovered/{waiting_lock}/adopt")
    assert adopted.status_code == 200 and adopted.json()["name"] == "현관문 (Acme)"
    assert (await harness.as_(Role.OWNER, "GET", "/api/discovered")).json() == []
    assert (await harness.as_(Role.OWNER, "GET", f"/api/devices/{waiting_lock}")).status_code == 200


@pytest.mark.parametrize("role", [Role.MEMBER, Role.GUEST])
async def test_only_owners_adopt(harness, waiting_lock: str, role: Role) -> None:  # type: ignore[no-untyped-def]
    assert (await harness.as_(role, "GET", "/api/discovered")).status_code == 403
    response = await harness.as_(role, "POST", f"/api/discovered/{waiting_lock}/adopt")
    assert response.status_code == 403
    assert harness.running.hub.home.device(waiting_lock) is None


async def test_adopting_what_is_not_waiting_is_a_clear_404(harness) -> None:  # type: ignore[no-untyped-def]
    response = await harness.as_(Role.OWNER, "POST", "/api/discovered/nothing_here/adopt")
    assert response.status_code == 404 and response.json()["code"] == "unknown_device"
    assert response.json()["message"] and response.json()["message_en"]
