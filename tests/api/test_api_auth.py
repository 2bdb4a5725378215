"""Tokens, sessions, CSRF, login rate limiting, and the audit log."""

from __future__ import annotations

import pytest

from jibsa.api.accounts import secret_hash
from jibsa.domain import Role

OPEN_PATHS = {"/api/login", "/api/openapi.json", "/"}


def _api_routes(app) -> list[tuple[str, str]]:
    """Every operation of the OpenAPI document, with sample path parameters."""
    out = []
    for path, operations in app.openapi()["paths"].items():
        if path in OPEN_PATHS:
            continue
        concrete = (
            path.replace("{device_id}", "living_stand")
            .replace("{scene_id}", "movie")
            .replace("{job_id}", "x")
            .replace("{name}", "guest")
        )
        out.extend((method.upper(), concrete) for method in operations)
    return out


async def test_every_endpoint_needs_a_token_or_a_session(harness) -> None:
    routes = _api_routes(harness.app)
    assert len(routes) >= 15
    for method, path in routes:
        response = await harness.client.request(method, path, json={})
        assert response.status_code == 401, (method, path)
        assert response.json()["code"] == "not_authenticated"
        wrong = await harness.client.request(method, path, json={}, headers={"Authorization": "Bearer jibsa_nope"})
        assert wrong.status_code == 401, (method, path)


async def test_tokens_are_stored_only_as_hashes(harness) -> None:
    token = harness.tokens[Role.MEMBER]
    store = harness.running.store
    assert (await store.find_token(token)) is None
    assert (await store.find_token(secret_hash(token))).name == "member"


async def test_login_sets_a_strict_httponly_cookie_and_returns_a_csrf_token(harness) -> None:
    response = await harness.client.post("/api/login", json={"name": "member", "password": "member-password-1"})
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "member" and body["role"] == "member" and len(body["csrf_token"]) > 20
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    me = await harness.client.get("/api/me")
    assert me.json()["via"] == "session" and me.json()["csrf_token"] == body["csrf_token"]


@pytest.mark.parametrize("auth_settings", [{"secure_cookies": True}])
async def test_cookies_are_secure_when_served_over_tls(harness) -> None:
    response = await harness.client.post("/api/login", json={"name": "member", "password": "member-password-1"})
    assert "secure" in response.headers["set-cookie"].lower()


async def test_state_changing_cookie_requests_need_the_csrf_token(harness) -> None:
    csrf = await harness.login(Role.MEMBER)
    path, body = "/api/devices/study_light/commands", {"intent": "turn_on"}
    refused = await harness.client.post(path, json=body)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    wrong = await harness.client.post(path, json=body, headers={"X-CSRF-Token": "not-it"})
    assert wrong.status_code == 403
    assert harness.running.hub.state("study_light")["power"] is False
    assert (await harness.client.get("/api/devices/study_light")).status_code == 200  # reading needs none
    accepted = await harness.client.post(path, json=body, headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 200
    assert harness.running.hub.state("study_light")["power"] is True


async def test_logout_ends_the_session(harness) -> None:
    csrf = await harness.login(Role.GUEST)
    assert (await harness.client.post("/api/logout", headers={"X-CSRF-Token": csrf})).status_code == 200
    harness.client.cookies.clear()
    assert (await harness.client.get("/api/me")).status_code == 401


async def test_wrong_password_and_unknown_name_look_the_same(harness) -> None:
    wrong = await harness.client.post("/api/login", json={"name": "member", "password": "nope"})
    unknown = await harness.client.post("/api/login", json={"name": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "bad_credentials"


async def test_login_attempts_are_rate_limited(harness) -> None:
    for _ in range(5):
        response = await harness.client.post("/api/login", json={"name": "owner", "password": "guess"})
        assert response.status_code == 401
    limited = await harness.client.post("/api/login", json={"name": "owner", "password": "owner-password-1"})
    assert limited.status_code == 429 and limited.json()["code"] == "too_many_requests"
    assert int(limited.headers["Retry-After"]) > 0


async def test_every_command_is_audited(harness) -> None:
    await harness.as_(Role.MEMBER, "POST", "/api/devices/kitchen_light/commands", json={"intent": "turn_on"})
    await harness.as_(Role.GUEST, "POST", "/api/devices/front_door/commands", json={"intent": "unlock"})
    await harness.as_(Role.OWNER, "POST", "/api/conversation", json={"text": "거실 불 꺼줘"})
    await harness.as_(Role.MEMBER, "POST", "/api/scenes/home/run")
    entries = (await harness.as_(Role.OWNER, "GET", "/api/audit")).json()
    by_action = {(e["action"], e["user"]): e for e in entries}
    light = by_action[("device_command", "member")]
    assert light["ok"] is True and light["detail"]["intent"] == "turn_on" and light["role"] == "member"
    assert light["source"] == "token:192.0.2.10" and light["at"] > 0
    door = by_action[("device_command", "guest")]
    assert door["ok"] is False and door["result"] == {"error": "not_allowed"}
    said = by_action[("conversation", "owner")]
    assert said["detail"]["text"] == "거실 불 꺼줘" and said["result"]["commands"]
    assert ("run_scene", "member") in by_action


@pytest.mark.parametrize("auth_settings", [{"trusted_proxies": ("192.0.2.10",)}])
async def test_a_trusted_proxy_forwards_the_client_address(harness) -> None:
    headers = {"X-Forwarded-For": "203.0.113.7, 192.0.2.10"}
    await harness.as_(
        Role.MEMBER, "POST", "/api/devices/kitchen_light/commands", json={"intent": "turn_on"}, headers=headers
    )
    entries = (await harness.as_(Role.OWNER, "GET", "/api/audit")).json()
    assert entries[0]["source"] == "token:203.0.113.7" or any(e["source"] == "token:203.0.113.7" for e in entries)


async def test_an_untrusted_peer_cannot_forge_its_address(harness) -> None:
    headers = {"X-Forwarded-For": "203.0.113.7"}
    await harness.as_(
        Role.MEMBER, "POST", "/api/devices/kitchen_light/commands", json={"intent": "turn_on"}, headers=headers
    )
    entries = (await harness.as_(Role.OWNER, "GET", "/api/audit")).json()
    assert all("203.0.113.7" not in e["source"] for e in entries)
