"""What the cloud adapters' mappings share: the refusal of an action a vendor's API has no command
for, and reading a jibsa value back into the vendor's word for it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class UnsupportedAction(ValueError):
    """The action has no command in the vendor's API for this device."""


def vendor_word(table: Mapping[str, str], ours: Any) -> str:
    """The vendor's word that `table` (vendor word -> jibsa value) maps to `ours`."""
    for theirs, value in table.items():
        if value == ours:
            return theirs
    raise UnsupportedAction(f"value {ours!r}")
