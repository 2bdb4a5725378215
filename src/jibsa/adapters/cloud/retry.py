"""The retry policy of a cloud call: bounded attempts, exponential backoff, Retry-After, a cap."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from jibsa.hub.adapter import DeviceError
from jibsa.hub.clock import Clock

log = logging.getLogger(__name__)
T = TypeVar("T")


class AccountError(DeviceError):
    """The account's token is refused: nothing works until a person sets a new one. Never retried."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """`attempts` tries in all; waits of `base_s`, 2×, 4×... between them, or what Retry-After asks
    when it asks for more. A Retry-After beyond `cap_s` is not waited for: the call fails at once."""

    attempts: int = 3
    base_s: float = 0.5
    cap_s: float = 8.0

    def wait(self, attempt: int, retry_after: float | None = None) -> float:
        return float(max(min(self.cap_s, self.base_s * 2**attempt), retry_after or 0.0))


class Retryable(Exception):
    """A failure worth another try; `final` is what the caller gets when no try is left."""

    def __init__(self, final: DeviceError, retry_after: float | None = None) -> None:
        super().__init__(str(final))
        self.final = final
        self.retry_after = retry_after


async def call_with_retries(
    attempt_once: Callable[[], Awaitable[T]], policy: RetryPolicy, clock: Clock, *, vendor: str, name: str
) -> T:
    """`attempt_once()`'s answer, tried again (waiting on `clock`) while it raises `Retryable` and
    `policy` allows; then the last failure's `final` error."""
    for attempt in range(policy.attempts):
        try:
            return await attempt_once()
        except Retryable as exc:
            wait = policy.wait(attempt, exc.retry_after)
            if attempt + 1 >= policy.attempts or wait > policy.cap_s:
                raise exc.final from None
            log.info("%s: %s: %s; trying again in %g s", vendor, name, exc.final, wait)
            await clock.sleep_until(clock.now() + wait)
    raise AssertionError("unreachable")  # pragma: no cover
