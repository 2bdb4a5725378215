"""Each event type writes its own JSON and says who may see it: a new kind of event reaches the events
socket without a line of the socket's code changing, and only the people it is for."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import websockets

from jibsa.api.events import JobsChanged, event_to_dict
from jibsa.domain import AvailabilityChanged, Command, Role, StateChanged
from jibsa.domain.events import Audience, PublicEvent
from jibsa.hub import HomeChanged, JobFired, JobSkipped, Outcome, PendingJob, TimerFinished
from jibsa.hub.notification_store import Notification, as_written
from jibsa.hub.notifications import Announcement, NotificationAdded
from jibsa.rules.runner import RuleFired


@dataclass(frozen=True, slots=True)
class DoorbellRang:
    """An event type jibsa does not have: the doorbell rang, for one person."""

    person: str

    @property
    def audience(self) -> Audience:
        return Audience(self.person)

    def to_json(self) -> dict[str, Any]:
        return {"type": "doorbell_rang", "for": self.person}


def test_every_event_type_says_its_type() -> None:
    job = PendingJob("j1", "command", 0.0, {})
    events = {
        "state_changed": StateChanged("home", "lamp", {"power": False}, {"power": True, "_raw": 1}, 1.0),
        "availability_changed": AvailabilityChanged("home", "lamp", False, 1.0),
        "home_changed": HomeChanged(None, ("plug",), ()),  # type: ignore[arg-type]
        "job_fired": JobFired("home", job, Outcome(Command("turn_on", ("lamp",))), False),
        "job_skipped": JobSkipped("home", job, 61.0, ("램프",)),
        "timer_finished": TimerFinished("home", job),
        "notification": NotificationAdded("home", Notification(1, "", as_written("끝났어요.", "Done."), 0.0)),
        "announcement": Announcement("home", as_written("끝났어요.", "Done.")),
        "rule_fired": RuleFired("home", "r1", "세탁 알림", 1.0, "세탁기가 끝났어요.", "The washer has finished."),
        "jobs_changed": JobsChanged("added"),
    }
    for kind, event in events.items():
        assert isinstance(event, PublicEvent), kind
        told = event_to_dict(event)
        assert told is not None and told["type"] == kind
    assert event_to_dict(events["state_changed"])["state"] == {"power": True}  # type: ignore[index]
    assert event_to_dict(object()) is None


async def test_a_new_event_type_reaches_only_its_person(harness, live_url) -> None:
    listeners = {}
    for role in (Role.OWNER, Role.MEMBER):
        listeners[role] = await websockets.connect(f"ws://{live_url}/api/events", additional_headers=harness.auth(role))
        await listeners[role].recv()  # hello
    try:
        harness.running.hub.bus.publish(DoorbellRang("member"))
        harness.running.hub.bus.publish(JobsChanged("end of test"))
        heard = {role: await _until_the_end(ws) for role, ws in listeners.items()}
    finally:
        for ws in listeners.values():
            await ws.close()
    assert heard[Role.MEMBER] == [{"type": "doorbell_rang", "for": "member"}]
    assert heard[Role.OWNER] == []  # the owners see what someone said, not everyone's doorbell


async def _until_the_end(ws: Any) -> list[dict[str, Any]]:
    heard = []
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if message["type"] == "jobs_changed" and message["reason"] == "end of test":
            return heard
        if message["type"] == "doorbell_rang":
            heard.append(message)
