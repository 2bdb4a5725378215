"""A local stand-in for Samsung's SmartThings cloud, following its REST API (v1).

Paths (relative to the base address): `GET /v1/locations`, `GET /v1/locations/{id}/rooms`,
`GET /v1/devices`, `GET /v1/devices/{id}`, `GET /v1/devices/{id}/status`, `POST /v1/devices/{id}/
commands`. Requests carry `Authorization: Bearer <token>`; lists are `{"items": [...], "_links":
{}}`; a device has `components`, each with `capabilities` and `categories`; a status is
`{"components": {component: {capability: {attribute: {"value", "unit", "timestamp"}}}}}`. Errors are
`{"requestId", "error": {"code", "message", "details"}}`: 401 UnauthorizedError, 404 NotFoundError,
422 ConstraintViolationError, 429 TooManyRequestError (with Retry-After and X-RateLimit-Reset in
milliseconds), 500 InternalServerError.

The canned account, in one location with rooms 거실, 안방 and 다용도실, holds an air conditioner,
a washer, a robot vacuum, a TV, a door lock, a light and a hub (which jibsa leaves out).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web

from jibsa.testing.standin import Fault, StandInServer

TOKEN = "st-local-test-token"
LOCATION = "5f4b0c39-1a4f-4a8e-9a57-2b1a6d0e7c11"
ROOMS = {"r-living": "거실", "r-bedroom": "안방", "r-utility": "다용도실"}
AIR_CONDITIONER = "0d94e5db-8501-2355-eb4f-214163702cac"
WASHER = "1e05f6ec-9612-3466-fc50-325274813dbd"
ROBOT_VACUUM = "2f16a7fd-a723-4577-0d61-436385924ece"
TV = "3a27b80e-b834-5688-1e72-547496a35fdf"
DOOR_LOCK = "4b38c91f-c945-6799-2f83-6585a7b46ea0"
LIGHT = "5c49da20-da56-78aa-3094-7696b8c57fb1"
HUB = "6d5aeb31-eb67-89bb-41a5-87a7c9d680c2"

_AC_MODES = ["auto", "cool", "dry", "wind", "heat"]
_FAN_MODES = ["auto", "low", "medium", "high", "turbo"]


def _attr(value: Any, unit: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"value": value, "timestamp": "2026-01-01T00:00:00.000Z"}
    if unit is not None:
        out["unit"] = unit
    return out


def canned_devices() -> dict[str, dict[str, Any]]:
    """The account's devices: label, room, category and the status of each capability."""
    return {
        AIR_CONDITIONER: _entry("거실 에어컨", "r-living", "AirConditioner", {
            "switch": {"switch": _attr("off")},
            "airConditionerMode": {"airConditionerMode": _attr("cool"), "supportedAcModes": _attr(_AC_MODES)},
            "airConditionerFanMode": {"fanMode": _attr("auto"), "supportedAcFanModes": _attr(_FAN_MODES)},
            "thermostatCoolingSetpoint": {"coolingSetpoint": _attr(24, "C")},
            "temperatureMeasurement": {"temperature": _attr(28, "C")},
        }),
        WASHER: _entry("세탁기", "r-utility", "Washer", {
            "switch": {"switch": _attr("off")},
            "washerOperatingState": {
                "machineState": _attr("stop"), "washerJobState": _attr("none"),
                "completionTime": _attr("2026-01-01T00:00:00Z"),
            },
            "remoteControlStatus": {"remoteControlEnabled": _attr("true")},
        }),
        ROBOT_VACUUM: _entry("로봇청소기", "r-living", "RobotCleaner", {
            "robotCleanerMovement": {"robotCleanerMovement": _attr("charging")},
            "battery": {"battery": _attr(80, "%")},
        }),
        TV: _entry("안방 TV", "r-bedroom", "Television", {
            "switch": {"switch": _attr("on")},
            "audioVolume": {"volume": _attr(12, "%")},
            "audioMute": {"mute": _attr("unmuted")},
            "tvChannel": {"tvChannel": _attr("7"), "tvChannelName": _attr("KBS2")},
        }),
        DOOR_LOCK: _entry("현관 도어락", None, "SmartLock", {
            "lock": {"lock": _attr("locked")},
            "battery": {"battery": _attr(65, "%")},
        }),
        LIGHT: _entry("거실 조명", "r-living", "Light", {
            "switch": {"switch": _attr("off")},
            "switchLevel": {"level": _attr(60, "%")},
        }),
        HUB: _entry("SmartThings Hub", None, "Hub", {"bridge": {}}),
    }  # fmt: skip


def _entry(label: str, room: str | None, category: str, status: dict[str, Any]) -> dict[str, Any]:
    return {"label": label, "room": room, "category": category, "status": {"main": status}}


_Command = Callable[[dict[str, Any], list[Any]], str | None]  # the error message, or None


def _setter(capability: str, attribute: str, check: Callable[[Any], bool] = lambda _: True) -> _Command:
    def run(status: dict[str, Any], args: list[Any]) -> str | None:
        if len(args) != 1 or not check(args[0]):
            return f"{capability}: bad arguments {args!r}"
        status[capability][attribute]["value"] = args[0]
        return None

    return run


def _fixed(capability: str, attribute: str, value: Any) -> _Command:
    def run(status: dict[str, Any], args: list[Any]) -> str | None:
        status[capability][attribute]["value"] = value
        return None

    return run


def _machine_state(status: dict[str, Any], args: list[Any]) -> str | None:
    if args not in (["run"], ["pause"], ["stop"]):
        return f"washerOperatingState: bad arguments {args!r}"
    state = status["washerOperatingState"]
    state["machineState"]["value"] = args[0]
    state["washerJobState"]["value"] = {"run": "wash", "pause": "wash", "stop": "none"}[args[0]]
    if args[0] == "run":
        status["switch"]["switch"]["value"] = "on"
    return None


def _number(lo: float, hi: float) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and lo <= v <= hi


COMMANDS: dict[tuple[str, str], _Command] = {
    ("switch", "on"): _fixed("switch", "switch", "on"),
    ("switch", "off"): _fixed("switch", "switch", "off"),
    ("switchLevel", "setLevel"): _setter("switchLevel", "level", _number(0, 100)),
    ("airConditionerMode", "setAirConditionerMode"): _setter(
        "airConditionerMode", "airConditionerMode", lambda v: v in _AC_MODES),
    ("airConditionerFanMode", "setFanMode"): _setter("airConditionerFanMode", "fanMode", lambda v: v in _FAN_MODES),
    ("thermostatCoolingSetpoint", "setCoolingSetpoint"): _setter(
        "thermostatCoolingSetpoint", "coolingSetpoint", _number(16, 30)),
    ("washerOperatingState", "setMachineState"): _machine_state,
    ("robotCleanerMovement", "setRobotCleanerMovement"): _setter(
        "robotCleanerMovement", "robotCleanerMovement", lambda v: v in ("homing", "idle", "cleaning", "pause")),
    ("audioVolume", "setVolume"): _setter("audioVolume", "volume", _number(0, 100)),
    ("audioMute", "mute"): _fixed("audioMute", "mute", "muted"),
    ("audioMute", "unmute"): _fixed("audioMute", "mute", "unmuted"),
    ("tvChannel", "setTvChannel"): _setter("tvChannel", "tvChannel", lambda v: isinstance(v, str) and v.isdigit()),
    ("lock", "lock"): _fixed("lock", "lock", "locked"),
    ("lock", "unlock"): _fixed("lock", "lock", "unlocked"),
}  # fmt: skip


class SmartThingsServer(StandInServer):
    """The stand-in cloud. `devices` is its live data; tests change it to play the world."""

    def __init__(self, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        self.devices = canned_devices()
        self.app.router.add_get("/v1/locations", self._locations)
        self.app.router.add_get("/v1/locations/{id}/rooms", self._rooms)
        self.app.router.add_get("/v1/devices", self._list)
        self.app.router.add_get("/v1/devices/{id}", self._device)
        self.app.router.add_get("/v1/devices/{id}/status", self._status)
        self.app.router.add_post("/v1/devices/{id}/commands", self._commands)

    # -- for tests --------------------------------------------------------------------------------

    def value(self, device_id: str, capability: str, attribute: str, component: str = "main") -> Any:
        return self.devices[device_id]["status"][component][capability][attribute]["value"]

    def update(self, device_id: str, capability: str, attribute: str, value: Any, component: str = "main") -> None:
        """Change a device as the world would (someone uses its remote)."""
        self.devices[device_id]["status"][component][capability][attribute]["value"] = value

    def report_power(self, device_id: str, energy_wh: float, power_w: float) -> None:
        """Give a device the `powerConsumptionReport` Samsung appliances have: `energy`, the Wh used since
        it was installed (a cumulative count), `power` the W it draws now."""
        report = {
            "energy": energy_wh,
            "power": power_w,
            "deltaEnergy": 0,
            "powerEnergy": 0,
            "persistedEnergy": 0,
            "energySaved": 0,
            "start": "2026-01-01T00:00:00Z",
            "end": "2026-01-01T00:15:00Z",
        }
        self.devices[device_id]["status"]["main"]["powerConsumptionReport"] = {"powerConsumption": _attr(report)}

    # -- errors -----------------------------------------------------------------------------------

    def render_fault(self, fault: Fault) -> web.Response:
        if fault is Fault.UNAUTHORIZED:
            return _error(401, "UnauthorizedError", "Unauthorized")
        if fault is Fault.RATE_LIMITED:
            seconds = self.faults.retry_after_s
            headers = {"Retry-After": str(seconds), "X-RateLimit-Reset": str(seconds * 1000)}
            return _error(429, "TooManyRequestError", "Too many requests", headers)
        return _error(500, "InternalServerError", "Internal server error")

    def _authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.token}"

    def _find(self, request: web.Request) -> tuple[str, dict[str, Any]] | web.Response:
        if not self._authorized(request):
            return _error(401, "UnauthorizedError", "Unauthorized")
        device_id = request.match_info["id"]
        device = self.devices.get(device_id)
        if device is None:
            return _error(404, "NotFoundError", f"device {device_id} not found")
        return device_id, device

    # -- handlers ---------------------------------------------------------------------------------

    async def _locations(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return _error(401, "UnauthorizedError", "Unauthorized")
        return web.json_response({"items": [{"locationId": LOCATION, "name": "우리집"}], "_links": {}})

    async def _rooms(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return _error(401, "UnauthorizedError", "Unauthorized")
        if request.match_info["id"] != LOCATION:
            return _error(404, "NotFoundError", "location not found")
        rooms = [{"roomId": rid, "locationId": LOCATION, "name": name} for rid, name in ROOMS.items()]
        return web.json_response({"items": rooms, "_links": {}})

    async def _list(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return _error(401, "UnauthorizedError", "Unauthorized")
        items = [_describe(device_id, d) for device_id, d in self.devices.items()]
        return web.json_response({"items": items, "_links": {}})

    async def _device(self, request: web.Request) -> web.Response:
        found = self._find(request)
        if isinstance(found, web.Response):
            return found
        return web.json_response(_describe(*found))

    async def _status(self, request: web.Request) -> web.Response:
        found = self._find(request)
        if isinstance(found, web.Response):
            return found
        return web.json_response({"components": copy.deepcopy(found[1]["status"])})

    async def _commands(self, request: web.Request) -> web.Response:
        found = self._find(request)
        if isinstance(found, web.Response):
            return found
        body = await request.json()
        commands = body.get("commands") if isinstance(body, Mapping) else None
        if not isinstance(commands, list) or not commands:
            return _error(422, "ConstraintViolationError", "commands: must not be empty")
        status = found[1]["status"]
        for command in commands:
            refused = _run(status, command)
            if refused is not None:
                return _error(422, "ConstraintViolationError", refused)
        results = [{"id": str(uuid.uuid4()), "status": "ACCEPTED"} for _ in commands]
        return web.json_response({"results": results})


def _run(status: dict[str, Any], command: Mapping[str, Any]) -> str | None:
    component = status.get(str(command.get("component", "main")))
    capability, name = str(command.get("capability")), str(command.get("command"))
    if component is None or capability not in component:
        return f"{capability} is not a capability of this component"
    handler = COMMANDS.get((capability, name))
    if handler is None:
        return f"{capability}.{name} is not a command"
    return handler(component, list(command.get("arguments") or []))


def _describe(device_id: str, device: Mapping[str, Any]) -> dict[str, Any]:
    components = [
        {
            "id": component, "label": component,
            "capabilities": [{"id": cap, "version": 1} for cap in capabilities],
            "categories": [{"name": device["category"], "categoryType": "manufacturer"}],
        }
        for component, capabilities in device["status"].items()
    ]  # fmt: skip
    described: dict[str, Any] = {
        "deviceId": device_id, "name": device["category"], "label": device["label"],
        "manufacturerName": "Samsung Electronics", "presentationId": f"ST-{device['category']}",
        "locationId": LOCATION, "ownerId": "owner-1", "components": components,
        "createTime": "2025-06-01T09:00:00.000Z", "profile": {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, device_id))},
        "type": "OCF", "restrictionTier": 0, "allowed": [], "executionContext": "CLOUD",
    }  # fmt: skip
    if device["room"] is not None:
        described["roomId"] = device["room"]
    return described


def _error(status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> web.Response:
    body = {"requestId": str(uuid.uuid4()), "error": {"code": code, "message": message, "details": []}}
    return web.json_response(body, status=status, headers=headers)
