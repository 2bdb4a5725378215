"""Who may do what — the one place that decides it.

The HTTP API, the conversation, timers and schedules, and rules all ask these functions; none of them
keeps a rule of its own. Roles: owners may do everything; members everything but manage people; guests
may use the home but not unlock doors, open the gas valve or a garage door, make automations (repeating
schedules, rules), or cancel other people's timers. Some commands need a second word whoever asks
(unlocking a door), and some must never fire late (anything that opens the home).
"""

from __future__ import annotations

from enum import StrEnum

from jibsa.domain.actions import Refusal, canonical_intent
from jibsa.domain.commands import Command
from jibsa.domain.device_types import DeviceType
from jibsa.domain.events import PublicEvent
from jibsa.domain.home import Device, Home
from jibsa.domain.intents import BUILTIN_INTENTS, IntentRegistry
from jibsa.domain.results import ErrorCode


class Role(StrEnum):
    OWNER = "owner"
    MEMBER = "member"
    GUEST = "guest"
    SATELLITE = "satellite"  # a voice satellite (`jibsa voice serve --satellite NAME`): lights, climate, media


# What a satellite may command: everyday devices, never a door, a valve, a garage door or a window.
SATELLITE_TYPES = frozenset({
    DeviceType.LIGHT, DeviceType.FAN, DeviceType.AIR_CONDITIONER, DeviceType.BOILER, DeviceType.THERMOSTAT,
    DeviceType.AIR_PURIFIER, DeviceType.HUMIDIFIER, DeviceType.DEHUMIDIFIER, DeviceType.TV, DeviceType.SPEAKER,
    DeviceType.SENSOR,
})  # fmt: skip
# Roles that make no automations and may cancel only their own timers.
_LIMITED = frozenset({Role.GUEST, Role.SATELLITE})


# What a guest may not do to a device, whatever else they may do.
_GUEST_FORBIDDEN: dict[DeviceType, frozenset[str]] = {
    DeviceType.DOOR_LOCK: frozenset({"unlock"}),
    DeviceType.GAS_VALVE: frozenset({"open"}),
    DeviceType.GARAGE_DOOR: frozenset({"open"}),
}
# Device types whose commands never fire late: a door unlocked an hour after it was asked is a door
# unlocked when nobody expects it.
SAFETY_TYPES = frozenset({DeviceType.DOOR_LOCK, DeviceType.GAS_VALVE, DeviceType.GARAGE_DOOR})
LATE_GRACE_S = 300.0  # a delayed or scheduled command later than this (jibsa was down) is skipped
SAFETY_LATE_GRACE_S = 30.0  # ... and for commands to SAFETY_TYPES, later than this
# How many timers and schedules one person may keep pending at once.
MAX_PENDING_JOBS: dict[Role, int] = {Role.OWNER: 500, Role.MEMBER: 200, Role.GUEST: 10, Role.SATELLITE: 10}


# How far each role reaches, for narrowing: a satellite reaches least (everyday devices, nothing deferred).
_REACH = {Role.SATELLITE: 0, Role.GUEST: 1, Role.MEMBER: 2, Role.OWNER: 3}


def spoken_role(session: Role, voice: Role | None, *, strangers_as_guests: bool) -> Role:
    """The role a spoken request is judged with: the lower of the session's and the voice's. A voice no
    enrolled person matches (`voice` None) counts as a guest's when the household says so ("낯선 목소리는
    손님으로"), else leaves the session's role. A voice never raises the role: it only narrows."""
    if voice is None:
        voice = Role.GUEST if strangers_as_guests else session
    return min(session, voice, key=_REACH.__getitem__)


def may_manage_voice(role: Role, person: str, voice_owner: str) -> bool:
    """Enrolled voices are listed, added and deleted by the person they belong to, or by an owner (a
    satellite is an account, not a person: it has no voice of its own)."""
    return role is Role.OWNER or (role is not Role.SATELLITE and person == voice_owner)


def may_see(event: PublicEvent, user: str, role: Role) -> bool:
    """Whether `user` (with `role`) is sent `event`. What someone said and was answered goes to them and
    to the home's owners only; a notification only to the person it is for (or everyone, when it names
    nobody); device states, timers and the home's shape are for everyone, who may all see every device."""
    audience = event.audience
    return audience.person is None or audience.person == user or (audience.owners and role is Role.OWNER)


def refusal_for_role(role: Role, device: Device, command: Command) -> Refusal | None:
    """Why `role` may not send `command` to `device`, or None when it may."""
    intent = canonical_intent(device, command.intent)
    if role is Role.SATELLITE and device.type not in SATELLITE_TYPES:
        return Refusal(ErrorCode.NOT_ALLOWED, f"a satellite may not command {device.id}", {"intent": intent})
    if role is not Role.GUEST:
        return None
    if intent in _GUEST_FORBIDDEN.get(device.type, frozenset()):
        return Refusal(ErrorCode.NOT_ALLOWED, f"a guest may not {intent} {device.id}", {"intent": intent})
    return None


def refusal_for_request(role: Role, command: Command, intents: IntentRegistry = BUILTIN_INTENTS) -> str | None:
    """Why `role` may not ask for `command` at all (whatever its targets), or None when it may.

    The answer is a reason a person can be told: guests make no automations."""
    spec = intents.get(command.intent)
    if spec is not None and spec.owners_only and not may_add_devices(role):
        return "only owners may do this"
    if role not in _LIMITED:
        return None
    if spec is not None and not spec.guests:
        return f"{role.value}s may not do this"
    if command.params.get("repeat"):
        return f"{role.value}s may not set up repeating schedules"
    if role is Role.SATELLITE and command.is_deferred:
        return "satellites may not schedule commands"
    return None


def may_add_devices(role: Role) -> bool:
    """Only owners bring new devices into the home (Matter commissioning) and name them: a device that
    joins is within reach of everyone who may use the home."""
    return role is Role.OWNER


def may_cancel_job(role: Role, person: str, job_owner: str | None) -> bool:
    """Owners and members may cancel any timer or schedule; a guest only the ones they made."""
    return role not in _LIMITED or (job_owner is not None and job_owner == person)


def pending_job_limit(role: Role) -> int:
    return MAX_PENDING_JOBS[role]


MAX_RULES_PER_PERSON = 200  # a member made 10,000; one switched light then made 10,000 notifications


def rule_limit(role: Role) -> int:
    """How many rules one person may keep (guests make none)."""
    return 0 if role is Role.GUEST else MAX_RULES_PER_PERSON


def needs_confirmation(device: Device, command: Command) -> bool:
    """Unlocking a door needs a second word (a PIN or a confirming request), whoever asks."""
    return device.type is DeviceType.DOOR_LOCK and canonical_intent(device, command.intent) == "unlock"


def needs_pin(device: Device, command: Command) -> bool:
    """Unlocking a door and working the gas valve: through a spoken entrance (Wyoming, the voice socket),
    these need the home's PIN said in the same connection, whoever asks, or are refused."""
    intent = canonical_intent(device, command.intent)
    return (device.type is DeviceType.DOOR_LOCK and intent == "unlock") or (
        device.type is DeviceType.GAS_VALVE and intent != "query_state"
    )


def late_grace_s(home: Home, command: Command) -> float:
    """How late a kept command may still be carried out; later than this it is skipped and the
    person told. Commands to doors, valves and garage doors get almost none."""
    targets = list(command.targets)
    scene = home.scene(str(command.params.get("scene", ""))) if command.intent == "run_scene" else None
    if scene is not None:
        targets += [t for action in scene.actions for t in action.targets]
    devices = (home.device(t) for t in targets)
    if any(d is not None and d.type in SAFETY_TYPES for d in devices):
        return SAFETY_LATE_GRACE_S
    return LATE_GRACE_S
