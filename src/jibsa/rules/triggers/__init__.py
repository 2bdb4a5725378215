"""Trigger kinds: what sets a rule off. Each kind is one module of this package that says everything
about it (`base.TriggerKind`), registered under the entry point group `jibsa.triggers`: jibsa's own in
its pyproject.toml, a partner's in theirs. `installed_kinds()` is every installed kind; `TriggerKinds`
is the set one home's rules, parser and engine use (a test adds its own kinds to it)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.metadata import entry_points
from typing import Any

from jibsa.rules.triggers.base import TriggerKind

log = logging.getLogger(__name__)
TRIGGER_GROUP = "jibsa.triggers"


class TriggerKinds:
    """Trigger kinds by name, in the order they are listed (`rank`)."""

    def __init__(self, kinds: Iterable[TriggerKind[Any]]) -> None:
        self._kinds = {k.name: k for k in sorted(kinds, key=lambda k: (k.rank, k.name))}

    def __iter__(self) -> Iterator[TriggerKind[Any]]:
        return iter(self._kinds.values())

    def get(self, name: str) -> TriggerKind[Any] | None:
        return self._kinds.get(name)

    def names(self) -> list[str]:
        return list(self._kinds)

    def by_hearing(self) -> list[TriggerKind[Any]]:
        """The kinds in the order their phrases are tried."""
        return sorted(self._kinds.values(), key=lambda k: (k.hearing_rank, k.name))

    def adding(self, *kinds: TriggerKind[Any]) -> TriggerKinds:
        """These kinds and `kinds` (a kind of the same name replaces this one's)."""
        return TriggerKinds({**self._kinds, **{k.name: k for k in kinds}}.values())


@cache
def installed_kinds() -> TriggerKinds:
    """The kinds installed as entry points; one that cannot load is logged and left out (its rules are
    then kept but reported as not fitting the home)."""
    found = []
    for point in entry_points(group=TRIGGER_GROUP):
        try:
            kind = point.load()
            if not isinstance(kind, TriggerKind):
                raise TypeError(f"{point.value} is {type(kind).__name__}, not a TriggerKind")
            found.append(kind)
        except Exception:  # a broken partner package must not stop the home
            log.exception("trigger kind %r could not be loaded", point.name)
    return TriggerKinds(found)
