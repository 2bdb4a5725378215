"""“정원등 왜 켜졌어?”: the last recorded change of a device, and what caused it — a person (and
how), a rule (and its trigger), a schedule, or the device itself."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jibsa.domain import Command
from jibsa.hub.outcome import Outcome
from jibsa.rules.engine import RuleEngine

_LOOK_BACK = 50  # changes of the device to search for the last one with a state people see


async def explain(engine: RuleEngine, command: Command) -> Outcome:
    hub = engine.hub
    device_id = command.targets[0] if command.targets else ""
    device = hub.home.device(device_id)
    if device is None:
        return Outcome(command, error="unknown_device")
    await hub.flush()  # the change just reported is in the history too
    entries = await hub.store.history(hub.home.id, device_id, limit=_LOOK_BACK)
    visible = [e for e in entries if {k for k, v in e.new.items() if e.old.get(k) != v and not k.startswith("_")}]
    answer: dict[str, Any] = {"device": device_id, "name": device.name}
    if not visible:
        return Outcome(command, answer=answer)
    last = visible[-1]
    changed = {k: v for k, v in last.new.items() if last.old.get(k) != v and not k.startswith("_")}
    answer.update(
        at=last.at,
        time=datetime.fromtimestamp(last.at, hub.timezone).strftime("%H:%M"),
        changed=changed,
        cause=dict(last.cause) if last.cause else None,
    )
    via = str((last.cause or {}).get("via", ""))
    if via.startswith("rule:"):
        rule = engine.rules.get(via.removeprefix("rule:"))
        watched = rule.when.devices() if rule else ()
        trigger_device = hub.home.device(watched[0]) if watched else None
        answer["rule"] = (
            {
                "name": rule.name,
                "when": rule.when.to_dict(),
                "device_name": trigger_device.name if trigger_device else "",
            }
            if rule
            else None
        )
    return Outcome(command, answer=answer)
