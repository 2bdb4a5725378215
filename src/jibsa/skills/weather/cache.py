"""Answers kept until the service's next release; on failure, the last answer with its time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from jibsa.skills.weather.errors import WeatherServiceError
from jibsa.skills.weather.release import Release
from jibsa.skills.weather.report import Stale

T = TypeVar("T")


@dataclass(frozen=True)
class _Kept(Generic[T]):
    release: Release
    value: T


class ReleaseCache(Generic[T]):
    """One value per key and release: asking again before the next release costs no request."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, _Kept[T]] = {}
        self.requests = 0  # how many times the service was asked, for the tests and the logs

    async def get(self, key: Hashable, release: Release, fetch: Callable[[], Awaitable[T]]) -> tuple[T, Stale | None]:
        """The value of `release`, fetched once; when fetching fails, the last value kept for `key`
        and why it is stale. Raises WeatherServiceError when nothing was ever kept."""
        kept = self._kept.get(key)
        if kept is not None and kept.release >= release:
            return kept.value, None
        self.requests += 1
        try:
            value = await fetch()
        except WeatherServiceError as exc:
            if kept is None:
                raise
            return kept.value, Stale(exc.reason, kept.release.moment, exc.source)
        self._kept[key] = _Kept(release, value)
        return value, None
