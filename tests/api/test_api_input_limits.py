"""Bad input is a clear 4xx and changes nothing: unknown rooms, non-finite numbers, values the schema
does not allow, bodies over the size limit, and oversized fields in the audit log."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from jibsa.api import create_app
from jibsa.api.body_limit import DEFAULT_MAX_BODY_BYTES
from jibsa.cli.serve_cmd import max_body_bytes
from jibsa.config import ConfigError
from jibsa.domain import Command, Role

LIGHTS = ("living_ceiling", "living_stand", "master_light", "kitchen_light")
JSON = {"Content-Type": "application/json"}


async def _lights_on(harness) -> None:
    for light in LIGHTS:
        await harness.running.hub.execute(Command("turn_on", (light,)))


@pytest.mark.parametrize("room", ["nowhere", "", "garage"])
async def test_an_unknown_room_is_422_and_turns_off_nothing(harness, room) -> None:
    await _lights_on(harness)
    response = await harness.as_(Role.MEMBER, "POST", "/api/conversation", json={"text": "불 꺼", "room": room})
    assert response.status_code == 422, response.text
    error = response.json()
    assert error["code"] == "unknown_room" and error["message"] and error["message_en"]
    assert "living" in error["detail"]["rooms"]
    assert all(harness.running.hub.state(light)["power"] is True for light in LIGHTS)


@pytest.mark.parametrize("room", ["living", "거실", "Living Room", "LIVING", "Living", "거\u200b실"])
async def test_a_room_is_named_by_its_id_name_or_alias(harness, room) -> None:
    await _lights_on(harness)
    response = await harness.as_(Role.MEMBER, "POST", "/api/conversation", json={"text": "불 꺼", "room": room})
    assert response.status_code == 200, response.text
    targets = {t for command in response.json()["commands"] for t in command["targets"]}
    assert targets and targets <= {"living_ceiling", "living_stand"}
    assert harness.running.hub.state("kitchen_light")["power"] is True


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "[1, NaN]", '{"deep": -1e999}'])
async def test_non_finite_numbers_are_422(harness, number) -> None:
    body = '{"intent": "set", "params": {"property": "brightness", "value": ' + number + "}}"
    before = harness.running.hub.state("living_stand")
    response = await harness.as_(
        Role.MEMBER, "POST", "/api/devices/living_stand/commands", content=body.encode(), headers=JSON
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_request" and "finite" in response.text
    assert harness.running.hub.state("living_stand") == before


@pytest.mark.parametrize("confirm", [0, 1, "true", None])
async def test_confirm_must_be_a_boolean(harness, confirm) -> None:
    body = {"intent": "unlock", "confirm": confirm}
    for _ in range(2):
        response = await harness.as_(Role.OWNER, "POST", "/api/devices/front_door/commands", json=body)
        assert response.status_code == 422, response.text
    conversation = await harness.as_(Role.OWNER, "POST", "/api/conversation", json={"text": "응", "confirm": confirm})
    assert conversation.status_code == 422
    assert harness.running.hub.state("front_door")["lock"] == "locked"


async def _audit_count(harness) -> int:
    return len((await harness.as_(Role.OWNER, "GET", "/api/audit", params={"limit": 1000})).json())


async def test_a_body_over_the_limit_is_413_by_its_declared_length(harness) -> None:
    audited = await _audit_count(harness)
    text = "불 꺼" * (DEFAULT_MAX_BODY_BYTES // 6)
    response = await harness.as_(Role.MEMBER, "POST", "/api/conversation", json={"text": text})
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "payload_too_large" and response.json()["message_en"]
    assert await _audit_count(harness) == audited  # the request never reached the application


async def test_a_chunked_body_is_read_only_up_to_the_limit(harness) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"text": "'
        for _ in range(10_000):  # 10 MB if it were all read
            sent += 1
            yield b"x" * 1024

    response = await harness.as_(Role.MEMBER, "POST", "/api/conversation", content=chunks(), headers=JSON)
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert sent <= DEFAULT_MAX_BODY_BYTES // 1024 + 2


async def test_bodies_within_the_limit_are_served(harness) -> None:
    response = await harness.as_(Role.MEMBER, "POST", "/api/conversation", json={"text": "거실 불 꺼줘"})
    assert response.status_code == 200


async def test_the_limit_is_configurable(harness) -> None:
    app = create_app(harness.running, max_body_bytes=100)
    transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 1))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://jibsa.test", headers=harness.auth(Role.MEMBER)
    ) as client:
        small = await client.post("/api/conversation", json={"text": "거실 불 꺼줘"})
        large = await client.post("/api/conversation", json={"text": "x" * 200})
    assert small.status_code == 200 and large.status_code == 413


async def test_oversized_audit_fields_are_stored_cut_and_marked(harness) -> None:
    note = "가" * 20_000  # a member's large params: within the body limit, far over an audit field's bound
    body = {"intent": "set", "params": {"property": "brightness", "value": 30, "note": note}}
    await harness.as_(Role.MEMBER, "POST", "/api/devices/living_stand/commands", json=body)
    response = await harness.as_(Role.OWNER, "GET", "/api/audit", params={"limit": 20})
    entry = next(e for e in response.json() if e["action"] == "device_command")
    assert entry["detail"]["_truncated"] > len(note)
    assert entry["detail"]["preview"].startswith('{"intent": "set", "targets": ["living_stand"]')
    assert len(response.content) < 40_000


async def test_an_unknown_content_type_is_a_documented_error(harness) -> None:
    response = await harness.as_(
        Role.MEMBER,
        "POST",
        "/api/conversation",
        content=b"text=hi",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"


async def test_a_body_that_is_not_utf8_is_422_like_broken_json(harness) -> None:
    response = await harness.as_(Role.MEMBER, "POST", "/api/conversation", content=b"\xff\xfe5", headers=JSON)
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"


async def test_a_405_lists_every_method_the_path_serves(harness) -> None:
    response = await harness.as_(Role.OWNER, "OPTIONS", "/api/users")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
    assert response.headers["allow"] == "GET, HEAD, POST"


def test_the_json_error_of_413_is_documented(harness) -> None:
    document = harness.app.openapi()
    responses = document["paths"]["/api/conversation"]["post"]["responses"]
    assert "413" in responses


def test_the_body_limit_setting_of_jibsa_yaml() -> None:
    assert max_body_bytes({}) == DEFAULT_MAX_BODY_BYTES
    assert max_body_bytes({"max_body_bytes": 1_000_000}) == 1_000_000
    for bad in (0, -1, "64k", 1.5, True):
        with pytest.raises(ConfigError, match=r"server.max_body_bytes: .* is not a positive number of bytes"):
            max_body_bytes({"max_body_bytes": bad})
