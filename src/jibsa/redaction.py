"""Credentials never reach a log: one redaction installed on logging's record factory, so every record of
every logger (ours, uvicorn's, httpx's, aiohttp's) is cleaned before any handler sees it, its exception
text included.

What is cleaned: credentials in URLs (data.go.kr's `serviceKey=…`, `access_token=…`, `token=…`, a password
in `user:password@`), `Authorization`/`Bearer` values (ThinQ and SmartThings tokens), credential fields of
JSON (`"access_token": "…"`), jibsa's own access tokens, and PEM private keys (the VAPID key).

`redact_value` cleans a JSON-like value the same way, and also empties every field named like a
credential (`pin`, `password`, `…token`, `…secret`, `service_key`, `authorization`, …) unless it only says
whether one was given (`"service_key": "new"`): the API's error bodies and the audit log's rows pass
through it.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

REDACTED = "[redacted]"
_NAMES = (
    r"service_?key|access_?token|refresh_?token|id_?token|token|api_?key|apikey|key|secret|client_secret|"
    r"password|passwd|auth|signature|sig|code"
)
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S), REDACTED),
    (re.compile(rf"(?i)([?&;](?:{_NAMES})=)[^&\s\"'<>#]+"), rf"\1{REDACTED}"),
    (re.compile(rf"(?i)([\"'](?:{_NAMES}|authorization|private_?key)[\"']\s*:\s*[\"'])[^\"']+"), rf"\1{REDACTED}"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{6,}"), rf"\1 {REDACTED}"),
    (re.compile(r"(?i)(authorization\s*[:=]\s*)(?!bearer|basic)[^\s,;\"']{6,}"), rf"\1{REDACTED}"),
    (re.compile(r"([a-z][a-z0-9+.-]*://[^/\s:@]+:)[^@\s/]+@", re.I), rf"\1{REDACTED}@"),
    (re.compile(r"\bjibsa_[A-Za-z0-9_-]{16,}"), f"jibsa_{REDACTED}"),
)


# What every rule above needs to match, read from the rules: "=" (the URL and `authorization=` rules), ":"
# (JSON fields, `authorization:`, user:password@), a PEM key's armour, bearer/basic (case folded as the rule
# folds it), or jibsa's token prefix. Text with none of them is returned as it is after one scan, instead of
# seven substitutions (each builds its replacement anew): the audit row of every command passes here.
_MAY_MATCH = re.compile(r"[=:]|PRIVATE KEY-----|jibsa_|(?i:bearer|basic)")


def redact(text: str) -> str:
    """`text` with every credential it shows replaced by [redacted]."""
    if _MAY_MATCH.search(text) is None:
        return text
    return redact_fully(text)


def redact_fully(text: str) -> str:
    """`redact` without its first look: every rule applied (what `redact` must always equal)."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


_SECRET_FIELD = re.compile(
    r"(?i)^(?:[a-z0-9]*[_-])?(?:pin|password|passwd|passphrase|token|secret|service_?key|api_?key|apikey|"
    r"authorization|cookie|private_?key|credentials?)$"
)


# What a credential field may say in the clear: whether one was given, never which ({"service_key": "new"}).
_ABOUT_A_CREDENTIAL = frozenset({"new", "kept", "set", "unset", "removed", "unchanged"})


@functools.lru_cache(maxsize=4096)  # field names repeat (intent, targets, params …): each is read once
def is_secret_field(name: str) -> bool:
    """Whether a field called `name` holds a credential (compared after Unicode normalisation, so a
    full-width or zero-width-spaced "ｐｉｎ" is one too)."""
    return bool(_SECRET_FIELD.match(plain(name)))


def plain(text: str) -> str:
    """`text` in NFKC with format characters (zero-width spaces, joiners) dropped: how a reader sees it."""
    if text.isascii():  # NFKC leaves ASCII as it is, and no ASCII character is a format character
        return text
    return "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf")


def redact_value(value: Any) -> Any:
    """JSON-like `value` with every credential replaced by [redacted]: fields named like one (their value
    whole), and what `redact` finds in every string, field names included."""
    kind = type(value)
    if kind is str:
        return redact(value)
    if kind in _PLAIN_SCALARS:  # the commonest leaves, known without the abstract classes' checks
        return value
    if kind is dict or isinstance(value, Mapping):
        return {
            redact(str(key)): REDACTED if is_secret_field(str(key)) and _credential(value[key]) else
            redact_value(value[key])
            for key in value
        }  # fmt: skip
    if isinstance(value, (list, tuple)):
        return [redact_value(item) for item in value]
    if isinstance(value, str):
        return redact(value)
    return value


_PLAIN_SCALARS = frozenset({int, float, bool, type(None)})


def _credential(value: Any) -> bool:
    """Whether a credential field's `value` may be the credential (not empty, a yes/no, or a word saying
    whether one was given)."""
    return not (value is None or isinstance(value, bool) or value == "" or value in _ABOUT_A_CREDENTIAL)


def install_redaction() -> None:
    """Clean every log record from now on (installing twice cleans once)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "jibsa_redacts", False):
        return
    logging.setLogRecordFactory(_redacting(factory))


def _redacting(make: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        made = make(*args, **kwargs)
        try:
            message = made.getMessage()
        except (TypeError, ValueError):  # a bad format: logging reports it; leave the record as it is
            return made
        _redact_message(made, message)
        if made.exc_info and made.exc_info[1] is not None:
            made.exc_text = redact(logging.Formatter().formatException(made.exc_info))
        return made

    record.jibsa_redacts = True  # type: ignore[attr-defined]
    return record


def _redact_message(record: logging.LogRecord, message: str) -> None:
    """Clean the record's message, keeping its arguments where that is enough: formatters such as uvicorn's
    access log read `record.args` (a tuple), and printed a traceback per request when they were gone."""
    cleaned = redact(message)
    if cleaned == message:
        return
    if isinstance(record.args, tuple) and isinstance(record.msg, str):
        args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        try:
            kept = record.msg % args
        except (TypeError, ValueError):
            kept = None
        if kept is not None and redact(kept) == kept:
            record.args = args
            return
    record.msg, record.args = cleaned, None
