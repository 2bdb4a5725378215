"""Exceptions of the domain layer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class JibsaError(Exception):
    """Base of every error jibsa raises on purpose."""


class HomeFileError(JibsaError):
    """A home file that breaks a rule: names the file, the field path and the problem (in English;
    `code` and `values` let jibsa.home_file say it in Korean too)."""

    def __init__(
        self, source: str, path: str, problem: str, code: str = "", values: Mapping[str, Any] | None = None
    ) -> None:
        self.source = source
        self.path = path
        self.problem = problem
        self.code = code
        self.values: dict[str, Any] = dict(values or {})
        where = f"{source}: {path}: " if path else f"{source}: "
        super().__init__(f"{where}{problem}")
