"""Who is home: set from the dashboard or a phone (or a presence device), watched by rules."""

from __future__ import annotations

from dataclasses import dataclass

from jibsa.hub.clock import Clock
from jibsa.hub.events import EventBus


@dataclass(frozen=True, slots=True)
class PresenceChanged:
    home_id: str
    person: str
    home: bool
    at: float
    anyone_home: bool


class PresenceBook:
    def __init__(self, home_id: str, bus: EventBus, clock: Clock) -> None:
        self._home_id = home_id
        self._bus = bus
        self._clock = clock
        self._people: dict[str, bool] = {}

    def set(self, person: str, home: bool) -> PresenceChanged | None:
        """Record that `person` is (not) home; publishes a change when it is one."""
        if self._people.get(person) == home:
            return None
        self._people[person] = home
        event = PresenceChanged(self._home_id, person, home, self._clock.now(), self.anyone_home())
        self._bus.publish(event)
        return event

    def is_home(self, person: str) -> bool:
        return self._people.get(person, False)

    def anyone_home(self) -> bool:
        return any(self._people.values())

    def people(self) -> dict[str, bool]:
        return dict(self._people)
