"""Devices, rooms, scenes, history and pending jobs over the API; unlock confirmation; error bodies."""

from __future__ import annotations

import time

import pytest

from jibsa.api.accounts import hash_password
from jibsa.domain import Command, Role

MEMBER = Role.MEMBER


async def test_devices_list_every_device_with_state_and_controls(harness) -> None:
    devices = (await harness.as_(MEMBER, "GET", "/api/devices")).json()
    assert len(devices) == len(harness.running.home.devices)
    light = next(d for d in devices if d["id"] == "living_ceiling")
    assert light["type"] == "light" and light["room"] == "living" and light["available"] is True
    assert {"power", "brightness", "color"} <= set(light["state"])
    brightness = next(p for p in light["properties"] if p["name"] == "brightness")
    assert (brightness["minimum"], brightness["maximum"], brightness["writable"]) == (1, 100, True)
    assert "turn_off" in light["intents"]


async def test_one_device_and_an_unknown_one(harness) -> None:
    assert (await harness.as_(MEMBER, "GET", "/api/devices/boiler")).json()["type"] == "boiler"
    missing = await harness.as_(MEMBER, "GET", "/api/devices/garage")
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_device"


async def test_rooms_and_scenes(harness) -> None:
    rooms = (await harness.as_(MEMBER, "GET", "/api/rooms")).json()
    living = next(r for r in rooms if r["id"] == "living")
    assert living["name"] == "거실" and "living_ceiling" in living["devices"]
    assert any("boiler" in r["devices"] for r in rooms)  # whole-home devices are listed too
    scenes = (await harness.as_(MEMBER, "GET", "/api/scenes")).json()
    assert {"away", "home", "sleep", "movie"} <= {s["id"] for s in scenes}
    named = {s["id"]: (s["name"], s["name_en"]) for s in scenes}  # what the page says in English (home file's)
    assert named["movie"] == ("영화 모드", "movie mode")
    assert (await harness.as_(MEMBER, "POST", "/api/scenes/nope/run")).json()["code"] == "unknown_scene"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"intent": "set", "params": {"property": "warp", "value": 1}}, 422, "unsupported_property"),
        ({"intent": "set", "params": {"property": "brightness", "value": "very"}}, 422, "bad_value"),
        ({"intent": "dock"}, 422, "unsupported_intent"),
        ({"intent": "run_scene"}, 422, "invalid_request"),
        ({"intent": "turn_on", "params": {"delay_s": -1}}, 422, "invalid_request"),
        ({"intent": "turn_on", "extra": 1}, 422, "invalid_request"),
    ],
)
async def test_bad_commands_get_a_stable_code_and_two_languages(harness, body, status, code) -> None:
    response = await harness.as_(MEMBER, "POST", "/api/devices/living_stand/commands", json=body)
    assert response.status_code == status, response.text
    error = response.json()
    assert error["code"] == code and error["message"] and error["message_en"]
    assert "Traceback" not in response.text


async def test_clamped_values_are_reported(harness) -> None:
    response = await harness.as_(
        MEMBER,
        "POST",
        "/api/devices/living_ac/commands",
        json={"intent": "set", "params": {"property": "temperature", "value": 40}},
    )
    assert response.status_code == 200
    result = response.json()["results"][0]
    assert result["clamped"] == [{"property": "temperature", "asked": 40, "applied": 30}]


async def test_history_records_state_changes(harness) -> None:
    before = time.time() - 1
    for intent in ("turn_on", "turn_off"):
        await harness.as_(MEMBER, "POST", "/api/devices/study_light/commands", json={"intent": intent})
    history = (await harness.as_(MEMBER, "GET", f"/api/history?device=study_light&since={before}")).json()
    powers = [h["new"]["power"] for h in history if "power" in h["new"]]
    assert powers[-2:] == [True, False] or powers[:2] == [False, True] or set(powers) == {True, False}
    assert all(h["device"] == "study_light" and h["at"] >= before for h in history)
    assert (await harness.as_(MEMBER, "GET", "/api/history?device=nope")).status_code == 404


async def test_pending_jobs_are_listed(harness) -> None:
    await harness.as_(MEMBER, "POST", "/api/conversation", json={"text": "10분 타이머 맞춰줘"})
    await harness.running.hub.execute(Command("turn_off", ("boiler",), {"delay_s": 1800}))
    jobs = (await harness.as_(MEMBER, "GET", "/api/jobs")).json()
    assert {j["kind"] for j in jobs} == {"timer", "command"}
    assert (await harness.as_(MEMBER, "DELETE", "/api/jobs/nope")).json()["code"] == "unknown_job"


async def test_unlock_by_second_request_expires(harness, monkeypatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(harness.running.conversation.confirmations, "_clock", lambda: now[0])
    body = {"intent": "unlock"}
    assert (await harness.as_(MEMBER, "POST", "/api/devices/front_door/commands", json=body)).status_code == 409
    now[0] += 61
    late = await harness.as_(MEMBER, "POST", "/api/devices/front_door/commands", json={**body, "confirm": True})
    assert late.status_code == 409
    now[0] += 5
    again = await harness.as_(MEMBER, "POST", "/api/devices/front_door/commands", json={**body, "confirm": True})
    assert again.status_code == 200
    assert harness.running.hub.state("front_door")["lock"] == "unlocked"


async def test_confirming_someone_elses_request_does_not_count(harness) -> None:
    body = {"intent": "unlock"}
    assert (await harness.as_(Role.OWNER, "POST", "/api/devices/front_door/commands", json=body)).status_code == 409
    other = await harness.as_(MEMBER, "POST", "/api/devices/front_door/commands", json={**body, "confirm": True})
    assert other.status_code == 409


@pytest.mark.parametrize("auth_settings", [{"unlock_pin_hash": hash_password("2468")}])
async def test_with_a_pin_the_pin_confirms(harness) -> None:
    path, body = "/api/devices/front_door/commands", {"intent": "unlock", "confirm": True}
    assert (await harness.as_(MEMBER, "POST", path, json={"intent": "unlock"})).status_code == 409
    no_pin = await harness.as_(MEMBER, "POST", path, json=body)
    assert no_pin.status_code == 403 and no_pin.json()["code"] == "wrong_pin"
    wrong = await harness.as_(MEMBER, "POST", path, json={**body, "pin": "1111"})
    assert wrong.status_code == 403
    assert harness.running.hub.state("front_door")["lock"] == "locked"
    right = await harness.as_(MEMBER, "POST", path, json={**body, "pin": "2468"})
    assert right.status_code == 200
    assert harness.running.hub.state("front_door")["lock"] == "unlocked"


@pytest.mark.parametrize("auth_settings", [{"unlock_pin_hash": hash_password("2468")}])
async def test_pin_guesses_are_rate_limited(harness) -> None:
    path, body = "/api/devices/front_door/commands", {"intent": "unlock", "confirm": True}
    for _ in range(5):
        assert (await harness.as_(MEMBER, "POST", path, json={**body, "pin": "0000"})).status_code == 403
    limited = await harness.as_(MEMBER, "POST", path, json={**body, "pin": "2468"})
    assert limited.status_code == 429


@pytest.mark.parametrize("auth_settings", [{"unlock_pin_hash": hash_password("2468")}])
async def test_with_a_pin_a_bare_yes_in_conversation_is_not_enough(harness) -> None:
    session = {"session": "door"}
    first = await harness.as_(MEMBER, "POST", "/api/conversation", json={"text": "현관문 열어줘", **session})
    assert first.json()["needs_confirmation"] is True
    yes = await harness.as_(MEMBER, "POST", "/api/conversation", json={"text": "응", **session})
    assert yes.status_code == 403 and yes.json()["code"] == "wrong_pin"
    assert harness.running.hub.state("front_door")["lock"] == "locked"
    confirmed = await harness.as_(
        MEMBER, "POST", "/api/conversation", json={"text": "응", "confirm": True, "pin": "2468", **session}
    )
    assert confirmed.status_code == 200 and confirmed.json()["results"][0]["ok"] is True
    assert harness.running.hub.state("front_door")["lock"] == "unlocked"


async def test_conversation_confirm_flag_is_a_second_request(harness) -> None:
    text = {"text": "현관문 열어줘"}
    first = await harness.as_(MEMBER, "POST", "/api/conversation", json={**text, "confirm": True})
    assert first.json()["needs_confirmation"] is True  # a first request cannot confirm itself
    second = await harness.as_(MEMBER, "POST", "/api/conversation", json={**text, "confirm": True})
    assert second.json()["needs_confirmation"] is False
    assert harness.running.hub.state("front_door")["lock"] == "unlocked"


async def test_sessions_are_per_user(harness) -> None:
    await harness.as_(Role.OWNER, "POST", "/api/conversation", json={"text": "현관문 열어줘", "session": "s"})
    other = await harness.as_(MEMBER, "POST", "/api/conversation", json={"text": "응", "session": "s"})
    assert other.json()["results"] == []
    assert harness.running.hub.state("front_door")["lock"] == "locked"


async def test_conversation_replies_to_anything(harness) -> None:
    for text in ("", "🙂" * 500, "오늘 기분이 좋네", "x" * 2000):
        response = await harness.as_(MEMBER, "POST", "/api/conversation", json={"text": text})
        assert response.status_code == 200 and isinstance(response.json()["reply"], str)
    too_long = await harness.as_(MEMBER, "POST", "/api/conversation", json={"text": "x" * 2001})
    assert too_long.status_code == 422


async def test_history_shows_guests_no_ones_address(harness) -> None:
    """Issue 20, item 18: history showed members' IP addresses to guests."""
    await harness.as_(MEMBER, "POST", "/api/devices/study_light/commands", json={"intent": "turn_on"})
    await harness.running.hub.flush()
    member_sees = (await harness.as_(MEMBER, "GET", "/api/history?device=study_light")).json()
    guest_sees = (await harness.as_(Role.GUEST, "GET", "/api/history?device=study_light")).json()
    [via] = {h["cause"]["via"] for h in member_sees if h["cause"]}
    assert ":" in via  # "api:<address>" for members and owners
    assert {h["cause"]["via"] for h in guest_sees if h["cause"]} == {via.split(":", 1)[0]}
