"""Attacks on the boundary between homes, through a real gateway, nats-server and PostgreSQL: guessed
and sequential ids, home A's token on home B's routes and events, another home's device ids, wildcards
and dots in ids, huge and odd bodies. Each is refused, and nothing of home B is in any reply or log line."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import websockets
from gateway_support import B_MARKERS, PASSWORD, RunningGateway, running_gateway
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.asyncio.client import connect

from jibsa.provider.shards import command_subject, event_subject
from jibsa.testing.nats_server import NatsServer

pytestmark = pytest.mark.postgres


@pytest.fixture
async def gateway(
    provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[RunningGateway]:
    caplog.set_level(logging.DEBUG)
    async with running_gateway(provider_db, provider_url, nats_server.url) as running:
        yield running
    text = caplog.text
    for marker in B_MARKERS:
        assert marker not in text, f"a log line holds home B's {marker!r}"


def _client(gateway: RunningGateway, home: str | None = "h_a") -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {gateway.tokens[home]}"} if home else {}
    return httpx.AsyncClient(base_url=gateway.base, headers=headers, timeout=10)


def _no_b(response: httpx.Response) -> None:
    for marker in (*B_MARKERS, "h_b"):
        assert marker not in response.text, response.text


async def test_each_token_reaches_its_own_home_and_only_it(gateway: RunningGateway) -> None:
    async with _client(gateway, "h_a") as a, _client(gateway, "h_b") as b:
        state_a, state_b = (await a.get("/api/state")).json(), (await b.get("/api/state")).json()
        me = (await a.get("/api/me")).json()
    assert state_a["devices"] == {"a_lamp": {"power": "on"}}
    assert state_b["devices"] == {"b_safe": {"locked": True}}
    assert me == {"home": "h_a", "name": "엄마", "role": "owner"}
    assert gateway.responder.subjects() == {command_subject("h_a"), command_subject("h_b")}
    assert {request.asker.person for _, request in gateway.responder.heard} == {"엄마"}


async def test_the_client_cannot_name_another_home(gateway: RunningGateway) -> None:
    async with _client(gateway) as a:
        in_body = await a.post("/api/say", json={"text": "불 켜줘", "home": "h_b"})
        in_query = await a.get("/api/state", params={"home": "h_b"})
        in_header = await a.get("/api/state", headers={"X-Home": "h_b", "X-Jibsa-Home": "h_b"})
        in_path = await a.get("/api/homes/h_b/state")
        said = await a.post("/api/say", json={"text": "불 켜줘"})
    assert in_body.status_code == 422
    assert in_query.json()["marker"] == in_header.json()["marker"] == "에이집-거실등"
    assert in_path.status_code == 404
    assert said.json()["body"] == {"text": "불 켜줘", "confirm": False}
    for response in (in_body, in_query, in_header, in_path, said):
        _no_b(response)
    assert gateway.responder.subjects() == {command_subject("h_a")}


async def test_another_homes_device_ids_go_to_the_callers_home_which_does_not_know_them(
    gateway: RunningGateway,
) -> None:
    async with _client(gateway) as a:
        command = await a.post("/api/command", json={"intent": "unlock", "targets": ["b_safe"]})
        mixed = await a.post("/api/command", json={"intent": "turn_off", "targets": ["a_lamp", "b_safe"]})
        own = await a.post("/api/command", json={"intent": "turn_off", "targets": ["a_lamp"]})
    assert command.status_code == mixed.status_code == 404
    assert command.json()["code"] == mixed.json()["code"] == "unknown_device"
    assert own.status_code == 200
    assert [r.home for _, r in gateway.responder.heard] == ["h_a"] * 3
    assert gateway.responder.subjects() == {command_subject("h_a")}  # never B's worker
    _no_b(command)
    _no_b(mixed)


_GUESSED_TOKENS = ["jibsa_", "jibsa_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "h_b", "1", "x" * 300]


async def test_a_guessed_token_opens_nothing(gateway: RunningGateway) -> None:
    for token in _GUESSED_TOKENS:
        async with httpx.AsyncClient(base_url=gateway.base, headers={"Authorization": f"Bearer {token}"}) as guess:
            for response in (await guess.get("/api/state"), await guess.post("/api/say", json={"text": "문 열어"})):
                assert response.status_code == 401, token
                assert response.json()["message"] == "로그인이 필요해요."
    async with _client(gateway, None) as nobody:
        assert (await nobody.get("/api/state")).status_code == 401
    assert gateway.responder.heard == []


async def test_logins_name_their_home_and_a_guess_at_another_is_refused_and_throttled(gateway: RunningGateway) -> None:
    async with _client(gateway, None) as anyone:
        mine = await anyone.post("/api/login", json={"home": "h_a", "name": "엄마", "password": PASSWORD})
        assert mine.status_code == 200 and mine.json()["home"] == "h_a"
        session = {"Authorization": f"Bearer {mine.json()['token']}"}
        assert (await anyone.get("/api/state", headers=session)).json()["marker"] == "에이집-거실등"
        for home in ("*", ">", "h_a.>", "h_a.*", "h_b.cmd", "jibsa.1.h_b", "", "h" * 65):
            odd = await anyone.post("/api/login", json={"home": home, "name": "엄마", "password": PASSWORD})
            assert odd.status_code == 422, home
        # Sequential guesses at other homes with home A's password.
        statuses = [
            (await anyone.post("/api/login", json={"home": f"h_{c}", "name": "엄마", "password": "guess"})).status_code
            for c in "bcdefg"
        ]
        assert statuses[:5] == [401] * 5 and statuses[5] == 429  # five failures from one address, then wait
        limited = await anyone.post("/api/login", json={"home": "h_a", "name": "엄마", "password": PASSWORD})
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
        assert (await anyone.post("/api/logout", headers=session)).status_code == 200
        assert (await anyone.get("/api/state", headers=session)).status_code == 401
    assert gateway.responder.subjects() == {command_subject("h_a")}


_ODD_BODIES = [
    (b"x" * (1024 * 1024), "application/json", 413),
    (json.dumps({"text": "가" * 9000}).encode(), "application/json", 413),
    (json.dumps({"text": "가" * 501}).encode(), "application/json", 422),
    (b"{not json", "application/json", 422),
    (b"[1, 2, 3]", "application/json", 422),
    (b"\xff\xfe\x00", "application/json", 422),
    (b'{"text": null}', "application/json", 422),
    (b'{"text": "\\u0000"}', "text/plain", 422),
    (b"[" * 5000 + b"]" * 5000, "application/json", 422),
]


async def test_huge_and_odd_bodies_are_refused_before_any_worker(gateway: RunningGateway) -> None:
    async with _client(gateway) as a:
        for body, content_type, status in _ODD_BODIES:
            said = await a.post("/api/say", content=body, headers={"Content-Type": content_type})
            commanded = await a.post("/api/command", content=body, headers={"Content-Type": content_type})
            assert said.status_code == commanded.status_code == status, (body[:40], said.text, commanded.text)
            assert said.json()["code"] in ("payload_too_large", "invalid_request")
    assert gateway.responder.heard == []


async def test_a_home_whose_worker_does_not_answer_is_told_plainly_in_korean(gateway: RunningGateway) -> None:
    async with _client(gateway, "h_c") as c:
        response = await c.post("/api/say", json={"text": "불 켜줘"})
    assert response.status_code == 504
    assert response.json()["code"] == "home_not_answering"
    assert response.json()["message"] == "지금 집과 연결되지 않아요. 잠시 후에 다시 해 주세요."
    assert gateway.responder.subjects() == {command_subject("h_c")}


async def _events(url: str, into: list[str], ready: asyncio.Event, got: asyncio.Event, **options: object) -> None:
    async with connect(url, **options) as socket:  # type: ignore[arg-type]
        ready.set()
        async for message in socket:
            into.append(str(message))
            got.set()


async def test_the_websocket_relays_the_tokens_home_only(gateway: RunningGateway) -> None:
    ws = gateway.base.replace("http://", "ws://") + "/api/events"
    got_a: list[str] = []
    got_b: list[str] = []
    ready_a, ready_b, got_one_a, got_one_b = asyncio.Event(), asyncio.Event(), asyncio.Event(), asyncio.Event()
    # Home A's token, asking for home B in every way a client could.
    socket_a = asyncio.create_task(
        _events(f"{ws}?token={gateway.tokens['h_a']}&home=h_b&subject=jibsa.*.h_b.evt", got_a, ready_a, got_one_a)
    )
    socket_b = asyncio.create_task(
        _events(ws, got_b, ready_b, got_one_b, additional_headers={"Authorization": f"Bearer {gateway.tokens['h_b']}"})
    )
    await asyncio.wait_for(asyncio.gather(ready_a.wait(), ready_b.wait()), 10)
    await asyncio.sleep(0.2)  # the gateway subscribes right after accepting
    await gateway.nats.publish(event_subject("h_b"), _published({"device": "b_safe", "locked": False}))
    await gateway.nats.publish(event_subject("h_a"), _published({"device": "a_lamp", "power": "off"}))
    await gateway.nats.flush()
    await asyncio.wait_for(asyncio.gather(got_one_a.wait(), got_one_b.wait()), 10)
    await asyncio.sleep(0.3)  # anything else that was going to arrive has
    socket_a.cancel()
    socket_b.cancel()
    assert [json.loads(m)["device"] for m in got_a] == ["a_lamp"]
    assert [json.loads(m)["device"] for m in got_b] == ["b_safe"]


def _published(event: dict[str, object], person: str | None = None, owners: bool = False) -> bytes:
    """An event as a worker publishes it, with who may see it."""
    return json.dumps({"audience": {"person": person, "owners": owners}, "event": event}).encode()


async def _member_token(gateway: RunningGateway, name: str) -> str:
    async with _client(gateway) as owner, _client(gateway, None) as anyone:
        code = (await owner.post("/api/invites", json={"role": "member"})).json()["code"]
        joined = await anyone.post("/api/invites/accept", json={"code": code, "name": name, "password": PASSWORD})
    return str(joined.json()["token"])


async def test_each_listener_of_a_home_gets_only_the_events_meant_for_them(gateway: RunningGateway) -> None:
    ws = gateway.base.replace("http://", "ws://") + "/api/events"
    listeners = {"owner_a": gateway.tokens["h_a"], "member_a": await _member_token(gateway, "딸"),
                 "owner_b": gateway.tokens["h_b"]}  # fmt: skip
    got: dict[str, list[str]] = {name: [] for name in listeners}
    ready = {name: asyncio.Event() for name in listeners}
    ended = {name: asyncio.Event() for name in listeners}

    async def listen(name: str) -> None:
        async with connect(f"{ws}?token={listeners[name]}") as socket:
            ready[name].set()
            async for message in socket:
                got[name].append(json.loads(message)["type"])
                if got[name][-1] == "end":
                    ended[name].set()

    tasks = [asyncio.create_task(listen(name)) for name in listeners]
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in ready.values())), 10)
    await asyncio.sleep(0.2)  # the gateway subscribes right after accepting
    a, b = event_subject("h_a"), event_subject("h_b")
    for subject, data in [
        (a, _published({"type": "state_changed"})),
        (a, _published({"type": "conversation", "said": "엄마가 한 말"}, person="엄마", owners=True)),
        (a, _published({"type": "notification", "for": "딸"}, person="딸")),
        (a, json.dumps({"type": "no_audience"}).encode()),  # not a worker's document: never sent
        (a, b"{not json"),
        (b, _published({"type": "b_only"})),
        (a, _published({"type": "end"})),
        (b, _published({"type": "end"})),
    ]:
        await gateway.nats.publish(subject, data)
    await gateway.nats.flush()
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in ended.values())), 10)
    for task in tasks:
        task.cancel()
    assert got == {
        "owner_a": ["state_changed", "conversation", "end"],
        "member_a": ["state_changed", "notification", "end"],
        "owner_b": ["b_only", "end"],
    }


async def test_a_websocket_without_a_real_token_is_closed(gateway: RunningGateway) -> None:
    for query in ("", "?token=", "?token=jibsa_guess", "?home=h_b"):
        url = gateway.base.replace("http://", "ws://") + "/api/events" + query
        with pytest.raises(websockets.exceptions.InvalidStatus):  # closed before the handshake completes
            async with connect(url) as socket:
                await socket.recv()


async def test_an_owner_invites_a_member_into_their_home_only(gateway: RunningGateway) -> None:
    async with _client(gateway) as a, _client(gateway, None) as anyone:
        invited = await a.post("/api/invites", json={"role": "member"})
        code = invited.json()["code"]
        joined = await anyone.post(
            "/api/invites/accept", json={"code": code, "name": "딸", "password": "딸의 긴 비밀번호"}
        )
        again = await anyone.post(
            "/api/invites/accept", json={"code": code, "name": "아들", "password": "아들의 긴 비밀번호"}
        )
        guessed = await anyone.post(
            "/api/invites/accept", json={"code": code[:-2] + "AA", "name": "해커", "password": "해커의 긴 비밀번호"}
        )
        member = {"Authorization": f"Bearer {joined.json()['token']}"}
        as_member = await anyone.get("/api/me", headers=member)
        member_invites = await anyone.post("/api/invites", json={"role": "guest"}, headers=member)
        owner_invite = await a.post("/api/invites", json={"role": "owner"})
    assert joined.json()["home"] == "h_a" and as_member.json() == {"home": "h_a", "name": "딸", "role": "member"}
    assert again.status_code == 404 and again.json()["code"] == "bad_invite"
    assert guessed.status_code == 404
    assert member_invites.status_code == 403 and owner_invite.status_code == 422
    assert [u.name for u in await gateway.store.list_users("h_b")] == ["엄마"]


async def test_health_and_metrics(gateway: RunningGateway) -> None:
    async with _client(gateway) as a:
        await a.get("/api/state")
        health = await a.get("/healthz")
        metrics = await a.get("/metrics")
    assert health.json() == {"ok": True, "nats": True, "database": True}
    assert 'jibsa_gateway_requests_total{kind="state",outcome="ok"} 1.0' in metrics.text
    assert "jibsa_gateway_request_seconds_bucket" in metrics.text


async def _jibsa(*args: str) -> tuple[int, str, str]:
    """The `jibsa` command in a process of its own (the gateway runs in this test's event loop)."""
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("jibsa")), *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_jibsa_say_talks_to_the_chosen_home_through_the_gateway(gateway: RunningGateway, tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.tsv"
    tokens.write_text("".join(f"{home}\t{token}\n" for home, token in gateway.tokens.items()))
    base = ["say", "--gateway", gateway.base]
    code, out, _ = await _jibsa(*base, "--home-id", "h_b", "--tokens", str(tokens), "거실 불 켜줘")
    assert (code, out.strip()) == (0, "알겠어요 (h_b)")
    code, _, err = await _jibsa(*base, "--home-id", "h_b", "--token", gateway.tokens["h_a"], "금고 열어")
    assert code == 1 and err.strip() == "이 토큰은 h_a 집의 토큰이라 h_b 집에는 쓸 수 없어요."
    code, _, err = await _jibsa(*base, "--home-id", "h_c", "--tokens", str(tokens), "불 켜줘")
    assert code == 1 and err.strip() == "지금 집과 연결되지 않아요. 잠시 후에 다시 해 주세요."
    code, _, err = await _jibsa(*base, "--home-id", "h_z", "--tokens", str(tokens), "불 켜줘")
    assert code == 1 and "h_z 집의 토큰이 없어요" in err
    assert [r.home for _, r in gateway.responder.heard] == ["h_b", "h_c"]  # A's token said nothing to B


async def test_behind_a_trusted_load_balancer_guesses_are_limited_per_client_not_for_everyone(
    provider_db: AsyncEngine, provider_url: str, nats_server: NatsServer
) -> None:
    async with (
        running_gateway(provider_db, provider_url, nats_server.url, trusted_proxies="127.0.0.1") as gateway,
        _client(gateway, None) as anyone,
    ):

        async def login(client_ip: str, password: str) -> int:
            body = {"home": "h_a", "name": "엄마", "password": password}
            response = await anyone.post("/api/login", json=body, headers={"X-Forwarded-For": client_ip})
            return response.status_code

        guesses = [await login("203.0.113.9", "guess") for _ in range(6)]
        assert guesses[-1] == 429
        assert await login("198.51.100.7", PASSWORD) == 200  # another household behind the same balancer
