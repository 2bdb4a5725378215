"""Carrying one command out on each of its targets, side by side, each with its own result.

A device that does not answer within the timeout, or whose adapter fails, gets a failed result
naming it; the other targets carry on. A result is ok only when the device's own state shows the
change (`Delivery.DONE`) or the device has no way to report it (`Delivery.SENT`); a device that
reports state but did not show the change within the confirmation timeout gets `UNCONFIRMED`.
An acknowledged result is returned only once the change it made is durable.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any, Protocol

from jibsa.domain import (
    Command,
    Delivery,
    Device,
    ErrorCode,
    Home,
    TargetResult,
    needs_confirmation,
    plan_action,
    refusal_for_role,
)
from jibsa.domain.actions import DeviceAction, Plan
from jibsa.domain.results import public_state
from jibsa.domain.said import Said
from jibsa.hub.adapter import DeviceAdapter, DeviceError, Receipt
from jibsa.hub.adoption import AdoptionBook
from jibsa.hub.clock import Clock
from jibsa.hub.events import EventBus
from jibsa.hub.expectations import Expected, StateWatch, expected_state, shows
from jibsa.hub.outcome import Actor
from jibsa.hub.states import StateTable

log = logging.getLogger(__name__)
CAUSE_AFTER_S = 30.0  # what a device reports this long after a command (a curtain moving) is the command's doing


def _failed(target: str, code: ErrorCode, message: str, said: Said | None = None, **detail: Any) -> TargetResult:
    return TargetResult(target, False, code, message, detail=detail, said=said)


class TargetHost(Protocol):
    """What carrying out commands needs of the hub (the hub satisfies it; no import of it here)."""

    home: Home
    adoption: AdoptionBook
    clock: Clock
    bus: EventBus

    @property
    def states(self) -> StateTable: ...

    async def flush(self) -> None: ...

    def adapter_for(self, device: Device) -> DeviceAdapter | None: ...


class TargetRunner:
    def __init__(self, hub: TargetHost, timeout: float, confirm_timeout: float) -> None:
        self._hub = hub
        self._timeout = timeout
        self._confirm_timeout = confirm_timeout
        self._watch = StateWatch(hub.bus)

    async def run(
        self, command: Command, targets: Sequence[str], actor: Actor, confirmed: bool
    ) -> tuple[TargetResult, ...]:
        if not targets:
            return ()
        unique = list(dict.fromkeys(targets))
        if len(unique) == 1:  # the common case: no task to create
            results = [await self._one(command, unique[0], actor, confirmed)]
        else:
            results = await asyncio.gather(*(self._one(command, t, actor, confirmed) for t in unique))
        if any(r.ok and r.changes for r in results):
            await self._hub.flush()
        return tuple(results)

    def precheck(self, command: Command, target: str, actor: Actor) -> TargetResult | None:
        """The refusal `command` would meet on `target` now, before anything is sent."""
        checked = self._check(command, target, actor)
        return checked if isinstance(checked, TargetResult) else None

    def _check(self, command: Command, target: str, actor: Actor) -> TargetResult | tuple[Device, Plan]:
        device = self._hub.home.device(target)
        if target in self._hub.adoption.waiting:
            return _failed(
                target, ErrorCode.NOT_ALLOWED, f"{target} waits for an owner to adopt it", awaiting_adoption=True
            )
        if device is None:
            return _failed(target, ErrorCode.UNKNOWN_DEVICE, f"no device '{target}'")
        plan = plan_action(device, command, self._hub.states.get(target))
        refusal = refusal_for_role(actor.role, device, command) or plan.refusal
        if refusal is not None:
            return _failed(target, refusal.code, refusal.message, **refusal.detail)
        return device, plan

    async def _one(self, command: Command, target: str, actor: Actor, confirmed: bool) -> TargetResult:
        checked = self._check(command, target, actor)
        if isinstance(checked, TargetResult):
            return checked
        device, plan = checked
        if plan.query is not None:
            return self._query(device, plan.query)
        if needs_confirmation(device, command) and not confirmed:
            return _failed(target, ErrorCode.NEEDS_CONFIRMATION, f"{target}: needs confirmation", intent="unlock")
        cause = {"by": actor.name, "via": actor.source, "intent": command.intent}
        if actor.voice is not None:  # for "왜?": whose voice asked
            cause["voice"] = actor.voice
        self._hub.states.expect_cause(device.id, cause, self._hub.clock.now() + self._timeout + CAUSE_AFTER_S)
        return await self._send(device, plan)

    def _query(self, device: Device, prop: str) -> TargetResult:
        state = public_state(self._hub.states.get(device.id))
        shown = {prop: state.get(prop)} if prop else state
        if not self._hub.states.available(device.id):
            return TargetResult(
                device.id,
                False,
                ErrorCode.NOT_ANSWERING,
                f"{device.id} is not answering",
                state=shown,
                detail={"last_known": True},
            )
        return TargetResult(device.id, True, state=shown, detail={"property": prop} if prop else {})

    async def _send(self, device: Device, plan: Plan) -> TargetResult:
        assert plan.action is not None
        if not self._hub.states.available(device.id):
            return _failed(device.id, ErrorCode.NOT_ANSWERING, f"{device.id} is not answering")
        adapter = self._hub.adapter_for(device)
        if adapter is None:
            return _failed(device.id, ErrorCode.NOT_ANSWERING, f"no adapter '{device.vendor}' for {device.id}")
        before = public_state(self._hub.states.get(device.id))
        trusted = self._hub.states.trusted(device.id)  # as it was when sent: a report meanwhile may be stale
        expected = expected_state(device, plan.action)
        shown = self._watch.expect(device, expected)  # before sending: the state may come back at once
        try:
            delivered = await self._deliver(adapter, device, plan.action, expected, shown, trusted=trusted)
        finally:
            self._watch.forget(device.id, shown)
        if isinstance(delivered, TargetResult):
            if delivered.delivery is Delivery.UNCONFIRMED or delivered.error is ErrorCode.NOT_ANSWERING:
                self._hub.states.doubt(device.id)  # it may have got the command: its next report decides
            return delivered
        after = public_state(self._hub.states.get(device.id))
        changes = {k: v for k, v in after.items() if before.get(k) != v}
        return TargetResult(device.id, True, changes=changes, state=after, clamps=plan.clamps, delivery=delivered)

    async def _deliver(
        self,
        adapter: DeviceAdapter,
        device: Device,
        action: DeviceAction,
        expected: Expected,
        shown: asyncio.Future[None],
        *,
        trusted: bool,
    ) -> TargetResult | Delivery:
        """Send `action` and, when the device reports state, wait for the state to show it (`shown`):
        how far the delivery got, or the failed result. A state that already shows it confirms it only
        when the state was `trusted` when sent and still is (`StateTable.doubt`)."""
        try:
            async with asyncio.timeout(self._timeout):  # not wait_for: it can swallow a cancellation on 3.11
                receipt = await adapter.send(action)
        except TimeoutError:
            return _failed(device.id, ErrorCode.NOT_ANSWERING, f"{device.id} did not answer in {self._timeout:g} s")
        except DeviceError as exc:
            return _failed(device.id, _code(exc.code), "" if exc.said else str(exc), exc.said)
        except Exception as exc:  # an adapter bug must not take the hub down; say which device
            log.exception("adapter %r failed on %s", adapter.name, device.id)
            return _failed(device.id, ErrorCode.DEVICE_ERROR, f"{device.id}: {type(exc).__name__}")
        if receipt is None or receipt is Receipt.APPLIED:
            return Delivery.DONE
        if receipt is Receipt.NO_STATE:
            return Delivery.SENT
        states = self._hub.states
        if (
            expected is not None
            and trusted
            and states.trusted(device.id)
            and shows(device, states.get(device.id), expected)
        ):
            return Delivery.DONE  # already so, and nothing says the device has drifted from what it last said
        try:
            async with asyncio.timeout(self._confirm_timeout):
                await shown
        except TimeoutError:
            return TargetResult(
                device.id,
                False,
                ErrorCode.UNCONFIRMED,
                f"{device.id}: sent, but its state did not show it within {self._confirm_timeout:g} s",
                detail={"expected": dict(expected or {})},
                delivery=Delivery.UNCONFIRMED,
            )
        return Delivery.DONE


def _code(value: str) -> ErrorCode:
    try:
        return ErrorCode(value)
    except ValueError:
        return ErrorCode.DEVICE_ERROR
