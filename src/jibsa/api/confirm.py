"""Second words for commands that need one (unlocking a door), over HTTP.

A request that needs confirming is remembered per user for `window` seconds. It is carried out
when it comes again with ``"confirm": true`` within that time — or, when the home has an unlock
PIN, when it comes with ``"confirm": true`` and the right PIN (then the PIN is required).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

CONFIRM_WINDOW_S = 60.0
_MAX_ASKED = 10_000


class ConfirmationGate:
    def __init__(self, window: float = CONFIRM_WINDOW_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self._clock = clock
        self._asked: OrderedDict[tuple[str, str], float] = OrderedDict()

    def ask(self, user: str, request_key: str) -> None:
        """Remember that `user` asked for `request_key` and was told it needs confirming."""
        key = (user, request_key)
        self._asked[key] = self._clock()
        self._asked.move_to_end(key)
        while len(self._asked) > _MAX_ASKED:
            self._asked.popitem(last=False)

    def waiting(self, user: str, request_key: str) -> bool:
        """True when `user` asked for `request_key` within the window and has not confirmed it yet."""
        asked = self._asked.get((user, request_key))
        return asked is not None and self._clock() - asked <= self.window

    def take(self, user: str, request_key: str) -> bool:
        """True (once) when `user` asked for the same thing within the window."""
        asked = self._asked.pop((user, request_key), None)
        return asked is not None and self._clock() - asked <= self.window
