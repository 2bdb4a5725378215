"""A conversation: understand what was said, carry it out on the hub, and say what happened.

This is what `jibsa say`, `jibsa chat` and `POST /api/conversation` share. Commands that need a
second word (unlocking a door) are held per session until the person confirms ("응", "열어줘")
or the same request comes again with `confirmed=True` (the API's PIN or second request).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jibsa.domain import Command, TargetResult
from jibsa.hub import Actor, Hub, Outcome
from jibsa.nlu import Parser
from jibsa.nlu.phrases import PhraseBook
from jibsa.nlu.replies import describe_results
from jibsa.skill_replies import describe_outcome

# Words that confirm or decline a held request, in either language.
CONFIRM_WORDS = frozenset(
    {"응", "어", "네", "예", "그래", "좋아", "열어", "열어줘", "확인", "yes", "yeah", "ok", "okay", "sure", "confirm"}
)
DECLINE_WORDS = frozenset({"아니", "아니요", "아니야", "싫어", "됐어", "취소", "no", "nope", "cancel"})
_PUNCTUATION = re.compile(r"[\s.,!?~…]+")
MAX_HELD = 1000


@dataclass(frozen=True)
class Turn:
    """One exchange: what was understood, what was done, and the reply to say."""

    text: str
    commands: tuple[Command, ...]
    reply: str
    needs_confirmation: bool
    outcomes: tuple[Outcome, ...] = ()
    language: str = "ko"
    understood_reply: str = ""

    @property
    def results(self) -> list[TargetResult]:
        return [r for o in self.outcomes for r in o.results]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "commands": [c.to_dict() for c in self.commands],
            "reply": self.reply,
            "needs_confirmation": self.needs_confirmation,
            "results": [{"target": r.target, "ok": r.ok, **({"error": r.error.value} if r.error else {})}
                        for r in self.results],
            "outcomes": [o.to_dict() for o in self.outcomes],
        }


@dataclass
class _Held:
    commands: tuple[Command, ...]
    room: str | None = None
    language: str = "ko"
    extra: dict[str, Any] = field(default_factory=dict)


class Conversation:
    def __init__(self, hub: Hub, parser: Parser, phrases: PhraseBook | None = None) -> None:
        self.hub = hub
        self._phrases = phrases  # skills' phrases, tried before the parser
        self._parser = parser
        self._parser_home = hub.home
        self._held: OrderedDict[str, _Held] = OrderedDict()

    @property
    def parser(self) -> Parser:
        """The parser for the home as it is now (devices discovered at run time included).
        Rebuilt lazily: a burst of discoveries costs one rebuild, at the next sentence."""
        if self._parser_home is not self.hub.home:
            self._parser = Parser(self.hub.home, self._parser.language)
            self._parser_home = self.hub.home
        return self._parser

    async def handle(
        self,
        text: str,
        *,
        room: str | None = None,
        session: str | None = None,
        actor: Actor | None = None,
        confirmed: bool = False,
    ) -> Turn:
        """Understand `text` and carry it out. Safe on any input: bad text gets a reply, not an error."""
        key = session or (actor.name if actor else "local")
        held = self._held.pop(key, None)
        if held is not None:
            word = _PUNCTUATION.sub("", text.strip().lower())
            if word in CONFIRM_WORDS:
                return await self._carry_out(text, held.commands, "", actor, confirmed=True, session=session,
                                             language=held.language)
            if word in DECLINE_WORDS:
                ko = held.language != "en"
                return Turn(text, (), "알겠어요, 그대로 둘게요." if ko else "OK, I'll leave it.", False)
        matched = self._phrases.match(text) if self._phrases is not None else None
        if matched is not None:
            command = Command(matched.intent, (), {**matched.params, "language": matched.language})
            return await self._carry_out(text, (command,), "", actor, confirmed=False, session=session,
                                         language=matched.language)
        understanding = self.parser.parse(text, room=room, session=session)
        commands = tuple(understanding.commands)
        if understanding.needs_confirmation and not confirmed:
            self._hold(key, _Held(commands, room, understanding.language))
            return Turn(text, commands, understanding.reply, True, (), understanding.language, understanding.reply)
        if not commands:
            return Turn(text, (), understanding.reply, False, (), understanding.language, understanding.reply)
        return await self._carry_out(text, commands, understanding.reply, actor, confirmed=confirmed, session=session,
                                     language=understanding.language)

    def _hold(self, key: str, held: _Held) -> None:
        self._held[key] = held
        while len(self._held) > MAX_HELD:
            self._held.popitem(last=False)

    async def _carry_out(
        self, text: str, commands: Sequence[Command], promised: str, actor: Actor | None, *, confirmed: bool,
        session: str | None, language: str,
    ) -> Turn:
        outcomes = tuple(await self.hub.execute_all(commands, actor=actor, confirmed=confirmed, session=session))
        reply = self.reply_for(outcomes, promised, language)
        return Turn(text, tuple(commands), reply, False, outcomes, language, promised)

    def reply_for(self, outcomes: Sequence[Outcome], promised: str, language: str) -> str:
        """Device results in one sentence; each skill's or schedule's answer in its own, in the
        language the request was made in."""
        device_outcomes = [o for o in outcomes if o.results and o.scheduled is None]
        parts: list[str] = []
        if device_outcomes:
            commands = [o.command for o in device_outcomes]
            results = [r for o in device_outcomes for r in o.results]
            parts.append(describe_results(self.hub.home, commands, results, language))
        for outcome in outcomes:
            if outcome in device_outcomes:
                continue
            said = describe_outcome(self.hub.home, outcome, language, self.hub.timezone, self.hub.clock.now())
            parts.append(said or promised)
        return " ".join(p for p in dict.fromkeys(parts) if p) or promised
