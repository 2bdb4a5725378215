"""The hub: device state, the event bus, command execution, timers and schedules."""

from jibsa.domain.results import public_state
from jibsa.hub.adapter import (
    AdapterContext,
    AdapterFactory,
    AdapterSink,
    DeviceAdapter,
    DeviceError,
    DeviceNotAnswering,
    FollowsAdoption,
    Receipt,
)
from jibsa.hub.adapter_notes import AdapterNotes
from jibsa.hub.clock import Clock, ManualClock, SystemClock, settle
from jibsa.hub.events import EventBus, Subscription
from jibsa.hub.hub import HomeChanged, Hub
from jibsa.hub.outcome import Actor, Outcome, Skill, SkillHost
from jibsa.hub.store import HistoryEntry, HubStore, PendingJob
from jibsa.hub.timers import JobFired, JobSkipped, TimerFinished

__all__ = [
    "Actor",
    "AdapterContext",
    "AdapterFactory",
    "AdapterNotes",
    "AdapterSink",
    "Clock",
    "DeviceAdapter",
    "DeviceError",
    "DeviceNotAnswering",
    "EventBus",
    "FollowsAdoption",
    "HistoryEntry",
    "HomeChanged",
    "Hub",
    "HubStore",
    "JobFired",
    "JobSkipped",
    "ManualClock",
    "Outcome",
    "PendingJob",
    "Receipt",
    "Skill",
    "SkillHost",
    "Subscription",
    "SystemClock",
    "TimerFinished",
    "public_state",
    "settle",
]  # fmt: skip
