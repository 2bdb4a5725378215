"""Exceptions of the domain layer."""

from __future__ import annotations


class JibsaError(Exception):
    """Base of every error jibsa raises on purpose."""


class HomeFileError(JibsaError):
    """A home file that breaks a rule: names the file, the field path and the problem."""

    def __init__(self, source: str, path: str, problem: str) -> None:
        self.source = source
        self.path = path
        self.problem = problem
        where = f"{source}: {path}: " if path else f"{source}: "
        super().__init__(f"{where}{problem}")
