"""A cell: the homes one worker hosts. Each home is today's core — hub, state, rules, timers, conversation
sessions, adapters (the simulator for simulated homes) — as asyncio tasks, all over one shared store.

Homes are light: what never changes is built once per home model and shared by every home made from it
(the parsed home file, the parser's vocabularies, the phrase book, the skills); a home holds only its
own state, sessions, timers and rules. Homes are opened when first asked for (or when their shard is
taken and they have timers or rules), and closed when their shard goes to another worker.

Not in a cell home (yet): energy recording, Web Push, weather sources, MQTT announcements."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jibsa.adapters.matter.wiring import matter_wiring
from jibsa.api.routes_devices import device_body
from jibsa.app import Settings, adapter_factories, build_adapters
from jibsa.conversation import Conversation
from jibsa.domain import Command, Home
from jibsa.domain.commands import CommandFormatError
from jibsa.domain.results import public_state
from jibsa.gate import Gate, GateRefused, Principal, Via
from jibsa.hub import AdapterFactory, Clock, Hub, Skill
from jibsa.nlu import Parser
from jibsa.nlu.phrases import PhraseBook
from jibsa.provider.heap import FrozenHomes
from jibsa.provider.home_rows import HomeRows
from jibsa.provider.homes import HomeSource
from jibsa.provider.oldest_first import OldestFirst
from jibsa.provider.prefetch import PrefetchingStore
from jibsa.provider.wire import Reply, Request
from jibsa.rules.commands import RuleCommands
from jibsa.rules.engine import RuleEngine
from jibsa.rules.triggers import TriggerKinds, installed_kinds
from jibsa.skills import default_skills
from jibsa.skills.energy import energy_manifest, energy_skill
from jibsa.skills.loader import phrase_book
from jibsa.skills.weather import weather_manifest
from jibsa.storage import SqlStore

log = logging.getLogger(__name__)

# The entrances a gateway may name; timers, rules and skills act inside the worker, never over the wire.
_WIRE_VIAS = frozenset({Via.HTTP, Via.WS, Via.VOICE, Via.WYOMING, Via.CLI})

OPEN_AT_ONCE = 16
READ_AHEAD = 256  # homes whose rows are read in one batch when many wait to open (prefetch.py)
EventSink = Callable[[str, Any], None]  # (home id, event) for every event of every home


@dataclass
class _Model:
    """What homes made from one home file share."""

    parser: Parser
    phrases: PhraseBook
    skills: dict[str, Skill]


@dataclass
class CellHome:
    """One running home in a cell. `lock` serialises the requests that change it."""

    hub: Hub
    gate: Gate
    rules: RuleEngine
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    unlisten: Callable[[], None] = lambda: None

    @property
    def id(self) -> str:
        return self.hub.home.id

    async def stop(self) -> None:
        self.unlisten()
        await self.rules.stop()
        await self.hub.stop()


class Cell:
    """Homes of one worker, opened on demand over `store`."""

    def __init__(
        self,
        store: SqlStore,
        source: HomeSource,
        clock: Clock,
        *,
        command_timeout: float = 5.0,
        timezone: str = "Asia/Seoul",
        on_event: EventSink | None = None,
    ) -> None:
        self.store = store
        self._source = source
        self._clock = clock
        self._settings = Settings(command_timeout=command_timeout, timezone=timezone)
        self._on_event = on_event
        self._models: dict[str, _Model] = {}
        self._factories: dict[str, AdapterFactory] = {}
        self._kinds: TriggerKinds = installed_kinds()
        self._homes: dict[str, CellHome] = {}
        self._opening: dict[str, asyncio.Task[CellHome]] = {}
        # Opening a home takes CPU (its devices, state, rules): a few at a time, so that a burst of homes (a
        # shard taken over) leaves the event loop free for the leases and the homes already running.
        self._open_slots = OldestFirst(OPEN_AT_ONCE)  # a takeover's homes: the one asked first opens first
        self._asked_at: dict[str, float] = {}  # home -> when the oldest request waiting for it was made
        self._reading: dict[str, asyncio.Future[None]] = {}  # home -> the batch read ahead for it
        self._heap = FrozenHomes()  # running homes are left out of the cyclic garbage collector (heap.py)

    @property
    def homes(self) -> Mapping[str, CellHome]:
        return self._homes

    def home_ids(self) -> list[str]:
        """Homes running or being opened."""
        return [*self._homes, *(h for h in self._opening if h not in self._homes)]

    async def home(self, home_id: str, *, asked_at: float | None = None) -> CellHome:
        """The running home, opened now if it is not running (`NoSuchHome` if there is none). Homes waiting
        to open take their turns by `asked_at` (when their request was made; default now): the oldest first."""
        running = self._homes.get(home_id)
        if running is not None:
            return running
        opening = self._opening.get(home_id)
        if opening is None or not opening.done():
            asked = time.time() if asked_at is None else asked_at
            self._asked_at[home_id] = min(asked, self._asked_at.get(home_id, asked))
        if opening is None:
            opening = asyncio.ensure_future(self._open(home_id))
            self._opening[home_id] = opening
            opening.add_done_callback(lambda _: self._opening.pop(home_id, None))
        return await asyncio.shield(opening)

    async def close(self, home_id: str) -> None:
        opening = self._opening.get(home_id)
        if opening is not None:
            await asyncio.gather(opening, return_exceptions=True)
        running = self._homes.pop(home_id, None)
        if running is not None:
            async with running.lock:  # a request under way finishes first
                await running.stop()
            self._heap.closed()

    async def close_all(self) -> None:
        await asyncio.gather(*(self.close(h) for h in self.home_ids()))

    async def _open(self, home_id: str) -> CellHome:
        try:
            await self._read_ahead(home_id)
            async with self._open_slots.slot(self._asked_at.get(home_id, time.time())):
                try:
                    return await self._start(home_id)
                finally:
                    if isinstance(self.store, PrefetchingStore):
                        self.store.forget(home_id)
        finally:
            self._asked_at.pop(home_id, None)

    async def _read_ahead(self, home_id: str) -> None:
        """Read the rows of this home and of the others waiting to open, one batch for all (prefetch.py)."""
        if not isinstance(self.store, PrefetchingStore):
            return
        reading = self._reading.get(home_id)
        if reading is None:
            waiting = (h for h in self._opening if h != home_id and h not in self._reading)
            batch = [home_id, *itertools.islice((h for h in waiting if not self.store.prefetched(h)), READ_AHEAD - 1)]
            reading = asyncio.ensure_future(self._read_batch(batch))
            self._reading.update(dict.fromkeys(batch, reading))
        try:
            await asyncio.shield(reading)
        finally:
            self._reading.pop(home_id, None)

    async def _read_batch(self, home_ids: list[str]) -> None:
        assert isinstance(self.store, PrefetchingStore)
        if isinstance(self._source, HomeRows):
            await asyncio.gather(self.store.prefetch(home_ids), self._source.prefetch(home_ids))
        else:
            await self.store.prefetch(home_ids)

    async def _start(self, home_id: str) -> CellHome:
        home, key = await self._source.home(home_id)
        saved = await self.store.load_states(home.id)
        model = self._models.get(key)  # after the last wait before it is made: made once, not once per opener
        vendors = {d.vendor for d in home.devices}
        if missing := vendors - set(self._factories):
            self._factories.update(adapter_factories(missing))
        adapters = build_adapters(home, self._clock, saved, self._settings, self._factories)
        skills = model.skills if model is not None else self._skills(home)
        hub = Hub(
            home,
            self.store,
            self._clock,
            adapters,
            skills=skills,
            command_timeout=self._settings.command_timeout,
            timezone=self._settings.timezone,
        )
        matter = matter_wiring(hub, None, self._clock.now)
        hub.skills.update(matter.skills)
        if model is None:
            phrases = phrase_book(
                [weather_manifest(), energy_manifest(home)], matter.phrases.rules, matter.phrases.slots,
                matter.phrases.patterns,
            )  # fmt: skip
            model = self._models.setdefault(key, _Model(Parser(home, home.language), phrases, skills))
        await hub.start(jobs=False)  # the kept jobs fire once the notifier and the gateway's sink listen
        rules = RuleEngine(hub, self.store, kinds=self._kinds)
        hub.rules = RuleCommands(rules)
        await rules.start()
        parser = model.parser if model.parser.home.id == home.id else model.parser.twin(home)
        running = CellHome(hub, Gate(Conversation(hub, parser, model.phrases), self.store), rules)
        if self._on_event is not None:
            sink = self._on_event
            running.unlisten = hub.bus.listen(lambda event: sink(home_id, event))
        await hub.start_jobs()
        self._homes[home_id] = running
        self._heap.opened()
        return running

    def _skills(self, home: Home) -> dict[str, Skill]:
        return {**default_skills(None, home.city), "get_energy": energy_skill(None)}


async def answer(home: CellHome, request: Request) -> Reply:
    """Carry out one request for its home through the home's gate; failures are replies, not errors."""
    try:
        via = Via(request.asker.via)
    except ValueError:
        via = None
    if via not in _WIRE_VIAS or via is None:
        vias = ", ".join(sorted(v.value for v in _WIRE_VIAS))
        return Reply.refusal("bad_request", "request_choice", name="principal.via", choices=vias)
    session = request.body.get("session")
    principal = Principal(
        request.asker.person,
        request.asker.role,
        via,
        session=f"{request.asker.person}|{session}" if isinstance(session, str) else None,
        key=request.asker.person,
        credential=via.value,
    )
    try:
        return await _carry_out(home, principal, request)
    except GateRefused as refused:  # its detail and when to try again reach the client, as `jibsa serve` gives them
        return Reply.gate_refused(refused.code, refused.detail, refused.retry_after)
    except CommandFormatError as error:  # the contract's own words for what is wrong ("params: must be an object")
        return Reply.refusal("bad_request", "request_command", problem=str(error))


async def _carry_out(home: CellHome, principal: Principal, request: Request) -> Reply:
    body = request.body
    if request.kind == "say":
        text, room = body.get("text"), body.get("room")
        if not isinstance(text, str) or not (room is None or isinstance(room, str)):
            return Reply.refusal("bad_request", "request_say_body")
        turn = await home.gate.say(principal, text, room=room, confirm=body.get("confirm") is True)
        return Reply(True, turn.answer())
    if request.kind == "command":
        command = Command.from_dict(body)
        outcome = await home.gate.command(principal, command, detail={"request": request.id})
        return Reply(True, outcome.to_dict())
    if request.kind == "state":
        return Reply(True, {d: public_state(s) for d, s in home.hub.states.all().items()})
    return Reply(True, [device_body(home.hub, d) for d in home.hub.home.devices])
