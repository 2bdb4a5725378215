"""Load on a provider's homes over NATS, and a check of what landed: what the failover test and
bench/provider_bench.py drive.

Each command sets one light's brightness in one home to a value that home has not had in this run, and
a home has one command in flight at a time; a command is retried under the same request id until it is
answered (or `give_up_s` passes). Afterwards the store says what happened: an acknowledged value missing
from the light's history is lost; a value in the history twice, or a request with two audit rows, was
applied twice."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from nats.aio.client import Client as NATS
from sqlalchemy.ext.asyncio import AsyncEngine

from jibsa.domain import Role
from jibsa.provider.inbox import Inboxes
from jibsa.provider.outages import UNAVAILABLE
from jibsa.provider.shards import command_subject
from jibsa.provider.wire import REPLY_TO, Asker, Reply, Request, stream_once

LIGHT = "study_light"  # a dimmable light of the sample home
_ASKER = Asker("load", Role.OWNER, "http")


@dataclass
class Sent:
    home: str
    request_id: str
    value: int
    first_sent: float
    answered: float | None = None
    ok: bool = False
    code: str = ""
    confirmed: float | None = None  # when the device's own state was seen to show `value`


@dataclass
class Load:
    """What was sent, per home in order."""

    sent: dict[str, list[Sent]] = field(default_factory=dict)
    start_values: dict[str, int] = field(default_factory=dict)

    @property
    def all(self) -> list[Sent]:
        return [s for per_home in self.sent.values() for s in per_home]


_INBOXES: weakref.WeakKeyDictionary[NATS, Inboxes] = weakref.WeakKeyDictionary()


async def ask(nc: NATS, request: Request, *, try_s: float = 0.5, give_up_s: float = 30.0) -> Reply | None:
    """The reply to `request`, sent again (same id) until one comes that is not "try again shortly", waiting
    `try_s` the first time and twice as long each time after (up to 1 s); None after `give_up_s`. Every copy
    names one inbox (as the reply subject and in `Jibsa-Reply-To`): the stream's copy, replayed by the shard's
    next owner when its worker died, is answered there, as a gateway's request is."""
    inboxes = _INBOXES.get(nc) or _INBOXES.setdefault(nc, Inboxes(nc))
    subject, data = command_subject(request.home), request.to_bytes()
    deadline = time.monotonic() + give_up_s
    while time.monotonic() < deadline:
        async with inboxes.waiting(request.home, request.id) as waiting:
            headers = {**stream_once(request.home, request.id), REPLY_TO: waiting.inbox}
            wait_s = try_s
            while (left_s := deadline - time.monotonic()) > 0:
                await nc.publish(subject, data, reply=waiting.inbox, headers=headers)
                try:
                    message = await waiting.reply(min(wait_s, left_s))
                    break
                except TimeoutError:
                    wait_s = min(wait_s * 2, 1.0)  # a worker slow to answer is not sent ever more copies
            else:
                return None
        reply = Reply.from_bytes(message.data)
        if reply.code == UNAVAILABLE:  # "try again shortly": the database is away, or the shard is moving
            await asyncio.sleep(0.2)
            continue
        return reply
    return None


async def read_start(nc: NATS, homes: Sequence[str], load: Load, concurrency: int = 200) -> None:
    """Every home's light as it is (which opens every home in its worker)."""
    gate = asyncio.Semaphore(concurrency)

    async def one(home: str) -> None:
        async with gate:
            reply = await ask(nc, Request(uuid.uuid4().hex, home, _ASKER, "state"), give_up_s=120.0)
        if reply is None or not reply.ok:
            raise RuntimeError(f"home {home} did not answer: {reply}")
        load.start_values[home] = int(reply.result[LIGHT].get("brightness") or 0)
        load.sent.setdefault(home, [])

    await asyncio.gather(*(one(h) for h in homes))


async def drive(
    nc: NATS, load: Load, seconds: float, rate: float, *, try_s: float = 0.5, give_up_s: float = 30.0, seed: int = 7
) -> None:
    """`rate` commands a second for `seconds`, each to a random home with none in flight."""
    rng = random.Random(seed)
    homes = list(load.start_values)
    busy: set[str] = set()
    tasks: set[asyncio.Task[None]] = set()
    end = time.monotonic() + seconds
    interval = 1.0 / rate
    next_at = time.monotonic()
    while (now := time.monotonic()) < end:
        if now < next_at:
            await asyncio.sleep(next_at - now)
        next_at += interval
        free = [h for h in rng.sample(homes, min(len(homes), 8)) if h not in busy]
        if not free:
            continue
        home = free[0]
        value = _next_value(load, home)
        if value is None:
            continue
        busy.add(home)
        task = asyncio.ensure_future(_command(nc, load, home, value, try_s=try_s, give_up_s=give_up_s, busy=busy))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)


def _next_value(load: Load, home: str) -> int | None:
    used = {s.value for s in load.sent[home]} | {load.start_values[home]}
    return next((v for v in range(1, 101) if v not in used), None)


async def _command(
    nc: NATS, load: Load, home: str, value: int, *, try_s: float, give_up_s: float, busy: set[str]
) -> None:
    sent = Sent(home, uuid.uuid4().hex, value, time.monotonic())
    load.sent[home].append(sent)
    body = {"intent": "set", "targets": [LIGHT], "params": {"property": "brightness", "value": value}}
    try:
        reply = await ask(nc, Request(sent.request_id, home, _ASKER, "command", body), try_s=try_s, give_up_s=give_up_s)
    finally:
        busy.discard(home)
    if reply is not None:
        sent.answered = time.monotonic()
        sent.ok = reply.ok and bool((reply.result or {}).get("ok"))
        sent.code = reply.code


@dataclass(frozen=True)
class Landed:
    lost: int  # acknowledged, yet not in the light's history
    applied_twice: int  # a value twice in the history, or a request with two audit rows
    unanswered: int  # never answered (in flight at the crash and given up, or told "interrupted")


async def check(engine: AsyncEngine, load: Load) -> Landed:
    homes = list(load.sent)
    async with engine.connect() as connection:
        rows = await connection.execute(
            sa.text(
                "SELECT home_id, new->>'brightness' FROM state_history WHERE home_id = ANY(:homes) "
                "AND device_id = :light AND (old->>'brightness') IS DISTINCT FROM (new->>'brightness') ORDER BY id"
            ),
            {"homes": homes, "light": LIGHT},
        )
        history: dict[str, list[int]] = {}
        for home_id, value in rows:
            if value is not None:
                history.setdefault(home_id, []).append(int(float(value)))
        doubled = await connection.scalar(
            sa.text(
                "SELECT count(*) FROM (SELECT detail->>'request' FROM audit_log WHERE home_id = ANY(:homes) "
                "AND action = 'command' AND detail->>'request' IS NOT NULL GROUP BY home_id, detail->>'request' "
                "HAVING count(*) > 1) AS twice"
            ),
            {"homes": homes},
        )
    lost = twice = unanswered = 0
    for home, per_home in load.sent.items():
        seen = history.get(home, [])
        sent_values = {s.value for s in per_home}
        lost += sum(1 for s in per_home if s.ok and s.value not in seen)
        twice += sum(seen.count(v) - 1 for v in set(seen) if v in sent_values and seen.count(v) > 1)
        unanswered += sum(1 for s in per_home if not s.ok)
    return Landed(lost, twice + int(doubled or 0), unanswered)


def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


__all__ = ["LIGHT", "Landed", "Load", "Sent", "ask", "check", "drive", "percentile", "read_start"]
