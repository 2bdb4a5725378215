"""A conversation: understand what was said, carry it out on the hub, and say what happened.

This is what `jibsa say`, `jibsa chat` and `POST /api/conversation` share. Commands that need a
second word (unlocking a door) wait in `jibsa.confirmations` until the person confirms ("응") or
sends the same request again marked as a confirmation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from jibsa.answers import describe_outcome, said
from jibsa.confirmations import Answer, Confirmations, answer_in
from jibsa.domain import Command, TargetResult
from jibsa.domain.policy import SAFETY_TYPES, Role, refusal_for_request, refusal_for_role
from jibsa.hub import Actor, Hub, Outcome
from jibsa.nlu import Parser
from jibsa.nlu.parser import Understanding
from jibsa.nlu.phrases import PhraseBook, PhraseMatch
from jibsa.nlu.replies import describe_results, promise
from jibsa.words.replies import reply_text, understood_note, understood_reply
from jibsa.words.results import outcome_with_words, worded


@dataclass(frozen=True)
class Turn:
    """One exchange: what was understood, what was done, and the reply to say.

    `refused` is set when the person may not ask for this at all (a guest's repeating schedule)."""

    text: str
    commands: tuple[Command, ...]
    reply: str
    needs_confirmation: bool
    outcomes: tuple[Outcome, ...] = ()
    language: str = "ko"
    refused: str | None = None
    needs_choice: tuple[str, ...] = ()  # devices the reply asks the person to choose among
    voice: Mapping[str, Any] | None = None  # whose voice a spoken request was in (jibsa.gate), when matched

    @property
    def results(self) -> list[TargetResult]:
        return [r for o in self.outcomes for r in o.results]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "commands": [c.to_dict() for c in self.commands],
            "reply": self.reply,
            "needs_confirmation": self.needs_confirmation,
            "needs_choice": list(self.needs_choice),
            "results": [
                {"target": r.target, "ok": r.ok, **({"error": r.error.value} if r.error else {})} for r in self.results
            ],
            "outcomes": outcome_with_words([o.to_dict() for o in self.outcomes]),
            **({"voice": dict(self.voice)} if self.voice is not None else {}),
        }

    def answer(self) -> dict[str, Any]:
        """The answer of `POST /api/conversation` (its `ConversationResponse`), also what the audit log
        keeps of the turn: no echo of the text, no per-command outcomes."""
        return {
            "commands": [c.to_dict() for c in self.commands],
            "reply": self.reply,
            "needs_confirmation": self.needs_confirmation,
            "needs_choice": list(self.needs_choice),
            "results": [
                {"target": r.target, "ok": r.ok, "error": r.error.value if r.error else None} for r in self.results
            ],
            **({"voice": dict(self.voice)} if self.voice is not None else {}),
        }


class Conversation:
    """Understands and carries out what people say to one home; requests that need a second word
    wait in `confirmations` (shared with the API's device endpoint); skills' phrases (`phrases`) are
    tried before the parser."""

    def __init__(
        self, hub: Hub, parser: Parser, phrases: PhraseBook | None = None, *, confirmations: Confirmations | None = None
    ) -> None:
        self.hub = hub
        self.confirmations = confirmations or Confirmations()
        self._phrases = phrases
        self._parser = parser
        self._parser_home = hub.home

    @property
    def parser(self) -> Parser:
        """The parser for the home as it is now (devices discovered at run time included), with the
        sessions so far. Rebuilt lazily: a burst of discoveries costs one rebuild, at the next sentence."""
        if self._parser_home is not self.hub.home:
            self._parser = self._parser.with_home(self.hub.home)
            self._parser_home = self.hub.home
        return self._parser

    @staticmethod
    def who(actor: Actor | None, session: str | None) -> str:
        """The key a person's held request is kept under: one per person and session."""
        return f"{actor.name if actor else 'local'}|{session or ''}"

    async def handle(
        self,
        text: str,
        *,
        room: str | None = None,
        session: str | None = None,
        actor: Actor | None = None,
        confirmed: bool = False,
        confirm: bool = False,
        second_word: Callable[[Command], bool] | None = None,
        speaker: str | None = None,
    ) -> Turn:
        """Understand `text` and carry it out. Safe on any input: bad text gets a reply, not an error.

        `confirmed`: the caller has already had the second word (a PIN, `say --yes`). `confirm`: this
        is the person sending the request they were asked to confirm again; it confirms only exactly
        that request. A bare yes or no answers what the person has waiting in this session. `second_word`:
        commands that wait for a second word through this entrance beyond the policy's (the gate's).
        `speaker`: who is speaking, as the entrance knows it (a voice it recognised; "" when it knows that it
        does not know, as a satellite); by default the actor, when a person ("내가 집에 오면 …" is about them)."""
        actor = actor or Actor()
        who = self.who(actor, session)
        held = self.confirmations.waiting(who)
        if held is not None:
            answer = answer_in(text)
            if answer is Answer.YES:
                self.confirmations.drop(who)
                promised = held.promised
                return await self._carry_out(
                    text,
                    held.commands,
                    lambda: promised,
                    actor,
                    confirmed=True,
                    session=session,
                    language=held.language,
                )
            if answer is Answer.NO:
                self.confirmations.drop(who)
                return Turn(text, (), said("declined", held.language), False, (), held.language)

        def understand() -> Understanding:
            said_by = (_speaker(actor) if speaker is None else speaker) or None
            return self.parser.parse(text, room=room, session=session, state=self.hub.state, speaker=said_by)

        matched, understanding = self._skill_claim(text, understand)
        if matched is not None:
            command = Command(matched.intent, (), {**matched.params, "language": matched.language})
            return await self._carry_out(
                text, (command,), str, actor, confirmed=False, session=session, language=matched.language
            )
        if understanding is None:
            understanding = understand()
        commands, language = tuple(understanding.commands), understanding.language
        refusal = next((r for c in commands if (r := refusal_for_request(actor.role, c, self.hub.intents))), None)
        if refusal is not None:
            return Turn(text, commands, said("not_allowed", language), False, (), language, refused=refusal)
        asks = second_word is not None and any(second_word(c) for c in commands)
        if (understanding.needs_confirmation or asks) and (refused := self._never_for(actor, commands)):
            return Turn(text, commands, said("not_allowed", language), False, (), language, refused=refused)
        if (understanding.needs_confirmation or asks) and not confirmed:
            if confirm and self.confirmations.take(who, commands) is not None:
                confirmed = True
            else:
                home = self.hub.home
                promised = reply_text(promise(home, commands), language)
                self.confirmations.hold(who, commands, promised, language)
                reply = (
                    understood_reply(understanding)
                    if understanding.needs_confirmation
                    else " ".join(
                        (
                            reply_text(promise(home, commands, needs_confirmation=True), language),
                            said("say_pin", language),
                        )
                    )
                )
                return Turn(text, commands, reply, True, (), language)
        if not commands:
            reply = understood_reply(understanding)
            return Turn(text, (), reply, False, (), language, needs_choice=understanding.needs_choice)
        turn = await self._carry_out(
            text,
            commands,
            lambda: understood_reply(understanding),
            actor,
            confirmed=confirmed,
            session=session,
            language=language,
        )
        note = understood_note(understanding)
        if note and not turn.reply.startswith(note):  # a slip read: say how
            turn = replace(turn, reply=f"{note} {turn.reply}")
        return turn

    def _skill_claim(
        self, text: str, understand: Callable[[], Understanding]
    ) -> tuple[PhraseMatch | None, Understanding | None]:
        """The skill phrase `text` matches, if any, and the parse made to check it (`understand`, reused after):
        a request that acts on a door, a gas valve or a garage door is never a skill's to claim."""
        matched = self._phrases.match(text) if self._phrases is not None else None
        if matched is None:
            return None, None
        understanding = understand()
        return (None if self._acts_on_a_safety_device(understanding.commands) else matched), understanding

    def _acts_on_a_safety_device(self, commands: Sequence[Command]) -> bool:
        home = self.hub.home
        # only a request that acts on one: a question ("전기 제일 많이 먹는 게 뭐야?" reads as one about every
        # device) changes nothing, so a skill may still answer it
        return any(
            (d := home.device(t)) is not None and d.type in SAFETY_TYPES
            for c in commands
            if c.intent != "query_state"
            for t in c.targets
        )

    def _never_for(self, actor: Actor, commands: Sequence[Command]) -> str | None:
        """Why `actor`'s role may never do one of `commands` (a guest's unlock): asking for a second word
        first would promise what no word can give."""
        home = self.hub.home
        for command in commands:
            for target in command.targets:
                device = home.device(target)
                refusal = refusal_for_role(actor.role, device, command) if device is not None else None
                if refusal is not None:
                    return refusal.message
        return None

    async def _carry_out(
        self,
        text: str,
        commands: Sequence[Command],
        promised: Callable[[], str],
        actor: Actor,
        *,
        confirmed: bool,
        session: str | None,
        language: str,
    ) -> Turn:
        """Run `commands` and say what happened; `promised` words the reply said before acting, the
        fallback when the results say nothing of their own."""
        outcomes = tuple(await self.hub.execute_all(commands, actor=actor, confirmed=confirmed, session=session))
        reply = self.reply_for(outcomes, promised, language)
        return Turn(text, tuple(commands), reply, False, outcomes, language)

    def reply_for(self, outcomes: Sequence[Outcome], promised: Callable[[], str], language: str) -> str:
        """Device results in one sentence; each skill's or schedule's answer in its own (or, failing that,
        the promise), in the language the request was made in."""
        device_outcomes = [o for o in outcomes if o.results and o.scheduled is None]
        parts: list[str] = []
        if device_outcomes:
            commands = [o.command for o in device_outcomes]
            results = [worded(r, language) for o in device_outcomes for r in o.results]
            parts.append(reply_text(describe_results(self.hub.home, commands, results), language))
        for outcome in outcomes:
            if outcome in device_outcomes:
                continue
            sentence = describe_outcome(self.hub.home, outcome, language, intents=self.hub.intents)
            parts.append(sentence or promised())
        return " ".join(p for p in dict.fromkeys(parts) if p) or promised()


def _speaker(actor: Actor) -> str | None:
    """The person saying a request, when it is a person known by name: not the nameless local actor, a
    satellite (it does not know who speaks to it) or a skill."""
    if actor.name == Actor().name or actor.role is Role.SATELLITE or actor.source == "skill":
        return None
    return actor.name
