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

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 10_000) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._attempts: dict[str, deque[float]] = {}

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again; 0 when it may try now."""
        now = self._clock()
        attempts = self._attempts.get(key)
        if attempts is None:
            return 0
        while attempts and attempts[0] <= now - self.window:
            attempts.popleft()
        if len(attempts) < self.limit:
            return 0
        return max(1, math.ceil(attempts[0] + self.window - now))

    def record(self, key: str) -> None:
        if len(self._attempts) >= self._max_keys and key not in self._attempts:
            self._forget_oldest()
        self._attempts.setdefault(key, deque()).append(self._clock())

    def reset(self, key: str) -> None:
        self._attempts.pop(key, None)

    def _forget_oldest(self) -> None:
        oldest = min(self._attempts, key=lambda k: self._attempts[k][-1] if self._attempts[k] else 0.0)
        del self._attempts[oldest]
