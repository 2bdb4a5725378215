"""Exceptions of the energy package."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jibsa.domain import JibsaError


class EnergyError(JibsaError):
    """Something about energy that cannot be worked out; `code` and `values` let a caller say it in words."""

    def __init__(self, message: str, code: str = "", values: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.values: dict[str, Any] = dict(values or {})


class TariffError(EnergyError):
    """A tariff file that is wrong (naming the file and the field), or a day it cannot bill."""
