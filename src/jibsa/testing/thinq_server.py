"""A local stand-in for LG's ThinQ Connect cloud, following its published API.

Paths (relative to the base address the SDK is pointed at): `GET /devices`, `GET /devices/{id}/
profile`, `GET /devices/{id}/state`, `POST /devices/{id}/control`, `GET /route`, and the energy API
the SDK calls (`ThinQApi.async_get_device_energy_profile`, `async_get_device_energy_usage`):
`GET /devices/energy/{id}/profile` answers `{"result": {"property": ["totalEnergy"]}}` for a device
that reports energy, `GET /devices/energy/{id}/usage?property=&period=DAILY|MONTHLY&startDate=&endDate=`
answers `{"result": {"dataList": [{"usedDate": "YYYYMMDD" or "YYYYMM", "totalEnergy": Wh}]}}` (the
SDK's Home Assistant bridge sums the property's values of `dataList`; the date key's name is not in
the SDK, so jibsa reads only the values). Every request must
carry `Authorization: Bearer <token>`, `x-country`, `x-message-id`, `x-client-id` and `x-api-key`.
Answers are `{"messageId", "timestamp", "response"}`; errors `{"messageId", "timestamp", "error":
{"code", "message"}}` with LG's codes: 1218 invalid token (HTTP 401), 1216 incorrect header, 1205
no such device, 1306 too many calls (HTTP 429, with Retry-After), 2000 internal error (HTTP 500),
2207 invalid command, 1102 unacceptable parameter, 2301 remote control is off.

The canned account holds a washer, dryer, dishwasher, air conditioner, refrigerator, air purifier,
robot cleaner and a styler (a type jibsa has no counterpart for). Controls change the state.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from jibsa.testing.standin import Fault, StandInServer

TOKEN = "thinqpat_local_test_token"
WASHER = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f01"
DRYER = "b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f0102"
DISHWASHER = "c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f010203"
AIR_CONDITIONER = "d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f01020304"
REFRIGERATOR = "e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f0102030405"
AIR_PURIFIER = "f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f010203040506"
ROBOT_CLEANER = "0718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f01020304050607"
STYLER = "18293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f0102030405060708"

_APPLIANCE_MODES = ["START", "STOP", "POWER_OFF", "WAKE_UP"]
_TO_RUN_STATE = {"START": "RUNNING", "STOP": "PAUSE", "POWER_OFF": "POWER_OFF", "WAKE_UP": "INITIAL"}


def _appliance(mode_key: str, *, location: bool) -> tuple[Any, dict[str, Any]]:
    state: dict[str, Any] = {
        "runState": {"currentState": "POWER_OFF"},
        "remoteControlEnable": {"remoteControlEnabled": True},
        "timer": {"remainHour": 0, "remainMinute": 0, "totalHour": 0, "totalMinute": 0},
    }
    controls = {"operation": {mode_key: _APPLIANCE_MODES}}
    if location:
        return [{"location": {"locationName": "MAIN"}, **state}], controls
    return state, controls


def canned_devices() -> dict[str, dict[str, Any]]:
    """The account's devices: type, model, alias, state and what each control accepts."""
    washer, washer_controls = _appliance("washerOperationMode", location=True)
    dryer, dryer_controls = _appliance("dryerOperationMode", location=True)
    dishwasher, dishwasher_controls = _appliance("dishWasherOperationMode", location=False)
    return {
        WASHER: _entry("DEVICE_WASHER", "F24WDWP", "세탁기", washer, washer_controls),
        DRYER: _entry("DEVICE_DRYER", "RD20GNG", "건조기", dryer, dryer_controls),
        DISHWASHER: _entry("DEVICE_DISH_WASHER", "DUE6BGL", "식기세척기", dishwasher, dishwasher_controls),
        AIR_CONDITIONER: _entry(
            "DEVICE_AIR_CONDITIONER",
            "FQ18HDKHA1",
            "거실 에어컨",
            {
                "airConJobMode": {"currentJobMode": "COOL"},
                "operation": {"airConOperationMode": "POWER_OFF"},
                "temperature": {"currentTemperature": 27.5, "targetTemperature": 24, "unit": "C"},
                "airFlow": {"windStrength": "AUTO"},
            },
            {
                "airConJobMode": {"currentJobMode": ["COOL", "AIR_DRY", "FAN", "HEAT", "AUTO"]},
                "operation": {"airConOperationMode": ["POWER_ON", "POWER_OFF"]},
                "temperature": {"targetTemperature": (16, 30), "unit": ["C"]},
                "airFlow": {"windStrength": ["LOW", "MID", "HIGH", "AUTO"]},
            },
        ),
        REFRIGERATOR: _entry(
            "DEVICE_REFRIGERATOR",
            "M874GBB551",
            "냉장고",
            {
                "doorStatus": [{"locationName": "MAIN", "doorState": "CLOSE"}],
                "temperatureInUnits": [
                    {"locationName": "FRIDGE", "targetTemperatureC": 3, "unit": "C"},
                    {"locationName": "FREEZER", "targetTemperatureC": -18, "unit": "C"},
                ],
            },
            {"temperatureInUnits": {"FRIDGE": (0, 7), "FREEZER": (-23, -15)}},
        ),
        AIR_PURIFIER: _entry(
            "DEVICE_AIR_PURIFIER",
            "AS353NS3A",
            "공기청정기",
            {
                "airPurifierJobMode": {"currentJobMode": "AUTO"},
                "operation": {"airPurifierOperationMode": "POWER_ON"},
                "airFlow": {"windStrength": "MID"},
                "airQualitySensor": {"PM2": 12, "totalPollutionLevel": "GOOD", "monitoringEnabled": "ALWAYS"},
            },
            {
                "airPurifierJobMode": {"currentJobMode": ["AUTO", "SLEEP", "CLEAN"]},
                "operation": {"airPurifierOperationMode": ["POWER_ON", "POWER_OFF"]},
                "airFlow": {"windStrength": ["LOW", "MID", "HIGH"]},
            },
        ),
        ROBOT_CLEANER: _entry(
            "DEVICE_ROBOT_CLEANER",
            "R9MASTER",
            "로봇청소기",
            {
                "runState": {"currentState": "CHARGING"},
                "robotCleanerJobMode": {"currentJobMode": "ZIGZAG"},
                "battery": {"level": "HIGH", "percent": 90},
            },
            {"operation": {"cleanOperationMode": ["START", "PAUSE", "HOMING"]}},
        ),
        STYLER: _entry("DEVICE_STYLER", "S5MB", "스타일러", {"runState": {"currentState": "POWER_OFF"}}, {}),
    }


def _entry(kind: str, model: str, alias: str, state: Any, controls: dict[str, Any]) -> dict[str, Any]:
    return {"type": kind, "model": model, "alias": alias, "state": state, "controls": controls, "online": True}


class ThinQServer(StandInServer):
    """The stand-in cloud. `devices` is its live data; tests change it to play the world."""

    def __init__(self, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        self.devices = canned_devices()
        # Controls the cloud accepted that its appliances have not carried out yet (`hold_controls`).
        self.held: list[tuple[str, dict[str, Any]]] | None = None
        self.app.router.add_get("/devices", self._list)
        self.app.router.add_get("/devices/{id}/profile", self._profile)
        self.app.router.add_get("/devices/{id}/state", self._state)
        self.app.router.add_post("/devices/{id}/control", self._control)
        self.app.router.add_get("/route", self._route)
        self.app.router.add_get("/devices/energy/{id}/profile", self._energy_profile)
        self.app.router.add_get("/devices/energy/{id}/usage", self._energy_usage)
        self.energy: dict[str, dict[str, float]] = {}  # device id -> "YYYYMMDD" -> Wh used that day

    # -- for tests --------------------------------------------------------------------------------

    def state(self, device_id: str) -> Any:
        return self.devices[device_id]["state"]

    def main_state(self, device_id: str) -> dict[str, Any]:
        """The state of a device, or of its MAIN location for washers and dryers."""
        state = self.state(device_id)
        return dict(state[0]) if isinstance(state, list) else dict(state)

    def update(self, device_id: str, resource: str, values: Mapping[str, Any]) -> None:
        """Change a device as the world would (someone presses a button on it)."""
        state = self.state(device_id)
        target = state[0] if isinstance(state, list) else state
        target.setdefault(resource, {}).update(values)

    def hold_controls(self) -> None:
        """From now on the cloud accepts controls (200) but its appliances do not carry them out
        until `carry_out_held` — as a real appliance gets its command from the cloud some time later,
        or never when it has dropped off the network."""
        self.held = []

    def carry_out_held(self) -> None:
        """The appliances carry out every held control, in order, and stop holding."""
        held, self.held = self.held or [], None
        for device_id, payload in held:
            _apply_control(self.devices[device_id], payload)

    def use_energy(self, device_id: str, day: dt.date, wh: float) -> None:
        """The appliance used `wh` more on `day` (what LG's cloud reports of it, a day at a time)."""
        days = self.energy.setdefault(device_id, {})
        key = day.strftime("%Y%m%d")
        days[key] = days.get(key, 0.0) + wh

    # -- errors -----------------------------------------------------------------------------------

    def render_fault(self, fault: Fault) -> web.Response:
        if fault is Fault.UNAUTHORIZED:
            return _error(401, "1218", "Invalid token")
        if fault is Fault.RATE_LIMITED:
            return _error(429, "1306", "Exceeded API calls", {"Retry-After": str(self.faults.retry_after_s)})
        return _error(500, "2000", "Internal server error")

    def _check(self, request: web.Request) -> web.Response | None:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _error(401, "1218", "Invalid token")
        for header in ("x-country", "x-message-id", "x-client-id", "x-api-key"):
            if not request.headers.get(header):
                return _error(400, "1216", f"Incorrect header: {header}")
        return None

    def _device(self, request: web.Request) -> dict[str, Any] | web.Response:
        refused = self._check(request)
        if refused is not None:
            return refused
        device = self.devices.get(request.match_info["id"])
        if device is None:
            return _error(400, "1205", "Not exist device")
        if not device["online"]:
            return _error(400, "1222", "Not connected device")
        return device

    # -- handlers ---------------------------------------------------------------------------------

    async def _list(self, request: web.Request) -> web.Response:
        refused = self._check(request)
        if refused is not None:
            return refused
        listing = [
            {"deviceId": device_id, "deviceInfo": {
                "deviceType": d["type"], "modelName": d["model"], "alias": d["alias"], "reportable": True,
            }}
            for device_id, d in self.devices.items()
        ]  # fmt: skip
        return _ok(request, listing)

    async def _profile(self, request: web.Request) -> web.Response:
        device = self._device(request)
        if isinstance(device, web.Response):
            return device
        return _ok(request, _profile_of(device))

    async def _state(self, request: web.Request) -> web.Response:
        device = self._device(request)
        if isinstance(device, web.Response):
            return device
        return _ok(request, copy.deepcopy(device["state"]))

    async def _control(self, request: web.Request) -> web.Response:
        device = self._device(request)
        if isinstance(device, web.Response):
            return device
        payload = await request.json()
        if self.held is not None:
            self.held.append((request.match_info["id"], payload))
            return _ok(request, {})
        refused = _apply_control(device, payload)
        if refused is not None:
            return refused
        return _ok(request, {})

    async def _energy_profile(self, request: web.Request) -> web.Response:
        device = self._device(request)
        if isinstance(device, web.Response):
            return device
        if request.match_info["id"] not in self.energy:
            return _error(400, "2207", "Not supported energy")
        return _ok(request, {"result": {"property": ["totalEnergy"]}})

    async def _energy_usage(self, request: web.Request) -> web.Response:
        device = self._device(request)
        if isinstance(device, web.Response):
            return device
        days = self.energy.get(request.match_info["id"])
        query = request.query
        period, start, end = query.get("period"), query.get("startDate", ""), query.get("endDate", "")
        width = {"DAILY": 8, "MONTHLY": 6}.get(str(period))
        if (
            days is None
            or query.get("property") != "totalEnergy"
            or width is None
            or len(start) != width
            or len(end) != width
        ):
            return _error(400, "1102", "Unacceptable parameter")
        totals: dict[str, float] = {}
        for day, wh in days.items():
            if start <= day[:width] <= end:
                totals[day[:width]] = totals.get(day[:width], 0.0) + wh
        data = [{"usedDate": when, "totalEnergy": wh} for when, wh in sorted(totals.items())]
        return _ok(request, {"result": {"dataList": data}})

    async def _route(self, request: web.Request) -> web.Response:
        return _ok(request, {"apiServer": self.base_url, "mqttServer": "mqtts://localhost:8883"})


def _apply_control(device: dict[str, Any], payload: Mapping[str, Any]) -> web.Response | None:
    """Change the device as LG's cloud would; an error response when the control is not accepted."""
    state = device["state"][0] if isinstance(device["state"], list) else device["state"]
    for resource, values in payload.items():
        if resource == "location":
            continue
        accepted = device["controls"].get(resource)
        if accepted is None or not isinstance(values, Mapping):
            return _error(400, "2207", f"Invalid command: {resource}")
        if resource == "temperatureInUnits":
            refused = _set_fridge(state, accepted, values)
        else:
            refused = _set_resource(state, resource, accepted, values)
        if refused is not None:
            return refused
    return None


def _set_resource(
    state: dict[str, Any], resource: str, accepted: Mapping[str, Any], values: Mapping[str, Any]
) -> web.Response | None:
    for prop, value in values.items():
        allowed = accepted.get(prop)
        if allowed is None:
            return _error(400, "2207", f"Invalid command: {resource}.{prop}")
        if isinstance(allowed, tuple):
            if not isinstance(value, (int, float)) or not allowed[0] <= value <= allowed[1]:
                return _error(400, "1102", f"Unacceptable parameter: {prop}={value!r}")
        elif value not in allowed:
            return _error(400, "1102", f"Unacceptable parameter: {prop}={value!r}")
    for prop, value in values.items():
        if prop.endswith("OperationMode") and prop not in ("airConOperationMode", "airPurifierOperationMode"):
            refused = _operate(state, prop, str(value))
            if refused is not None:
                return refused
        else:
            state.setdefault(resource, {})[prop] = value
    return None


def _operate(state: dict[str, Any], prop: str, mode: str) -> web.Response | None:
    if prop == "cleanOperationMode":
        state["runState"]["currentState"] = {"START": "CLEANING", "PAUSE": "PAUSE", "HOMING": "HOMING"}[mode]
        return None
    if mode == "START" and not state.get("remoteControlEnable", {}).get("remoteControlEnabled"):
        return _error(400, "2301", "Command not supported in remote off")
    state["runState"]["currentState"] = _TO_RUN_STATE[mode]
    timer = state.setdefault("timer", {})
    if mode == "START" and not (timer.get("remainHour") or timer.get("remainMinute")):
        timer.update(remainHour=1, remainMinute=10, totalHour=1, totalMinute=10)
    if mode == "POWER_OFF":
        timer.update(remainHour=0, remainMinute=0)
    return None


def _set_fridge(state: dict[str, Any], accepted: Mapping[str, Any], values: Mapping[str, Any]) -> web.Response | None:
    location = values.get("locationName")
    value = values.get("targetTemperatureC")
    bounds = accepted.get(str(location))
    if bounds is None or not isinstance(value, (int, float)) or not bounds[0] <= value <= bounds[1]:
        return _error(400, "1102", f"Unacceptable parameter: {location}={value!r}")
    for entry in state["temperatureInUnits"]:
        if entry["locationName"] == location:
            entry["targetTemperatureC"] = value
    return None


def _profile_of(device: Mapping[str, Any]) -> dict[str, Any]:
    """A profile in LG's shape: each resource's properties with type, mode (r/w) and values."""
    state = device["state"][0] if isinstance(device["state"], list) else device["state"]
    properties: dict[str, Any] = {}
    for resource, values in state.items():
        if resource == "location" or not isinstance(values, Mapping):
            continue
        properties[resource] = {prop: {"type": _kind(v), "mode": ["r"]} for prop, v in values.items()}
    for resource, props in device["controls"].items():
        for prop, allowed in props.items():
            if isinstance(allowed, tuple):
                spec = {"type": "range", "mode": ["r", "w"], "value": {"w": {"min": allowed[0], "max": allowed[1]}}}
            else:
                spec = {"type": "enum", "mode": ["w"], "value": {"w": list(allowed)}}
            properties.setdefault(resource, {})[prop] = spec
    body: dict[str, Any] = {"notification": {"push": []}}
    if isinstance(device["state"], list):
        body["property"] = [{"location": {"locationName": "MAIN"}, **properties}]
    else:
        body["property"] = properties
    return body


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "enum"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _ok(request: web.Request, response: Any) -> web.Response:
    body = {"messageId": request.headers.get("x-message-id", ""), "timestamp": _now(), "response": response}
    return web.json_response(body)


def _error(status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> web.Response:
    body = {"messageId": "", "timestamp": _now(), "error": {"code": code, "message": message}}
    return web.json_response(body, status=status, headers=headers)
