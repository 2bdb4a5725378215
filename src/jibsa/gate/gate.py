"""The one gate: every entrance hands it a `Principal` and what was asked; the gate applies the PIN and
the confirmation, lets the conversation (and through it the hub and the policy) carry it out, and writes
the audit row. No entrance reaches the conversation or the hub's commands except through here."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Protocol, runtime_checkable

from jibsa.answers import said
from jibsa.confirmations import Answer, Held, answer_in
from jibsa.conversation import Conversation, Turn
from jibsa.domain import Command
from jibsa.domain.policy import needs_pin
from jibsa.gate.errors import GateRefused
from jibsa.gate.pin import PinLock, spoken_pin
from jibsa.gate.principal import SPOKEN, Principal, Via, acting_for
from jibsa.hub import Actor, Outcome
from jibsa.nlu.own_room import says_own_room
from jibsa.storage.records import AuditEntry

log = logging.getLogger(__name__)


@runtime_checkable
class AuditLog(Protocol):
    """Where audit rows go (the store's accounts)."""

    async def append_audit(self, entry: AuditEntry) -> None: ...


class _NoAttempts:
    def retry_after(self, key: str) -> int:
        return 0

    def record(self, key: str) -> None:
        return None

    def reset(self, key: str) -> None:
        return None


class Gate:
    """One home's gate. `audit` None: nothing keeps an audit log (a store without one)."""

    def __init__(
        self,
        conversation: Conversation,
        audit: AuditLog | None,
        *,
        pins: PinLock | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.conversation = conversation
        conversation.hub.command_log = self  # timers, rules, skills and MQTT: audited as they reach the hub
        self.pins = pins or PinLock(None, _NoAttempts())
        self._audit = audit
        self._clock = clock
        self._strangers_as_guests: Callable[[], bool] = lambda: True

    @property
    def home_id(self) -> str:
        return self.conversation.hub.home.id

    def configure(
        self,
        *,
        pins: PinLock | None = None,
        audit: AuditLog | None = None,
        strangers_as_guests: Callable[[], bool] | None = None,
    ) -> None:
        """The home's PIN, as the server (or `voice serve`) read it from JIBSA_UNLOCK_PIN or jibsa.yaml; the
        audit log, when the server keeps accounts apart from the home's store; the household's setting
        "낯선 목소리는 손님으로" (read at each spoken request: the owner may change it at any time)."""
        if pins is not None:
            self.pins = pins
        if audit is not None:
            self._audit = audit
        if strangers_as_guests is not None:
            self._strangers_as_guests = strangers_as_guests

    def judged(self, principal: Principal) -> Principal:
        """Who a request is judged as: a spoken one with a voice matched against the household's
        enrolled voices, by the lower of the session's role and the voice's; any other as it is."""
        return principal.narrowed(strangers_as_guests=self._strangers_as_guests())

    # -- conversation ---------------------------------------------------------------------------

    async def say(
        self,
        principal: Principal,
        text: str,
        *,
        room: str | None = None,
        confirm: bool = False,
        pin: str | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> Turn:
        """Understand `text` and carry it out for `principal`, audited as "conversation" with `detail`.

        A request waiting for a second word is carried out by "응" — with the PIN when the home has one
        (`pin`, with `confirm`; or said with the yes through a spoken entrance). Through a spoken entrance,
        unlocking and opening the gas need the PIN said in the same connection, whatever the role. A voice
        heard with it only narrows the role (`judged`)."""
        judged = self.judged(principal)
        voice = judged.voice
        if voice is not None and voice.room is not None and says_own_room(text):
            room = voice.room  # "내 방 불 꺼줘": the room the speaker's enrolled voice names
        detail = {"text": text, "room": room, **(detail or {})}
        if voice is not None:
            detail["voice"] = {**voice.to_dict(), "judged_as": judged.role.value}
        try:
            turn = _told_why(await self._say(judged, text, room=room, confirm=confirm, pin=pin), principal, judged)
        except GateRefused as refused:
            await self.audit(judged, "conversation", detail, ok=False, result={"error": refused.code})
            raise
        ok = turn.refused is None and all(o.ok for o in turn.outcomes)
        await self.audit(judged, "conversation", detail, ok=ok, result=turn.answer())
        return turn

    async def _say(self, principal: Principal, text: str, *, room: str | None, confirm: bool, pin: str | None) -> Turn:
        conversation = self.conversation
        actor = principal.actor()
        waiting = conversation.confirmations.waiting(conversation.who(actor, principal.session))
        if principal.via in SPOKEN:
            return await self._say_spoken(principal, text, room, waiting)
        vouched = False
        if confirm and self.pins.configured:
            self.pins.check(principal.key, pin)
            vouched = True
        elif confirm and principal.via is Via.CLI:
            vouched = True  # the owner at the home's own machine, in a home with no PIN: `--yes` is the word
        if not vouched and self.pins.configured and waiting is not None and answer_in(text) is Answer.YES:
            raise GateRefused("wrong_pin")  # with a PIN set, "응" alone does not open the door
        return await conversation.handle(
            text, room=room, session=principal.session, actor=actor, confirmed=vouched, confirm=confirm
        )

    async def _say_spoken(self, principal: Principal, text: str, room: str | None, waiting: Held | None) -> Turn:
        """A spoken entrance: the PIN comes in words, in the same connection (its session)."""
        conversation = self.conversation
        actor = principal.actor()
        said_pin = spoken_pin(text) if waiting is not None else None
        if said_pin is not None:
            try:
                self.pins.check(principal.key, said_pin)
            except GateRefused as refused:
                return self._refused_turn(text, refused, waiting)
            return await conversation.handle("응", room=room, session=principal.session, actor=actor, confirmed=True)
        if waiting is not None and answer_in(text) is Answer.YES and (self.pins.configured or self._needs_pin(waiting)):
            return self._refused_turn(
                text, GateRefused("wrong_pin" if self.pins.configured else "pin_required"), waiting
            )
        # who speaks: the enrolled voice heard; a satellite's account is no person, a tablet's is its owner
        heard = principal.voice.person if principal.voice is not None else None
        heard = heard or ("" if principal.via is Via.WYOMING else None)
        return await conversation.handle(
            text, room=room, session=principal.session, actor=actor, second_word=self._needs_pin_command, speaker=heard
        )

    def _needs_pin_command(self, command: Command) -> bool:
        home = self.conversation.hub.home
        return any((d := home.device(t)) is not None and needs_pin(d, command) for t in command.targets)

    def _needs_pin(self, held: Held) -> bool:
        return any(self._needs_pin_command(c) for c in held.commands)

    def _refused_turn(self, text: str, refused: GateRefused, waiting: Held | None) -> Turn:
        """A spoken refusal is said, not raised: the satellite has no other way to tell the person."""
        language = waiting.language if waiting is not None else "ko"
        key = {"wrong_pin": "wrong_pin", "pin_required": "no_pin_set"}.get(refused.code, "not_allowed")
        return Turn(text, (), said(key, language), waiting is not None, (), language, refused=refused.code)

    # -- one command ----------------------------------------------------------------------------

    async def command(
        self,
        principal: Principal,
        command: Command,
        *,
        confirmed: bool = False,
        action: str = "command",
        detail: Mapping[str, Any] | None = None,
    ) -> Outcome:
        """Carry out one command for `principal` (the hub applies the policy), audited as `action`."""
        outcome = await self.conversation.hub.execute(
            command, actor=principal.actor(), confirmed=confirmed, session=principal.session
        )
        await self.audit(
            principal, action, {**command.to_dict(), **(detail or {})}, ok=outcome.ok, result=outcome.to_dict()
        )
        return outcome

    def confirmed(self, principal: Principal, command: Command, confirm: bool, pin: str | None) -> bool:
        """Whether a command (to a device, or a scene, or a rule) that needs a second word has it: the PIN
        when the home has one (a wrong one raises `wrong_pin`), else the same command sent again with
        ``confirm: true`` within the confirmation window (the first one is held)."""
        if self.pins.configured:
            if confirm:
                self.pins.check(principal.key, pin)
            return confirm
        confirmations = self.conversation.confirmations
        who = self.conversation.who(principal.actor(), "api")
        if confirm and confirmations.take(who, [command]) is not None:
            return True
        confirmations.hold(who, [command])
        return False

    # -- audit ----------------------------------------------------------------------------------

    async def carried_out(self, actor: Actor, command: Command, outcome: Outcome) -> None:
        """The hub carried out `command` for no entrance (a timer, a rule, a skill, MQTT): its audit row.
        What an entrance asked has its row already (`say`, `command`)."""
        principal = acting_for(actor)
        if principal is not None:
            await self.audit(principal, "command", command.to_dict(), ok=outcome.ok, result=outcome.to_dict())

    async def audit(
        self,
        principal: Principal,
        action: str,
        detail: Mapping[str, Any],
        *,
        ok: bool,
        result: Mapping[str, Any] | None = None,
    ) -> None:
        """Append one row. A failing write is logged and raised: no unrecorded commands."""
        if self._audit is None:
            return
        entry = AuditEntry(
            at=self._clock(),
            home_id=self.home_id,
            user=principal.person,
            role=principal.role.value,
            source=principal.source,
            action=action,
            detail=dict(detail),
            ok=ok,
            result=dict(result or {}),
        )
        try:
            await self._audit.append_audit(entry)
        except Exception:
            log.exception("audit write failed for %s by %s", action, principal.person)
            raise


_PIN_REFUSALS = frozenset({"wrong_pin", "pin_required", "too_many_requests"})


def _told_why(turn: Turn, asked: Principal, judged: Principal) -> Turn:
    """The turn with whose voice it was; refused because the voice narrowed the role, it says so
    ("등록된 목소리가 아니라서 …")."""
    voice = judged.voice
    if voice is None:
        return turn
    turn = replace(turn, voice=voice.to_dict())
    if turn.refused is None or turn.refused in _PIN_REFUSALS or judged.role is asked.role:
        return turn
    if voice.person is None:
        return replace(turn, reply=said("voice_stranger", turn.language))
    return replace(turn, reply=said("voice_person", turn.language, person=voice.person))
