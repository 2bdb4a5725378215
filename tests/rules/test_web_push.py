"""Web Push against the stand-in push service: VAPID-signed, encrypted messages that the stand-in
(as the browser would) verifies and decrypts; each person gets their own; gone endpoints are dropped."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from tests_rules_support import Api, add_rule, engine_of

from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Command, Home
from jibsa.hub import ManualClock
from jibsa.hub.notification_store import as_written
from jibsa.push_addresses import EndpointRefused, check_endpoint, guarded_session, networks
from jibsa.testing.processes import free_port
from jibsa.testing.push_service import PushServiceStandIn
from jibsa.testing.standin import Fault
from jibsa.web_push import vapid_keys

LIGHT_ON = {"kind": "state", "device": "living_light", "property": "power", "to": True}


@pytest.fixture
async def push_service() -> AsyncIterator[PushServiceStandIn]:
    service = PushServiceStandIn()
    await service.start()
    yield service
    await service.close()


async def test_each_person_gets_their_own_notifications_on_their_phone(
    api: Api, running: RunningHome, push_service: PushServiceStandIn
) -> None:
    mom, kid = push_service.subscribe(), push_service.subscribe()
    assert (await api.call("엄마", "POST", "/api/push/subscriptions", json=mom)).status_code == 201
    assert (await api.call("아이", "POST", "/api/push/subscriptions", json=kid)).status_code == 201
    await add_rule(running, {"name": "엄마에게", "when": LIGHT_ON, "do": [{"kind": "notify", "to": ["엄마"]}]})
    await running.hub.execute(Command("turn_on", ("living_light",)))
    [message] = await push_service.wait_for(mom["endpoint"], 1)
    assert (message["title"], message["body"], message["body_en"]) == (
        "집사",
        "거실 조명이 켜졌어요.",
        "The 거실 조명 turned on.",
    )
    await engine_of(running).notifier.notify((), as_written("모두에게", "To everyone"))
    assert [m["body"] for m in await push_service.wait_for(kid["endpoint"], 1)] == ["모두에게"]
    assert [m["body"] for m in await push_service.wait_for(mom["endpoint"], 2)][1] == "모두에게"
    assert push_service.refused == []


async def test_a_gone_subscription_is_forgotten(
    api: Api, running: RunningHome, push_service: PushServiceStandIn
) -> None:
    phone = push_service.subscribe()
    await api.call("엄마", "POST", "/api/push/subscriptions", json=phone)
    push_service.cancel(phone["endpoint"])
    notification = (await engine_of(running).notifier.notify(("엄마",), as_written("안녕", "Hi")))[0]
    assert running.push is not None
    assert await running.push.deliver(notification) == 0
    assert await engine_of(running).store.push_subscriptions(running.hub.home.id, "엄마") == []


async def test_bad_subscriptions_are_refused(api: Api) -> None:
    bad = await api.call("엄마", "POST", "/api/push/subscriptions", json={"endpoint": "javascript:x", "keys": {}})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"


async def test_the_vapid_key_is_made_once_and_kept(tmp_path: Path, home: Home) -> None:
    async with await open_home(Settings(data_dir=tmp_path), clock=ManualClock(), home=home) as first:
        assert first.push is not None
        key = first.push.vapid.public_key.public_numbers()
    assert (tmp_path / "vapid_private.pem").stat().st_mode & 0o077 == 0  # the owner's alone
    async with await open_home(Settings(data_dir=tmp_path), clock=ManualClock(), home=home) as second:
        assert second.push is not None
        assert second.push.vapid.public_key.public_numbers() == key


def test_two_processes_making_the_key_at_once_end_with_the_first_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several jibsa processes may share a data directory; one looked before another wrote the key."""
    first = vapid_keys(tmp_path).public_key.public_numbers()
    monkeypatch.setattr(Path, "exists", lambda self: False)  # this process looked before the file was there
    assert vapid_keys(tmp_path).public_key.public_numbers() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vapid_private.pem"]  # no half-made file left


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.0.0.2:5432/x",
        "https://127.0.0.2/x",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.1/push",
        "https://[::1]/push",
        "https://0.0.0.0/push",
        "http://8.8.8.8/push",  # public, but not https
    ],
)
async def test_push_endpoints_inside_the_network_are_refused(api: Api, endpoint: str) -> None:
    """Issue 20, item 7: 127.0.0.1:5432, 169.254.169.254 and 10.0.0.1 were accepted; a guest's timer made
    the server POST to a loopback URL of the guest's choosing."""
    keys = {"p256dh": "x", "auth": "y"}
    refused = await api.call("손님", "POST", "/api/push/subscriptions", json={"endpoint": endpoint, "keys": keys})
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_request", refused.text
    assert "endpoint" in refused.json()["detail"]


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://\ud87f\udea2\u00c1\u009f6;\u0012",  # schemathesis' (issue 20 re-measured): a 500
        "https://" + "a" * 70 + ".com/push",  # a label longer than DNS allows
        "https://a..b/push",  # an empty label
        "https://[::1/push",  # an unclosed IPv6 address
    ],
)
async def test_an_endpoint_that_is_no_host_name_is_refused_not_a_server_error(api: Api, endpoint: str) -> None:
    body = json.dumps({"endpoint": endpoint, "keys": {"p256dh": "x", "auth": "y"}})  # lone surrogates escaped
    refused = await api.client.post(
        "/api/push/subscriptions",
        content=body,
        headers={"Authorization": f"Bearer {api.tokens['엄마']}", "Content-Type": "application/json"},
    )
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_request", refused.text
    assert "endpoint" in refused.json()["detail"]


async def test_a_name_for_an_address_inside_the_network_is_refused() -> None:
    with pytest.raises(EndpointRefused, match=r"localhost is 127\.0\.0\.1, not a public address"):
        await check_endpoint("https://localhost/push")


async def test_a_redirect_into_the_network_is_refused_too() -> None:
    """The check runs again on every request the server sends: a push service that redirects to an
    address inside the network reaches nothing there."""
    hits: list[str] = []

    async def inside(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(status=201)

    inner = web.Application()
    inner.router.add_post("/secret", inside)
    inner_runner = web.AppRunner(inner)
    await inner_runner.setup()
    inner_port = free_port()
    await web.TCPSite(inner_runner, "127.0.0.2", inner_port).start()

    async def redirect(_: web.Request) -> web.Response:
        return web.Response(status=307, headers={"Location": f"http://127.0.0.2:{inner_port}/secret"})

    outer = web.Application()
    outer.router.add_post("/push", redirect)
    outer_runner = web.AppRunner(outer)
    await outer_runner.setup()
    outer_port = free_port()
    await web.TCPSite(outer_runner, "127.0.0.1", outer_port).start()
    try:
        async with guarded_session(networks(["127.0.0.1/32"])) as session:
            with pytest.raises(aiohttp.ClientConnectionError, match="push endpoint refused"):
                await session.post(f"http://127.0.0.1:{outer_port}/push", data=b"x")
    finally:
        await outer_runner.cleanup()
        await inner_runner.cleanup()
    assert hits == []


async def test_a_person_has_at_most_ten_subscriptions_and_keeps_their_own(
    api: Api, running: RunningHome, push_service: PushServiceStandIn
) -> None:
    """Issue 20, item 7: 500 endpoints meant 502 POSTs per notification; a guest could delete or take over
    another person's subscription."""
    for _ in range(10):
        assert (
            await api.call("손님", "POST", "/api/push/subscriptions", json=push_service.subscribe())
        ).status_code == 201
    eleventh = await api.call("손님", "POST", "/api/push/subscriptions", json=push_service.subscribe())
    assert eleventh.status_code == 429 and eleventh.json()["detail"]["limit"] == 10
    kids = push_service.subscribe()
    assert (await api.call("아이", "POST", "/api/push/subscriptions", json=kids)).status_code == 201
    taken = await api.call("손님", "POST", "/api/push/subscriptions", json=kids)
    assert taken.status_code == 403
    gone = await api.call("손님", "DELETE", "/api/push/subscriptions", params={"endpoint": kids["endpoint"]})
    assert gone.status_code == 404
    store = engine_of(running).store
    assert [s.endpoint for s in await store.push_subscriptions(running.hub.home.id, "아이")] == [kids["endpoint"]]
    removed = await api.call("엄마", "DELETE", "/api/push/subscriptions", params={"endpoint": kids["endpoint"]})
    assert removed.status_code == 204
    assert await store.push_subscriptions(running.hub.home.id, "아이") == []


async def test_a_hanging_endpoint_delays_nobody_else(
    api: Api, running: RunningHome, push_service: PushServiceStandIn
) -> None:
    """Issue 20, item 7: delivery was one after another, so a hanging endpoint held everyone's for 10 s."""
    hanging, phone = push_service.subscribe(), push_service.subscribe()
    for subscription in (hanging, phone):
        assert (await api.call("엄마", "POST", "/api/push/subscriptions", json=subscription)).status_code == 201
    push_service.faults.fail_next(Fault.HANG, path_contains=hanging["endpoint"].rsplit("/", 1)[-1])
    assert running.push is not None
    notification = await engine_of(running).store.add_notification(
        running.hub.home.id, "엄마", as_written("안녕", "Hi"), at=0.0, rule_id=""
    )
    delivery = asyncio.ensure_future(running.push.deliver(notification))
    try:
        [message] = await push_service.wait_for(phone["endpoint"], 1)  # while the other still hangs
        assert message["body"] == "안녕" and not delivery.done()
    finally:
        push_service.faults.release()
    assert await delivery in (1, 2)
