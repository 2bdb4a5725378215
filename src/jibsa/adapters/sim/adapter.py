"""`SimAdapter`: the built-in simulator as a `DeviceAdapter`. It keeps every device's state, applies
actions at once, and ticks on the injected clock, advancing only devices with something going on
(running cycles, moving curtains, rooms warming or cooling); sensors drift once a minute.

Ticks fall on a grid (every `tick_s` from the start), but the adapter wakes only for the ticks where
something can change: an active device's next tick after what it shows (or draws) can next change
(`Simulator.quiet_for`: a room's reading turning over to the next 0.1 °C; every tick for a running
washer), the drift's tick, the tick after a metered device's duty cycle turns. A home with nothing
going on sleeps on nothing (no task, no timer), so a worker can hold thousands of idle homes; a command
or an injected change wakes it.

Reports carry only what changed. Bookkeeping keys ("_…") change on every tick but are reported
only with a visible change (or with a command), so the hub persists them without being flooded.

A metered home (one whose home file has an `energy:` section, or `sim: {power: true}`) also hears what
each device draws, `power_w` (power.py), with the change that moved it; devices whose draw changes
with time alone (a fridge's duty cycle, an air conditioner holding its target) are looked at on the
tick after their cycle turns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
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
_EARLY = 1e-6  # seconds: a duty cycle that turns this close after a tick is looked at on that tick


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
        self._active: dict[str, float] = {}  # device -> when it next needs a tick; ordered: ticks run in order
        self._drifting: list[str] = []
        self._rooms = RoomReadings(self._sims, self._states)  # one temperature and humidity per room
        self._silent: set[str] = set()
        self._last_drift = 0.0
        self._sink: AdapterSink | None = None
        self._task: asyncio.Task[None] | None = None
        self._metered = metered
        self._devices: dict[str, Device] = {}
        self._drawing: set[str] = set()  # metered devices on the mains (`power.draws`)
        self._drawing_alone: dict[str, float] = {}  # metered devices whose draw changes with time alone: when
        self._origin = 0.0  # the tick grid: origin + k * tick_s
        self._wakes_at = math.inf  # the tick the task sleeps until

    # -- DeviceAdapter ---------------------------------------------------------------------------

    async def start(self, devices: Sequence[Device], sink: AdapterSink) -> None:
        """Take each device's saved state over its out-of-the-box one, report it, and start ticking."""
        now = self.clock.now()
        for device in devices:
            self._add(device, now)
        for leader in self._rooms.leaders:
            self._share(leader)  # before the sink: the full states reported next already agree
        self._sink = sink
        self._last_drift = self._origin = now
        for device_id, state in self._states.items():
            if device_id in self._silent:
                sink.availability_reported(device_id, False)
            else:
                sink.state_reported(device_id, dict(state))
        self._schedule()
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
        if self._schedule():
            await asyncio.sleep(0)  # as in start: the task sleeps before the caller moves on

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
        self._schedule()

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
        if self._metered and power.draws(device):
            self._drawing.add(device.id)
            self._draw(device.id, now)
        self._rooms.add(device, sim)
        self._pending[device.id] = {}
        self._advanced_at[device.id] = now
        if sim.drifts:
            self._drifting.append(device.id)
        if device.options.get(UNRESPONSIVE_OPTION):
            self._silent.add(device.id)
        self._update_activity(device.id)

    def _schedule(self) -> bool:
        """Start the ticking task when a tick is due sooner than it wakes (or it is not running); True if
        it was (re)started. Called after what can wake a device: start, a command, an injected change."""
        if self._sink is None:
            return False
        due = self._next_tick(self.clock.now())
        running = self._task is not None and not self._task.done()
        if due is None or (running and self._wakes_at <= due):
            return False
        if running and self._task is not asyncio.current_task():
            assert self._task is not None
            self._task.cancel()  # asleep until a later tick: sleep until this one instead
        self._wakes_at = due
        self._task = asyncio.create_task(self._run(due), name="jibsa-sim-ticks")
        return True

    async def _run(self, due: float) -> None:
        while True:
            await self.clock.sleep_until(due)
            now = self.clock.now()
            self.tick(now)
            following = self._next_tick(now)
            if following is None:  # nothing going on: sleep on nothing until a command or a change
                self._wakes_at = math.inf
                return
            due = self._wakes_at = following

    def _next_tick(self, now: float) -> float | None:
        """The first tick after `now` at which something can change, or None when nothing can."""
        if not (self._active or self._drawing_alone or self._drifting):
            return None
        first = min(min(self._active.values(), default=math.inf), min(self._drawing_alone.values(), default=math.inf))
        if self._drifting:
            first = min(first, self._last_drift + self.drift_s)
        return max(self._grid(now), self._grid(first - _EARLY))

    def _grid(self, t: float) -> float:
        """The first tick strictly after `t`."""
        return self._origin + (math.floor((t - self._origin) / self.tick_s) + 1) * self.tick_s

    def tick(self, now: float) -> None:
        """Advance the active devices to `now`, and the drifting ones when their minute has come."""
        for device_id, due in list(self._active.items()):
            if due <= now + _EARLY:
                self._advance_safely(device_id, now)
        for device_id, turns in list(self._drawing_alone.items()):
            if turns <= now + _EARLY:
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
        if values:  # (nothing to filter else; `_share` looks up the same leaders `not_own` would)
            followed = self._rooms.not_own(device_id)
            values = {k: v for k, v in values.items() if k not in followed}
        self._merge(device_id, values, command=False)
        self._share(device_id)

    def _share(self, device_id: str) -> None:
        """Give the room's other devices the reading `device_id` leads (see rooms.py)."""
        for other, values in self._rooms.shares(device_id):
            self._merge(other, values, command=False)

    def _merge(self, device_id: str, values: Mapping[str, Any], *, command: bool) -> None:
        state = self._states[device_id]
        diff = changed(state, values)
        state.update(diff)
        # A draw that changes with the state alone stays what it was while the state does.
        drawn = self._draw(device_id, self.clock.now()) if diff or device_id in self._drawing_alone else {}
        self._update_activity(device_id)
        if not (diff or drawn or command):
            return
        pending = self._pending[device_id]
        visible: dict[str, Any] = {}
        for key, value in diff.items():
            if key.startswith("_"):
                pending[key] = value
            else:
                visible[key] = value
        if device_id in self._silent or self._sink is None or not (visible or drawn or command):
            return
        report = {**pending, **(values if command else visible), **drawn}
        pending.clear()
        if report:
            self._sink.state_reported(device_id, report)

    def _draw(self, device_id: str, now: float) -> dict[str, Any]:
        """`{"power_w": W}` when the device's draw changed (kept in its state), else {}."""
        if device_id not in self._drawing:  # not metered, or off the mains: never draws, never varies alone
            return {}
        state = self._states[device_id]
        device = self._devices[device_id]
        turns = power.next_change(device, state, now)
        if turns is not None:
            self._drawing_alone[device_id] = turns
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
        sim, state = self._sims[device_id], self._states[device_id]
        if not sim.is_active(state):
            self._active.pop(device_id, None)
            return
        marks = power.reading_marks(self._devices[device_id], state) if self._metered else ()
        self._active[device_id] = self.clock.now() + sim.quiet_for(state, marks)


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
