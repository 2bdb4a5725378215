"""A worker's homes are kept out of Python's cyclic garbage collector while they run.

A worker holds thousands of homes, each some hundreds of long-lived objects (hub, states, rules, simulator):
at 1,000 homes some 300,000 objects, and a full collection walked them all, 0.1–0.4 s with the event loop
stopped (measured), and at 5,000 homes a worker's loop stopped for a second or more, with every command
waiting. They are not garbage while their home runs, so each home is frozen once it is open (`gc.freeze`:
the objects alive then are left out of every later collection; freezing costs no walk). A home closed (its
shard gone to another worker) may leave cycles among the frozen objects: the heap is unfrozen then, and the
next home opened is frozen after one full collection, so what closed homes left is collected, not kept."""

from __future__ import annotations

import gc


class FrozenHomes:
    """Freeze the heap after a home opens; unfreeze when one closes (collected before the next freeze)."""

    def __init__(self) -> None:
        self._unfrozen = False  # a home closed since the last freeze: collect before freezing again

    def opened(self) -> None:
        if self._unfrozen:
            gc.collect()
            self._unfrozen = False
        gc.freeze()

    def closed(self) -> None:
        gc.unfreeze()
        self._unfrozen = True
