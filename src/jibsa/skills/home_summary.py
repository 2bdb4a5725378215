"""list_jobs ("예약 뭐 있어?") and query_home ("지금 집 상태 어때?"): answers from the scheduler and
the state table. Each answer carries its facts and, under "said", the sentence in Korean and English
(the catalogue's `home_summary` section, words/ko.yaml and en.yaml)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from jibsa.domain import Command, Device, DeviceType
from jibsa.domain.asked_state import in_state
from jibsa.domain.korean import about_text, clock_text, fill, join_names, number_text
from jibsa.hub import Outcome, SkillHost
from jibsa.hub.store import PendingJob
from jibsa.nlu import naming
from jibsa.words import catalogue, word

_OPENABLE = frozenset({DeviceType.DOOR_LOCK, DeviceType.WINDOW, DeviceType.GARAGE_DOOR})


def _texts() -> dict[str, Any]:
    return {lang: catalogue(lang)["home_summary"] for lang in ("ko", "en")}


async def list_jobs(command: Command, hub: SkillHost) -> Outcome:
    """The timers, delayed commands and schedules still waiting, soonest first."""
    jobs = hub.pending_jobs()
    now = hub.clock.now()
    facts = [{"id": j.id, "kind": j.kind, "intent": j.command.get("intent"), "targets": list(j.command.get("targets")
              or []), "due": j.due, "repeat": j.repeat, "name": j.name} for j in jobs]  # fmt: skip
    said = {lang: _jobs_sentence(hub, jobs, now, lang) for lang in ("ko", "en")}
    return Outcome(command, answer={"jobs": facts, "said": said})


async def query_home(command: Command, hub: SkillHost) -> Outcome:
    """What is on, what is open, and the temperatures the sensors read."""
    states = {d.id: hub.state(d.id) for d in hub.home.devices}
    on = [d for d in hub.home.devices if d.type is not DeviceType.SENSOR and states[d.id].get("power") is True]
    opened = [d for d in hub.home.devices if d.type in _OPENABLE and in_state(states[d.id], "open")]
    temperatures = _temperatures(hub, states)
    said = {lang: _home_sentence(on, opened, temperatures, lang) for lang in ("ko", "en")}
    return Outcome(
        command,
        answer={"on": [d.id for d in on], "open": [d.id for d in opened], "temperatures": temperatures, "said": said},
    )


def said(answer: Mapping[str, Any], ko: bool) -> str:
    """The sentence of a list_jobs or query_home answer (the shape of skill_replies' speakers)."""
    sentences = answer.get("said") or {}
    return str(sentences.get("ko" if ko else "en", ""))


def _temperatures(hub: SkillHost, states: Mapping[str, Mapping[str, Any]]) -> dict[str, float]:
    """The first temperature read in each room, by room name."""
    out: dict[str, float] = {}
    for device in hub.home.devices:
        value = states[device.id].get("temperature") if device.type is DeviceType.SENSOR else None
        room = hub.home.room(device.room) if device.room else None
        if isinstance(value, (int, float)) and room is not None:
            out.setdefault(room.name, float(value))
    return out


def _home_sentence(on: list[Device], opened: list[Device], temperatures: Mapping[str, float], lang: str) -> str:
    texts = _texts()[lang]
    parts = [fill(str(texts["powered"]), {"names": _names([d.name for d in on], lang)}, lang) if on
             else str(texts["none_powered"]),
             fill(str(texts["opened"]), {"names": _names([d.name for d in opened], lang)}, lang) if opened
             else str(texts["none_opened"])]  # fmt: skip
    if temperatures:
        unit = texts["degrees"]
        readings = ", ".join(f"{room} {number_text(value)}{unit}" for room, value in temperatures.items())
        parts.append(fill(str(texts["temperatures"]), {"readings": readings}, lang))
    return " ".join(parts)


def _names(names: list[str], lang: str) -> str:
    """ "거실 TV와 보일러" in Korean (the sentence's ending agrees with the last name), "거실 TV, 보일러" in English."""
    return join_names(names) if lang == "ko" else ", ".join(names)


def _jobs_sentence(hub: SkillHost, jobs: list[PendingJob], now: float, lang: str) -> str:
    texts = _texts()[lang]
    if not jobs:
        return str(texts["no_jobs"])
    described = ", ".join(_job_words(hub, job, now, lang) for job in jobs)
    return str(texts["jobs"]).format(count=len(jobs), jobs=described)


def _job_words(hub: SkillHost, job: PendingJob, now: float, lang: str) -> str:
    texts = _texts()[lang]
    if job.kind == "timer":
        left = max(0.0, job.due - now)
        return str(texts["timer"]).format(left=about_text(left) if lang == "ko" else f"{round(left / 60)} min")
    shown = datetime.fromtimestamp(job.due, hub.timezone).strftime("%H:%M")
    when = clock_text(shown) if lang == "ko" else shown
    if job.repeat:
        when = f"{texts['repeats'].get(job.repeat, job.repeat)} {when}"
    intent = str(job.command.get("intent", ""))
    ids = [t for t in job.command.get("targets") or [] if hub.home.device(t) is not None]
    scene = hub.home.scene(str((job.command.get("params") or {}).get("scene", "")))
    action = texts["actions"].get(intent, intent)
    if lang == "ko":  # "거실 천장등과 거실 스탠드 끄기"
        names = [*(hub.home.device(t).name for t in ids), *([scene.name] if scene is not None else [])]  # type: ignore[union-attr]
        return f"{when} {join_names(names)} {action}".replace("  ", " ").strip()
    named = [word("{devices}", {"devices": naming.named(hub.home, ids)}, "en")] if ids else []  # "turn off the boiler"
    if scene is not None:  # "run away mode": its English name when the home file gives one
        named.append(word("{scene}", {"scene": naming.scene(hub.home, scene.id)}, "en"))
    return " ".join([when, action, " and ".join(named)]).strip()
