"""Rate limiting of guesses (logins, PINs): a sliding window of attempts per key, in memory.

A home server has a handful of users; one process holds the counts. A restart forgets them, which
costs an attacker a reboot of someone else's box — acceptable for this threat.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable


class AttemptLimiter:
    """At most `limit` attempts per `window` seconds for each key."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic, max_keys: int = 10_000
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._attempts: dict[str, deque[float]] = {}

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again; 0 when it may try now."""
        if self.count(key) < self.limit:
            return 0
        return max(1, math.ceil(self._attempts[key][0] + self.window - self._clock()))

    def count(self, key: str) -> int:
        """Attempts recorded for `key` within the window."""
        attempts = self._attempts.get(key)
        if attempts is None:
            return 0
        while attempts and attempts[0] <= self._clock() - self.window:
            attempts.popleft()
        return len(attempts)

    def record(self, key: str) -> None:
        if len(self._attempts) >= self._max_keys and key not in self._attempts:
            self._forget_oldest()
        self._attempts.setdefault(key, deque()).append(self._clock())

    def reset(self, key: str) -> None:
        self._attempts.pop(key, None)

    def forget_last(self, key: str) -> None:
        """Take back the latest attempt of `key` (it turned out not to count)."""
        attempts = self._attempts.get(key)
        if attempts:
            attempts.pop()

    def _forget_oldest(self) -> None:
        oldest = min(self._attempts, key=lambda k: self._attempts[k][-1] if self._attempts[k] else 0.0)
        del self._attempts[oldest]


class LoginThrottle:
    """Guessing passwords, limited without letting anyone lock a person out.

    Failed logins are counted per address (`limit` in `window` seconds, then 429 for that address
    only) and per name: a name with failures is answered more slowly (`base_delay` doubling after
    `free_failures`, at most `max_delay` seconds), never refused, so the real person can still log
    in from elsewhere. Successful logins cost nothing and count for nothing.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        free_failures: int = 3,
        base_delay: float = 0.25,
        max_delay: float = 4.0,
        name_window: float = 900.0,
    ) -> None:
        self._by_address = AttemptLimiter(limit, window, clock)
        self._by_name = AttemptLimiter(1, name_window, clock)  # its count of failures, not its verdict
        self._free_failures = free_failures
        self._base_delay = base_delay
        self._max_delay = max_delay

    def retry_after(self, address: str) -> int:
        """Seconds until `address` may try again; 0 when it may try now."""
        return self._by_address.retry_after(address)

    def delay(self, name: str) -> float:
        """How long to wait before answering a login as `name` (0 for a name without recent failures)."""
        extra = self._by_name.count(name) - self._free_failures
        return 0.0 if extra < 0 else min(self._max_delay, self._base_delay * 2**extra)

    def attempt(self, address: str) -> None:
        """Count an attempt from `address` before checking it, so that guesses sent side by side count
        too; `succeeded` takes it back."""
        self._by_address.record(address)

    def failed(self, name: str) -> None:
        self._by_name.record(name)

    def succeeded(self, address: str, name: str) -> None:
        self._by_address.forget_last(address)
        self._by_name.reset(name)
