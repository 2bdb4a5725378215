"""Web Push against the stand-in push service: VAPID-signed, encrypted messages that the stand-in
(as the browser would) verifies and decrypts; each person gets their own; gone endpoints are dropped."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tests_rules_support import Api, add_rule, engine_of

from jibsa.app import RunningHome, Settings, open_home
from jibsa.domain import Command, Home
from jibsa.hub import ManualClock
from jibsa.hub.notification_store import as_written
from jibsa.testing.push_service import PushServiceStandIn
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
        "집사", "거실 조명이 켜졌어요.", "The 거실 조명 turned on.")
    await engine_of(running).notifier.notify((), as_written("모두에게", "To everyone"))
    assert [m["body"] for m in await push_service.wait_for(kid["endpoint"], 1)] == ["모두에게"]
    assert [m["body"] for m in await push_service.wait_for(mom["endpoint"], 2)][1] == "모두에게"
    assert push_service.refused == []


async def test_a_gone_subscription_is_forgotten(api: Api, running: RunningHome,
                                                push_service: PushServiceStandIn) -> None:
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
