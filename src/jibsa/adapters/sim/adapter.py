"""`SimAdapter`: the built-in simulator as a `DeviceAdapter`. It keeps every device's state, applies
actions at once, and ticks on the injected clock, advancing only devices with something going on
(running cycles, moving curtains, rooms warming or cooling); sensors drift once a minute.

Reports carry only what changed. Bookkeeping keys ("_…") change on every tick but are reported
only with a visible change (or with a command), so the hub persists them without being flooded.

A metered home (one whose home file has an `energy:` section, or `sim: {power: true}`) also hears what
each device draws, `power_w` (power.py), with the change that moved it; devices whose draw changes
with time alone (a fridge's duty cycle, an air conditioner holding its target) are looked at each tick.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Mapping, Sequence
from typing import Any

from jibsa.domain import Device, DeviceAction
from jibsa.hub.adapter import AdapterContext, AdapterSink, DeviceError, DeviceNotAnswering
from jibsa.hub.clock import Clock

from . import power
from .base import Simulator, changed
from .registry import simulator_for
from .rooms import RoomReadings

log = logging.getLogger(__name__)

UNRESPONSIVE_OPTION = "sim_unresponsive"  # a device option in the home file: this device never answers


class SimAdapter:
    """Simulated devices for one home. Build it with `create_adapter` (the `jibsa.adapters` entry point)."""

    name = "sim"

    def __init__(
        self,
        clock: Clock,
        saved_states: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        tick_s: float = 1.0,
        drift_s: float = 60.0,
        rng: random.Random | None = None,
        metered: bool = False,
    ) -> None:
        self.clock = clock
        self.tick_s = tick_s
        self.drift_s = drift_s
        self._saved = dict(saved_states or {})
        self._rng = rng if rng is not None else random.Random(0)
        self._sims: dict[str, Simulator] = {}
        self._states: dict[str, dict[str, Any]] = {}
        self._pending: dict[str, dict[str, Any]] = {}  # bookkeeping changed since the last report
        self._advanced_at: dict[str, float] = {}
        self._active: dict[str, None] = {}  # an ordered set: ticks run in a repeatable order
        self._drifting: list[str] = []
        self._rooms = RoomReadings(self._sims, self._states)  # one temperature and humidity per room
        self._silent: set[str] = set()
        self._last_drift = 0.0
        self._sink: AdapterSink | None = None
        self._task: asyncio.Task[None] | None = None
        self._metered = metered
        self._devices: dict[str, Device] = {}
        self._drawing_alone: dict[str, None] = {}  # metered devices whose draw changes with time alone

    # -- DeviceAdapter ---------------------------------------------------------------------------

    async def start(self, devices: Sequence[Device], sink: AdapterSink) -> None:
        """Take each device's saved state over its out-of-the-box one, report it, and start ticking."""
        now = self.clock.now()
        for device in devices:
            self._add(device, now)
        for leader in self._rooms.leaders:
            self._share(leader)  # before the sink: the full states reported next already agree
        self._sink = sink
        self._last_drift = now
        for device_id, state in self._states.items():
            if device_id in self._silent:
                sink.availability_reported(device_id, False)
            else:
                sink.state_reported(device_id, dict(state))
        self._task = asyncio.create_task(self._run(now + self.tick_s), name="jibsa-sim-ticks")
        await asyncio.sleep(0)  # let the task reach its first sleep, so the very next tick is on time

    async def stop(self) -> None:
        """Stop ticking; nothing is reported after this returns."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._sink = None

    async def send(self, action: DeviceAction) -> None:
        """Apply `action` and report the new values before returning."""
        device_id = action.device_id
        if device_id not in self._states:
            raise DeviceError(f"the simulator has no device '{device_id}'", "unknown_device")
        if device_id in self._silent:
            raise DeviceNotAnswering(f"{device_id} does not answer (simulated fault)")
        self._advance(device_id, self.clock.now())
        values = self._sims[device_id].apply(action, self._states[device_id], self.clock.now())
        self._merge(device_id, values, command=True)
        self._rooms.changed(device_id)
        self._share(device_id)

    # -- for tests and demos ---------------------------------------------------------------------

    def set_answering(self, device_id: str, answering: bool) -> None:
        """Make a device stop answering (commands raise `DeviceNotAnswering`, availability False)
        or answer again (availability True and its full state)."""
        self._require(device_id)
        if answering == (device_id not in self._silent):
            return
        if answering:
            self._silent.discard(device_id)
            self._pending[device_id].clear()
            if self._sink is not None:
                self._sink.availability_reported(device_id, True)
                self._sink.state_reported(device_id, dict(self._states[device_id]))
        else:
            self._silent.add(device_id)
            if self._sink is not None:
                self._sink.availability_reported(device_id, False)

    def inject(self, device_id: str, values: Mapping[str, Any]) -> None:
        """Change a device as the world would (someone opens the fridge, motion in the hall, a hot
        room: `{"_ambient": 31}`), unchecked, and report it."""
        self._require(device_id)
        self._advance(device_id, self.clock.now())
        self._merge(device_id, values, command=True)
        self._rooms.changed(device_id)
        self._share(device_id)

    def state(self, device_id: str) -> dict[str, Any]:
        """A copy of a device's full state, bookkeeping included."""
        return dict(self._require(device_id))

    @property
    def active_devices(self) -> tuple[str, ...]:
        """The devices ticked now (the others have nothing going on)."""
        return tuple(self._active)

    # -- inside ----------------------------------------------------------------------------------

    def _require(self, device_id: str) -> dict[str, Any]:
        state = self._states.get(device_id)
        if state is None:
            raise DeviceError(f"the simulator has no device '{device_id}'", "unknown_device")
        return state

    def _add(self, device: Device, now: float) -> None:
        sim = simulator_for(device.type)
        state = sim.initial_state(device)
        saved = self._saved.get(device.id, {})
        # Keep saved values the type still has (the home file may have changed) and all bookkeeping.
        state.update({k: v for k, v in saved.items() if k in state or k.startswith("_")})
        self._sims[device.id] = sim
        self._states[device.id] = state
        self._devices[device.id] = device
        if self._metered:
            self._draw(device.id, now)
        self._rooms.add(device, sim)
        self._pending[device.id] = {}
        self._advanced_at[device.id] = now
        if sim.drifts:
            self._drifting.append(device.id)
        if device.options.get(UNRESPONSIVE_OPTION):
            self._silent.add(device.id)
        self._update_activity(device.id)

    async def _run(self, next_tick: float) -> None:
        while True:
            await self.clock.sleep_until(next_tick)
            now = self.clock.now()
            self.tick(now)
            next_tick += self.tick_s
            if next_tick <= now:  # the clock jumped (a suspended laptop): do not replay missed ticks
                next_tick = now + self.tick_s

    def tick(self, now: float) -> None:
        """Advance the active devices to `now`, and the drifting ones when their minute has come."""
        for device_id in list(self._active):
            self._advance_safely(device_id, now)
        for device_id in list(self._drawing_alone):
            self._report_draw(device_id, now)
        if now - self._last_drift >= self.drift_s:
            self._last_drift = now
            for device_id in self._drifting:
                self._advance_safely(device_id, now)

    def _advance_safely(self, device_id: str, now: float) -> None:
        try:
            self._advance(device_id, now)
        except Exception:  # a broken model must not stop the other devices; it stops being ticked
            log.exception("sim: %s failed to advance; it will no longer change on its own", device_id)
            self._active.pop(device_id, None)

    def _advance(self, device_id: str, now: float) -> None:
        dt = now - self._advanced_at[device_id]
        self._advanced_at[device_id] = now
        if dt <= 0:
            return
        values = self._sims[device_id].advance(self._states[device_id], dt, self._rng)
        followed = self._rooms.not_own(device_id)
        self._merge(device_id, {k: v for k, v in values.items() if k not in followed}, command=False)
        self._share(device_id)

    def _share(self, device_id: str) -> None:
        """Give the room's other devices the reading `device_id` leads (see rooms.py)."""
        for other, values in self._rooms.shares(device_id):
            self._merge(other, values, command=False)

    def _merge(self, device_id: str, values: Mapping[str, Any], *, command: bool) -> None:
        state = self._states[device_id]
        diff = changed(state, values)
        state.update(diff)
        drawn = self._draw(device_id, self.clock.now()) if self._metered else {}
        self._update_activity(device_id)
        pending = self._pending[device_id]
        visible = {k: v for k, v in diff.items() if not k.startswith("_")} | drawn
        pending.update({k: v for k, v in diff.items() if k.startswith("_")})
        if device_id in self._silent or self._sink is None or not (visible or command):
            return
        report = {**pending, **(values if command else visible), **drawn}
        pending.clear()
        if report:
            self._sink.state_reported(device_id, report)

    def _draw(self, device_id: str, now: float) -> dict[str, Any]:
        """`{"power_w": W}` when the device's draw changed (kept in its state), else {}."""
        state = self._states[device_id]
        device = self._devices[device_id]
        if power.varies_alone(device, state):
            self._drawing_alone[device_id] = None
        else:
            self._drawing_alone.pop(device_id, None)
        watts = power.watts(device, state, now)
        if watts is None or state.get("power_w") == watts:
            return {}
        state["power_w"] = watts
        return {"power_w": watts}

    def _report_draw(self, device_id: str, now: float) -> None:
        drawn = self._draw(device_id, now)
        if drawn and device_id not in self._silent and self._sink is not None:
            self._sink.state_reported(device_id, drawn)

    def _update_activity(self, device_id: str) -> None:
        if self._sims[device_id].is_active(self._states[device_id]):
            self._active[device_id] = None
        else:
            self._active.pop(device_id, None)


def create_adapter(ctx: AdapterContext) -> SimAdapter:
    """The simulator for `ctx.home`. Settings: `tick_s` (seconds between ticks, default 1),
    `drift_s` (seconds between sensor drifts, default 60), `seed` (of the sensors' random walk, default 0),
    `power` (report each device's draw; default: when the home file has an `energy:` section)."""
    metered = ctx.settings.get("power", ctx.home.energy is not None)
    return SimAdapter(
        ctx.clock,
        ctx.saved_states,
        tick_s=_positive(ctx.settings, "tick_s", 1.0),
        drift_s=_positive(ctx.settings, "drift_s", 60.0),
        rng=random.Random(int(ctx.settings.get("seed", 0))),
        metered=str(metered).lower() not in ("false", "0", "no"),
    )


def _positive(settings: Mapping[str, Any], key: str, default: float) -> float:
    raw = settings.get(key, default)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = 0.0
    if not value > 0:
        raise ValueError(f"sim settings: {key} must be a positive number of seconds, not {raw!r}")
    return value
