"""`jibsa status`: every device's state, by room, readable at a glance."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from jibsa.cli.common import add_home_options

# How a property reads in the status table, in Korean.
LABELS = {
    "power": "전원", "brightness": "밝기", "color": "색", "temperature": "온도", "current_temperature": "현재",
    "mode": "모드", "fan_speed": "바람", "humidity": "습도", "current_humidity": "현재 습도",
    "run_state": "상태", "remaining_time": "남은 시간", "cycle": "코스", "battery": "배터리", "volume": "볼륨",
    "channel": "채널", "mute": "음소거", "position": "열림", "lock": "잠금", "valve": "밸브",
    "freezer_temperature": "냉동", "door": "문", "air_quality": "공기", "pm25": "PM2.5", "co2": "CO₂",
}  # fmt: skip
UNITS = {"brightness": "%", "temperature": "°C", "current_temperature": "°C", "humidity": "%", "battery": "%",
         "current_humidity": "%", "position": "%", "freezer_temperature": "°C", "pm25": "µg/m³", "co2": "ppm"}
WORDS = {"locked": "잠김", "unlocked": "열림", "open": "열림", "closed": "잠김", "idle": "대기", "running": "동작 중",
         "paused": "일시정지", "finished": "완료", "docked": "충전대", "cleaning": "청소 중", "returning": "복귀 중",
         "cool": "냉방", "heat": "난방", "dry": "제습", "fan": "송풍", "auto": "자동", "low": "약", "mid": "중",
         "high": "강", "good": "좋음", "moderate": "보통", "bad": "나쁨", "very_bad": "매우 나쁨", "sleep": "취침",
         "turbo": "터보", "away": "외출", "hot_water": "온수"}  # fmt: skip


def register(subparsers: Any) -> None:
    status = subparsers.add_parser("status", help="show every device's state, by room")
    add_home_options(status)
    status.set_defaults(handler=_status)


def describe(state: Mapping[str, Any]) -> str:
    """A device's state as one short line: "켜짐 · 밝기 80% · 색 white"."""
    parts: list[str] = []
    for key, value in state.items():
        if key == "power":
            parts.insert(0, "[green]켜짐[/green]" if value else "[dim]꺼짐[/dim]")
        elif key == "remaining_time":
            if value:
                parts.append(f"남은 시간 {int(value) // 60}분")
        elif isinstance(value, bool):
            if value:
                parts.append(f"[yellow]{LABELS.get(key, key)}[/yellow]")
        else:
            shown = WORDS.get(value, value) if isinstance(value, str) else value
            parts.append(f"{LABELS.get(key, key)} {shown}{UNITS.get(key, '')}")
    return " · ".join(str(p) for p in parts) or "-"


def _status(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from jibsa.cli.runtime import run_with_home

    async def body(running: Any) -> int:
        hub = running.hub
        home = hub.home  # the home as it is now, with devices discovered at start (MQTT, ThinQ, SmartThings)
        table = Table(title=f"{home.name}", show_lines=False, header_style="bold")
        table.add_column("방")
        table.add_column("기기")
        table.add_column("상태")
        groups = [(room.name, home.devices_in(room.id)) for room in home.rooms]
        groups.append(("집 전체", home.devices_in(None)))
        for room_name, devices in groups:
            for i, device in enumerate(devices):
                line = describe(hub.state(device.id))
                if not hub.states.available(device.id):
                    line = "[red]응답 없음[/red] · " + line
                table.add_row(room_name if i == 0 else "", device.name, line, end_section=i == len(devices) - 1)
        Console().print(table)
        pending = hub.pending_jobs()
        if pending:
            print(f"예약 {len(pending)}건")
        return 0

    result: int = run_with_home(args, body)
    return result
