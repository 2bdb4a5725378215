"""The gate behind the HTTP entrances (issue 20, items 3 and 15): the voice socket and `jibsa say --yes`
through a running server need the PIN as `/api/conversation` does, and both are audited."""

from __future__ import annotations

import pytest

from jibsa.api.accounts import hash_password
from jibsa.api.auth import Principal
from jibsa.api.errors import ApiError
from jibsa.api.routes_voice import carry_out
from jibsa.domain import Role

PIN = "2468"
LOCAL = {"X-Jibsa-Local-Token": "local-token"}


def locked(harness) -> bool:
    return bool(harness.running.hub.state("front_door")["lock"] == "locked")


@pytest.mark.parametrize("auth_settings", [{"unlock_pin_hash": hash_password(PIN)}])
async def test_say_yes_through_the_server_needs_the_pin(harness) -> None:
    harness.app.state.local_token = "local-token"
    request = {"text": "현관문 열어줘", "confirm": True}
    refused = await harness.client.post("/api/local/say", json=request, headers=LOCAL)
    assert (refused.status_code, refused.json()["code"]) == (403, "wrong_pin")
    assert locked(harness)
    done = await harness.client.post("/api/local/say", json={**request, "pin": PIN}, headers=LOCAL)
    assert done.status_code == 200, done.text
    assert not locked(harness)
    entries = await harness.running.store.audit(harness.running.hub.home.id)
    said = sorted((e for e in entries if e.action == "conversation"), key=lambda e: e.at)
    assert [(e.user, e.source, e.ok) for e in said] == [("local", "cli:local", False), ("local", "cli:local", True)]


@pytest.mark.parametrize("auth_settings", [{"unlock_pin_hash": hash_password(PIN)}])
async def test_the_voice_socket_needs_the_pin_as_the_conversation_does(harness) -> None:
    context = harness.app.state.jibsa
    user = await harness.running.store.get_user(harness.running.hub.home.id, "member")
    member = Principal(user, Role.MEMBER, "token", "192.0.2.10")
    asked = await carry_out(context, member, "현관문 열어줘", None, "voice-1")
    assert asked.needs_confirmation
    with pytest.raises(ApiError) as refused:
        await carry_out(context, member, "응", None, "voice-1")
    assert refused.value.code == "wrong_pin" and locked(harness)
    await carry_out(context, member, "현관문 열어줘", None, "voice-1")
    await carry_out(context, member, f"응 {PIN}", None, "voice-1")
    assert not locked(harness)


async def test_removing_a_person_closes_their_open_sockets(harness, live_url) -> None:
    """Issue 20, item 4: a removed user's `/api/events` socket is closed, not left streaming."""
    import asyncio

    import websockets

    async with websockets.connect(f"ws://{live_url}/api/events", additional_headers=harness.auth(Role.GUEST)) as ws:
        hello = await asyncio.wait_for(ws.recv(), 10)
        assert '"hello"' in hello
        removed = await harness.as_(Role.OWNER, "DELETE", "/api/users/guest")
        assert removed.status_code == 200
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


async def test_a_token_revoked_elsewhere_closes_its_sockets(harness, live_url) -> None:
    """`jibsa user token --revoke` runs in another process: the socket finds out at its next check."""
    import asyncio

    import websockets

    harness.app.state.jibsa.sockets.recheck_s = 0.05
    async with websockets.connect(f"ws://{live_url}/api/events", additional_headers=harness.auth(Role.MEMBER)) as ws:
        assert '"hello"' in await asyncio.wait_for(ws.recv(), 10)
        user = await harness.running.store.get_user(harness.running.hub.home.id, "member")
        await harness.running.store.revoke_tokens(user.id)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


async def test_refused_logins_and_push_subscriptions_are_audited(harness) -> None:
    """Issue 20, item 15: a 429 login is an audit row (one per address and wait, not one per request),
    and so are push subscriptions made and removed."""
    for _ in range(5):
        await harness.client.post("/api/login", json={"name": "owner", "password": "guess"})
    for _ in range(3):
        limited = await harness.client.post("/api/login", json={"name": "owner", "password": "guess"})
        assert limited.status_code == 429
    endpoint = "https://93.184.215.14/send/1"  # a public address (no name to resolve, nothing is sent)
    keys = {
        "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        "auth": "tBHItJI5svbpez7KI4CCXg",
    }
    inward = await harness.as_(
        Role.GUEST, "POST", "/api/push/subscriptions", json={"endpoint": "https://127.0.0.1/send/1", "keys": keys}
    )
    assert inward.status_code == 422  # a way into the home's network: refused, and audited below
    made = await harness.as_(Role.GUEST, "POST", "/api/push/subscriptions", json={"endpoint": endpoint, "keys": keys})
    assert made.status_code == 201, made.text
    removed = await harness.as_(Role.GUEST, "DELETE", "/api/push/subscriptions", params={"endpoint": endpoint})
    assert removed.status_code == 204
    entries = await harness.running.store.audit(harness.running.hub.home.id)
    refused = [e for e in entries if e.action == "login" and e.result.get("error") == "too_many_requests"]
    assert len(refused) == 1 and refused[0].source == "session:192.0.2.10"
    pushed = sorted((e.action, e.user, e.ok) for e in entries if e.action.startswith("push_"))
    assert pushed == [
        ("push_subscribe", "guest", False),
        ("push_subscribe", "guest", True),
        ("push_unsubscribe", "guest", True),
    ]
