"""What the CLI prints, as plain lines in one language: a conversation turn (the reply, then what
changed on which device) and the home's status table. The server's local endpoint renders the same
lines, so `jibsa say` reads the same whether it runs the home itself or asks a running server."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from jibsa.domain import DeviceType, Home, Room
from jibsa.nlu import naming
from jibsa.presentation.state_words import StateWords, state_words
from jibsa.words.catalogue import word

if TYPE_CHECKING:
    from jibsa.hub import Hub, PendingJob


def turn_lines(
    home: Home, turn: Mapping[str, Any], language: str, timezone: tzinfo, *, in_chat: bool = False
) -> list[str]:
    """A turn (`Turn.to_dict()`): the reply, then a line per change, failure and scheduled job. What to
    say to confirm depends on where: "응" in a chat, `--yes` on the command line."""
    words = state_words(language)
    lines = [str(turn["reply"])]
    for outcome in turn.get("outcomes", ()):
        if "scheduled" in outcome:
            lines.append("  " + _scheduled(home, outcome, words, timezone))
        for result in outcome.get("results", ()):
            lines.extend("  " + line for line in _result_lines(home, result, words))
    if turn.get("needs_confirmation"):
        lines.append("  " + words.phrase("chat_confirm_hint" if in_chat else "confirm_hint"))
    return lines


def command_words(home: Home, command: Mapping[str, Any], words: StateWords) -> str:
    """A command as people say it: "거실 에어컨, 안방 에어컨 끄기", "영화 모드 실행"."""
    scene_id = (command.get("params") or {}).get("scene")
    if command.get("intent") == "run_scene" and scene_id:  # the scene by its name, in English its `name_en`
        names = word("{scene}", {"scene": naming.scene(home, str(scene_id))}, words.language)
    else:
        names = ", ".join(_name(home, str(t), words) for t in command.get("targets", ()))
    return words.phrase("command", targets=names, intent=words.intent(str(command.get("intent", "")))).strip()


def _scheduled(home: Home, outcome: Mapping[str, Any], words: StateWords, timezone: tzinfo) -> str:
    job = outcome["scheduled"]
    when = datetime.fromtimestamp(float(job["due"]), timezone).strftime("%H:%M")
    repeat = f" ({words.value(job['repeat'])})" if job.get("repeat") else ""
    return words.phrase(
        "scheduled", what=command_words(home, outcome["command"], words), when=when + repeat, job=str(job["id"])[:8]
    )


def _result_lines(home: Home, result: Mapping[str, Any], words: StateWords) -> list[str]:
    name = _name(home, str(result["target"]), words)
    if not result.get("ok"):
        reason = words.error(str(result.get("error", "")))
        detail = result.get("message") if words.language == "en" else None  # adapters explain in English
        return [f"✗ {name}: {reason}" + (f" ({detail})" if detail else "")]
    device = home.device(str(result["target"]))
    kind = device.type if device is not None else DeviceType.SENSOR
    said = [words.property(kind, prop, value) for prop, value in (result.get("changes") or {}).items()]
    return [f"✓ {name}: {s}" for s in said if s]


def _name(home: Home, device_id: str, words: StateWords) -> str:
    """A device as a reply in this language names it ("거실 에어컨", "the living room air conditioner")."""
    return word("{device|label}", {"device": naming.named(home, [device_id])}, words.language)


def _room_name(room: Room, words: StateWords) -> str:
    """A room as this language names it ("거실", "the living room")."""
    return word("{room|label}", {"room": naming.room_named(room)}, words.language)


def hub_status(hub: Hub, language: str) -> list[str]:
    """Every device's state by room, as an aligned table, and how many jobs are pending."""
    words = state_words(language)
    home = hub.home  # the home as it is now, with devices discovered at start (MQTT, ThinQ, SmartThings)
    rows: list[tuple[str, str, str]] = [(words.phrase("room"), words.phrase("device"), words.phrase("state"))]
    groups = [(_room_name(room, words), home.devices_in(room.id)) for room in home.rooms]
    groups.append((words.phrase("whole_home"), home.devices_in(None)))
    for room_name, devices in groups:
        for i, device in enumerate(devices):
            said = words.describe(device.type, hub.state(device.id))
            if not hub.states.available(device.id):
                said = f"{words.word('unavailable')} · {said}"
            rows.append((room_name if i == 0 else "", _name(home, device.id, words), said))
    lines = [home.name, *_aligned(rows)]
    jobs = hub.pending_jobs()
    if jobs:
        lines.append(words.phrase("pending_jobs", count=len(jobs)))
        lines.extend("  " + _job_line(home, job, words, hub.timezone) for job in sorted(jobs, key=lambda j: j.due))
    return lines


def _job_line(home: Home, job: PendingJob, words: StateWords, timezone: tzinfo) -> str:
    """A pending timer or scheduled command: "⏱ 거실 에어컨, 안방 에어컨 끄기 — 18:40 (매일)"."""
    if job.kind == "timer":
        what = words.phrase("timer_named", name=f"{job.name} " if job.name else "")
    else:
        what = command_words(home, job.command, words)
    when = datetime.fromtimestamp(job.due, timezone).strftime("%H:%M")
    repeat = f" ({words.value(job.repeat)})" if job.repeat else ""
    return words.phrase("job_line", what=what, when=when) + repeat


def _aligned(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip() for row in rows]


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
