"""Every role on every state-changing endpoint: what owners, members and guests may and may not do."""

from __future__ import annotations

import pytest

from jibsa.domain import Command, Role

OWNER, MEMBER, GUEST = Role.OWNER, Role.MEMBER, Role.GUEST
ALL = (OWNER, MEMBER, GUEST)


def _expect(role: Role, allowed: tuple[Role, ...], ok: int, refused: int = 403) -> int:
    return ok if role in allowed else refused


@pytest.mark.parametrize("role", ALL)
async def test_ordinary_device_command(harness, role) -> None:
    response = await harness.as_(role, "POST", "/api/devices/kitchen_light/commands", json={"intent": "turn_on"})
    assert response.status_code == 200
    assert harness.running.hub.state("kitchen_light")["power"] is True


@pytest.mark.parametrize("role", ALL)
async def test_unlocking_the_door(harness, role) -> None:
    body = {"intent": "unlock", "params": {}}
    first = await harness.as_(role, "POST", "/api/devices/front_door/commands", json=body)
    if role is GUEST:
        assert first.status_code == 403 and first.json()["code"] == "not_allowed"
        again = await harness.as_(role, "POST", "/api/devices/front_door/commands", json={**body, "confirm": True})
        assert again.status_code == 403
        assert harness.running.hub.state("front_door")["lock"] == "locked"
        return
    assert first.status_code == 409 and first.json()["code"] == "needs_confirmation"
    assert harness.running.hub.state("front_door")["lock"] == "locked"
    second = await harness.as_(role, "POST", "/api/devices/front_door/commands", json={**body, "confirm": True})
    assert second.status_code == 200, second.text
    assert harness.running.hub.state("front_door")["lock"] == "unlocked"


@pytest.mark.parametrize("role", ALL)
async def test_opening_the_gas_valve_is_refused_to_everyone(harness, role) -> None:
    response = await harness.as_(role, "POST", "/api/devices/gas_valve/commands", json={"intent": "open"})
    assert response.status_code == 403
    assert response.json()["code"] == ("not_allowed" if role is GUEST else "refused_for_safety")
    assert harness.running.hub.state("gas_valve")["valve"] == "open"  # the simulated valve starts open


@pytest.mark.parametrize("role", ALL)
async def test_closing_the_gas_valve_is_allowed_to_everyone(harness, role) -> None:
    response = await harness.as_(role, "POST", "/api/devices/gas_valve/commands", json={"intent": "close"})
    assert response.status_code == 200
    assert harness.running.hub.state("gas_valve")["valve"] == "closed"


@pytest.mark.parametrize("role", ALL)
async def test_repeating_schedules_are_automations_guests_may_not_make(harness, role) -> None:
    body = {"intent": "turn_on", "params": {"at": "07:00", "repeat": "daily"}}
    response = await harness.as_(role, "POST", "/api/devices/boiler/commands", json=body)
    assert response.status_code == _expect(role, (OWNER, MEMBER), 200)
    said = await harness.as_(role, "POST", "/api/conversation", json={"text": "매일 아침 7시에 보일러 켜줘"})
    assert said.status_code == _expect(role, (OWNER, MEMBER), 200)
    repeating = [j for j in harness.running.hub.pending_jobs() if j.repeat]
    assert (len(repeating) > 0) is (role is not GUEST)


@pytest.mark.parametrize("role", ALL)
async def test_cancelling_a_schedule(harness, role) -> None:
    outcome = await harness.running.hub.execute(Command("turn_off", ("boiler",), {"delay_s": 3600}))
    assert outcome.scheduled is not None
    response = await harness.as_(role, "DELETE", f"/api/jobs/{outcome.scheduled.id}")
    assert response.status_code == _expect(role, (OWNER, MEMBER), 200)
    assert (len(harness.running.hub.pending_jobs()) == 0) is (role is not GUEST)


@pytest.mark.parametrize("role", ALL)
async def test_running_a_scene(harness, role) -> None:
    response = await harness.as_(role, "POST", "/api/scenes/movie/run")
    assert response.status_code == 200
    assert harness.running.hub.state("living_tv")["power"] is True


@pytest.mark.parametrize("role", ALL)
async def test_conversation_for_everyone_but_guests_cannot_unlock_through_it(harness, role) -> None:
    session = {"session": "s"}
    first = await harness.as_(role, "POST", "/api/conversation", json={"text": "현관문 열어줘", **session})
    if role is GUEST:  # told at once, not asked for a second word that can never make it theirs
        assert (first.status_code, first.json()["code"]) == (403, "not_allowed")
        second = await harness.as_(role, "POST", "/api/conversation", json={"text": "응", **session})
        assert second.json().get("results", []) == []
        assert harness.running.hub.state("front_door")["lock"] == "locked"
        return
    assert first.status_code == 200 and first.json()["needs_confirmation"] is True
    second = await harness.as_(role, "POST", "/api/conversation", json={"text": "응", **session})
    assert second.status_code == 200
    results = second.json()["results"]
    assert results[0]["ok"] is True
    assert harness.running.hub.state("front_door")["lock"] == "unlocked"


@pytest.mark.parametrize("role", ALL)
async def test_adding_a_user(harness, role) -> None:
    response = await harness.as_(role, "POST", "/api/users", json={"name": f"new_{role.value}", "role": "guest"})
    assert response.status_code == _expect(role, (OWNER,), 201)
    if role is OWNER:
        assert response.json()["token"].startswith("jibsa_")


@pytest.mark.parametrize("role", ALL)
async def test_removing_a_user(harness, role) -> None:
    victim = "member" if role is not MEMBER else "guest"
    response = await harness.as_(role, "DELETE", f"/api/users/{victim}")
    assert response.status_code == _expect(role, (OWNER,), 200)


@pytest.mark.parametrize("role", ALL)
@pytest.mark.parametrize("path", ["/api/users", "/api/audit"])
async def test_reading_users_and_the_audit_log(harness, role, path) -> None:
    response = await harness.as_(role, "GET", path)
    assert response.status_code == _expect(role, (OWNER,), 200)


@pytest.mark.parametrize("role", ALL)
async def test_logging_out(harness, role) -> None:
    response = await harness.as_(role, "POST", "/api/logout")
    assert response.status_code == 200


async def test_owner_cannot_remove_themselves(harness) -> None:
    response = await harness.as_(OWNER, "DELETE", "/api/users/owner")
    assert response.status_code == 409 and response.json()["code"] == "cannot_remove_self"


async def test_a_removed_users_token_stops_working(harness) -> None:
    assert (await harness.as_(GUEST, "GET", "/api/devices")).status_code == 200
    assert (await harness.as_(OWNER, "DELETE", "/api/users/guest")).status_code == 200
    assert (await harness.as_(GUEST, "GET", "/api/devices")).status_code == 401
