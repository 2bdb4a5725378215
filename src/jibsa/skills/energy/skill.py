"""get_energy: what people ask about this month's electricity, answered from what the recorder kept.

The command's params: `topic` (bill, tier, next_tier, projection, compare, top, run_time) and, for
run_time, `device` (an id) or `kind` (a device type). The answer carries the facts (numbers and ids,
jibsa.energy.answers) and `said`, the sentence in each language (sentences.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

from jibsa.domain import Command, Home
from jibsa.domain.home_energy import EnergySettings
from jibsa.energy import answers, cycle_containing, load_tariff, previous_cycle
from jibsa.energy.recorder import EnergyRecorder
from jibsa.energy.store import EnergyStore
from jibsa.energy.usage import CycleUsage, cycle_usage, device_totals, home_use, start_of
from jibsa.hub import Outcome, Skill, SkillHost
from jibsa.skills.energy.sentences import say_energy, say_failure
from jibsa.skills.manifest import SkillManifest, read_manifest

TOPICS = frozenset({"bill", "tier", "next_tier", "projection", "compare", "top", "run_time"})


@cache
def _base_manifest() -> SkillManifest:
    text = resources.files("jibsa.skills.energy").joinpath("skill.yaml").read_text(encoding="utf-8")
    return read_manifest(text, "jibsa/skills/energy/skill.yaml")


def energy_manifest(home: Home) -> SkillManifest:
    """The energy skill's phrases, its `device` slot filled with `home`'s device names and aliases."""
    base = _base_manifest()
    devices = {d.id: tuple(d.names) for d in home.devices}
    return replace(base, slots={**base.slots, "device": devices})


def energy_skill(recorder: EnergyRecorder | None) -> Skill:
    """get_energy over what `recorder` keeps in the hub's store (None: no store that keeps energy)."""

    async def get_energy(command: Command, hub: SkillHost) -> Outcome:
        topic = str(command.params.get("topic") or "bill")
        topic = topic if topic in TOPICS else "bill"
        store = hub.store
        if recorder is None or not isinstance(store, EnergyStore):
            return _failed(command, topic, "no_store")
        await recorder.flush()  # what the recorder holds is in the store before it is read
        now = datetime.fromtimestamp(hub.clock.now(), hub.timezone)
        settings = hub.home.energy or EnergySettings()
        period = cycle_containing(now.date(), settings.reading_day)
        if topic == "run_time":
            facts = await _run_time(store, hub, command.params, now)
        else:
            usage = await cycle_usage(store, hub.home.id, period, now)
            if usage.measured_since is None:
                return _failed(command, topic, "nothing_yet")
            facts = await _facts(topic, store, hub.home, settings, usage)
        answer = {**facts, "topic": topic}
        said = {lang: say_energy(answer, hub.home, lang) for lang in ("ko", "en")}
        return Outcome(command, answer={**answer, "said": said})

    return get_energy


def _failed(command: Command, topic: str, reason: str) -> Outcome:
    said = {lang: say_failure(reason, lang) for lang in ("ko", "en")}
    return Outcome(command, error=f"energy_{reason}", answer={"topic": topic, "reason": reason, "said": said})


async def _facts(
    topic: str, store: EnergyStore, home: Home, settings: EnergySettings, usage: CycleUsage
) -> dict[str, Any]:
    tariff = load_tariff(settings.tariff)
    if topic in ("tier", "next_tier"):
        return answers.tier_facts(tariff, settings, usage)
    if topic == "projection":
        return answers.projection_facts(tariff, settings, usage)
    if topic == "top":
        return answers.top_facts(usage, settings)
    if topic == "compare":
        last = previous_cycle(usage.period, settings.reading_day)
        last_start = start_of(last.start, usage.now.tzinfo)
        last_end = start_of(last.end, usage.now.tzinfo)
        same = min(last_start + (usage.now - start_of(usage.period.start, usage.now.tzinfo)), last_end)
        last_same = await home_use(store, home.id, last_start, same)
        last_total = await home_use(store, home.id, last_start, last_end)
        return answers.compare_facts(usage, last_same, last_total, last_total > 0)
    return answers.bill_facts(tariff, settings, usage)


async def _run_time(store: EnergyStore, hub: SkillHost, params: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """Today's running time of the device asked about, or of every device of the kind asked about."""
    device_id, kind = params.get("device"), params.get("kind")
    ids = (
        [device_id]
        if device_id and hub.home.device(str(device_id))
        else [d.id for d in hub.home.devices if kind and d.type.value == kind]
    )
    midnight = datetime.combine(now.date(), datetime.min.time(), tzinfo=now.tzinfo)
    today = await device_totals(store, hub.home.id, midnight, now + timedelta(seconds=1))
    return answers.run_time_facts([str(i) for i in ids], today)
