"""Who is asking, as the gate sees every request: the person (or satellite), their role, the session
their conversation keeps, the entrance it came through and the client's address."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from jibsa.domain import Role
from jibsa.domain.policy import spoken_role
from jibsa.hub import Actor


class Via(StrEnum):
    """The entrances. Each one builds a `Principal` and asks the gate; none decides on its own."""

    HTTP = "http"
    WS = "ws"
    VOICE = "voice"
    WYOMING = "wyoming"
    CLI = "cli"
    TIMER = "timer"
    RULE = "rule"
    SKILL = "skill"
    MQTT = "mqtt"  # Home Assistant commanding jibsa's devices over MQTT


# Entrances where a person cannot be asked for a PIN out of band: the PIN is said in the same connection.
SPOKEN = frozenset({Via.VOICE, Via.WYOMING})


@dataclass(frozen=True, slots=True)
class HeardVoice:
    """Whose voice a spoken request was in: an enrolled person (with their role now, and the room they
    call theirs) or nobody enrolled (`person` None), and the cosine similarity to the closest voiceprint."""

    person: str | None
    score: float
    role: Role | None = None
    room: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"person": self.person, "score": round(self.score, 3)}


@dataclass(frozen=True, slots=True)
class Principal:
    """One asker. `key` names them for the PIN's attempt limit (a user id, a satellite's name);
    `session` is the conversation session, already scoped to this person (or this connection)."""

    person: str
    role: Role
    via: Via
    address: str = ""
    session: str | None = None
    key: str = ""
    credential: str = ""  # how they proved it over HTTP: "token" or "session"
    voice: HeardVoice | None = None  # a spoken request's voice, matched against the household's enrolled ones

    @property
    def source(self) -> str:
        """How the audit log and the hub's `Actor` name where the request came from."""
        kind = self.credential or self.via.value
        return f"{kind}:{self.address}" if self.address else kind

    def actor(self) -> Actor:
        voice = None if self.voice is None else self.voice.person or ""
        return Actor(self.person, self.role, self.source, voice)

    def narrowed(self, *, strangers_as_guests: bool) -> Principal:
        """This principal judged by its voice too: the lower of its role and the voice's (the policy's
        `spoken_role`). Without a voice (typed, or no voice enrolled in the home) it stays as it is."""
        if self.voice is None:
            return self
        voice_role = self.voice.role if self.voice.person is not None else None  # None: a stranger's
        role = spoken_role(self.role, voice_role, strangers_as_guests=strangers_as_guests)
        return self if role is self.role else replace(self, role=role)


_BELOW = {"schedule": Via.TIMER, "rule": Via.RULE, "skill": Via.SKILL, "mqtt": Via.MQTT}


def acting_for(actor: Actor) -> Principal | None:
    """The principal behind a command that reached the hub below the entrances (a timer firing, a rule,
    a skill, MQTT): whoever set it up, and how (`actor.source`: "schedule", "rule:7", "skill", "mqtt").
    None for a command an entrance asked through the gate (audited there)."""
    via = _BELOW.get(actor.source.split(":", 1)[0])
    return None if via is None else Principal(actor.name, actor.role, via, credential=actor.source)


def machine_owner(session: str | None = None) -> Principal:
    """Whoever runs a command on this machine with the home's data directory: the home's owner."""
    return Principal("local", Role.OWNER, Via.CLI, "local", session, "local")
