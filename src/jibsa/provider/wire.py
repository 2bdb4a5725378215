"""What a gateway sends a home's worker, and what comes back: JSON over NATS request/reply.

A request names its home, carries a unique id (a replayed request with the same id is answered from
the first answer, never applied twice), the principal the gateway authenticated, a kind, and a body:

    {"id": "…", "home": "h-0001", "principal": {"person": "…", "role": "owner", "via": "http"},
     "kind": "say", "body": {"text": "거실 불 꺼줘"}}

Kinds: `say` (a sentence, as `jibsa say`), `command` (the command format of docs/home-and-commands.md),
`state` (every device's state), `devices` (the home's devices). A reply is `{"ok": true, "result": …}` or
`{"ok": false, "error": {"code": …, "message": …, "said": {"key": …, "fields": {…}}}}`: `code` is stable, for
machines; `said` is the refusal as a fact of the words catalogue (`provider_errors.reply_*`,
`provider_errors.request_*`), which the gateway words in its client's language; `message` is it in English,
for logs. A refusal of the home's gate may carry, as `jibsa serve`'s API gives them, `detail` (an object: what
the gate said of it) and `retry_after` (whole seconds before trying again: too many wrong PINs); the gateway
answers with both (`detail` in the error's detail, `Retry-After` as a header)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jibsa.domain import Role
from jibsa.domain.said import Said
from jibsa.provider.shards import BadHomeId, checked_home_id
from jibsa.provider.told import Told
from jibsa.words import MissingWords, say

MAX_BYTES = 64 * 1024
MAX_RETRY_AFTER_S = 86_400  # a `retry_after` read off the wire is whole seconds in 1..a day, else none
KINDS = frozenset({"say", "command", "state", "devices"})
# Where the sender waits for the reply, kept with the request in the workers' stream (JetStream keeps a
# message's headers but not its reply subject): the worker that replays the request answers there.
REPLY_TO = "Jibsa-Reply-To"
# On a reply: the request it answers ("<home>/<request id>"), so a sender can tell a reply meant for another.
ANSWERS = "Jibsa-Answers"
# A reply inbox and nothing else: `_INBOX.` (nats-py's prefix for request inboxes, the gateway's included)
# and one or two tokens of letters and digits. No wildcard, no `jibsa.*` or `$JS.*` subject: a forged header
# can make a worker publish a reply only where someone waits for replies, never on a home's subjects.
_INBOX = re.compile(r"_INBOX\.[A-Za-z0-9]{1,64}(?:\.[A-Za-z0-9]{1,64})?")


class BadRequest(Told, ValueError):
    """A request a worker refuses to read; what it says (`said`) names which field and why."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(Said(f"provider_errors.{key}", fields))


@dataclass(frozen=True, slots=True)
class Asker:
    person: str
    role: Role
    via: str = "http"


@dataclass(frozen=True, slots=True)
class Request:
    id: str
    home: str
    asker: Asker
    kind: str
    body: dict[str, Any] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        return json.dumps(
            {
                "id": self.id,
                "home": self.home,
                "principal": {"person": self.asker.person, "role": self.asker.role.value, "via": self.asker.via},
                "kind": self.kind,
                "body": self.body,
            },
            ensure_ascii=False,
        ).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Request:
        if len(data) > MAX_BYTES:
            raise BadRequest("request_too_large", size=len(data), limit=MAX_BYTES)
        try:
            document = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise BadRequest("request_not_json") from None
        if not isinstance(document, dict):
            raise BadRequest("request_not_object", name="request")
        request_id = _text(document, "id", 128)
        try:
            home = checked_home_id(document.get("home"))  # type: ignore[arg-type]
        except BadHomeId as error:
            raise BadRequest("request_home", home=error.said.fields.get("home", "")) from None
        principal = document.get("principal")
        if not isinstance(principal, dict):
            raise BadRequest("request_not_object", name="principal")
        try:
            role = Role(str(principal.get("role")))
        except ValueError:
            roles = ", ".join(r.value for r in Role)
            raise BadRequest("request_choice", name="principal.role", choices=roles) from None
        kind = _text(document, "kind", 32)
        if kind not in KINDS:
            raise BadRequest("request_choice", name="kind", choices=", ".join(sorted(KINDS)))
        body = document.get("body", {})
        if not isinstance(body, dict):
            raise BadRequest("request_not_object", name="body")
        asker = Asker(_text(principal, "person", 128), role, _text(principal, "via", 32))
        return cls(request_id, home, asker, kind, body)


@dataclass(frozen=True, slots=True)
class Reply:
    ok: bool
    result: Any = None
    code: str = ""
    message: str = ""  # in English, for logs; a person is told `said`, in their language
    said: Said | None = None
    detail: Mapping[str, Any] | None = None  # what the home's gate said of its refusal (`GateRefused.detail`)
    retry_after: int = 0  # seconds before trying again, when the refusal says (`GateRefused.retry_after`)

    @classmethod
    def refusal(cls, code: str, key: str, **fields: Any) -> Reply:
        """A failure with a stable `code`, saying `provider_errors.<key>` (filled with `fields`)."""
        return cls.told(code, Said(f"provider_errors.{key}", fields))

    @classmethod
    def told(cls, code: str, said: Said) -> Reply:
        return cls(False, code=code, message=say(said, "en"), said=said)

    @classmethod
    def gate_refused(cls, code: str, detail: Mapping[str, Any] | None = None, retry_after: int = 0) -> Reply:
        """The home's gate refused (`GateRefused`): its code, its detail and when to try again, for the
        gateway to answer as `jibsa serve` does; said as the API's own error (`error.<code>`)."""
        try:
            message = say(Said(f"error.{code}"), "en")
        except MissingWords:  # a code of a newer gate: the code says it
            message = code
        return cls(False, code=code, message=message, detail=dict(detail or {}) or None, retry_after=retry_after)

    def to_bytes(self) -> bytes:
        if self.ok:
            return json.dumps({"ok": True, "result": self.result}, ensure_ascii=False).encode()
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.said is not None:
            error["said"] = self.said.to_json()
        if self.detail:
            error["detail"] = dict(self.detail)
        if self.retry_after:
            error["retry_after"] = self.retry_after
        return json.dumps({"ok": False, "error": error}, ensure_ascii=False, default=str).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Reply:
        document = json.loads(data)
        if not isinstance(document, dict):  # the gateway answers it as a reply it cannot read (ValueError)
            raise ValueError("a reply must be a JSON object")
        if document.get("ok"):
            return cls(True, document.get("result"))
        error = document.get("error") or {}
        said = error.get("said")
        try:
            told = Said.from_json(said) if isinstance(said, dict) else None
        except (KeyError, TypeError, ValueError):  # not a fact this jibsa can word: the code still says it
            told = None
        detail = error.get("detail")
        return cls(
            False,
            code=str(error.get("code", "")),
            message=str(error.get("message", "")),
            said=told,
            detail=detail if isinstance(detail, dict) and detail else None,
            retry_after=_seconds(error.get("retry_after")),
        )


def _seconds(value: Any) -> int:
    """A reply's `retry_after`: whole seconds in 1..MAX_RETRY_AFTER_S, else 0 (none)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_RETRY_AFTER_S:
        return 0
    return value


def stream_once(home: str, request_id: str) -> dict[str, str]:
    """The headers that keep one copy of a request in the workers' stream however often it is sent again:
    JetStream drops a message whose Nats-Msg-Id it stored within its duplicate window (2 minutes), so a
    gateway's retries during a failover do not pile up copies for the next worker to replay."""
    return {"Nats-Msg-Id": f"{home}/{request_id}"}


def reply_inbox(headers: Mapping[str, str] | None) -> str | None:
    """The reply inbox a request's `Jibsa-Reply-To` header names, if it is one (see `_INBOX`); None when the
    header is missing or names anything else."""
    value = (headers or {}).get(REPLY_TO)
    return value if isinstance(value, str) and _INBOX.fullmatch(value) else None


def answers(home: str, request_id: str) -> dict[str, str]:
    """The headers of a reply to the request (home, request_id)."""
    return {ANSWERS: f"{home}/{request_id}"}


def _text(document: dict[str, Any], name: str, limit: int) -> str:
    value = document.get(name)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise BadRequest("request_text", name=name, limit=limit)
    return value
