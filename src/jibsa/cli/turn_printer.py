"""Printing a conversation turn: the reply, then what changed on which device."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from jibsa.conversation import Turn
from jibsa.domain import Home

_console = Console(highlight=False)


def format_value(value: Any) -> str:
    if value is True:
        return "켜짐"
    if value is False:
        return "꺼짐"
    return str(value)


def _name(home: Home, device_id: str) -> str:
    device = home.device(device_id)
    return device.name if device else device_id


def print_turn(home: Home, turn: Turn) -> None:
    _console.print(f"[bold]{turn.reply}[/bold]")
    for outcome in turn.outcomes:
        if outcome.scheduled is not None:
            _console.print(f"  [cyan]예약됨[/cyan] {outcome.command.intent} → job {outcome.scheduled.id[:8]}")
        for result in outcome.results:
            name = _name(home, result.target)
            if not result.ok:
                _console.print(f"  [red]✗ {name}[/red]: {result.error.value if result.error else ''} {result.message}")
                continue
            for prop, value in result.changes.items():
                _console.print(f"  [green]✓ {name}[/green]: {prop} → {format_value(value)}")


def announce(home: Home, event: object) -> None:
    """Say what happened on its own while chatting: a timer rang, a scheduled command ran."""
    from jibsa.hub import JobFired, TimerFinished

    if isinstance(event, TimerFinished):
        name = f"{event.job.name} " if event.job.name else ""
        _console.print(f"\n[bold yellow]⏰ {name}타이머가 끝났어요.[/bold yellow]")
    elif isinstance(event, JobFired):
        names = [_name(home, r.target) for r in event.outcome.results]
        state = "했어요" if event.outcome.ok else "하지 못했어요"
        _console.print(f"\n[cyan]예약한 일을 {state}: {event.job.command.get('intent')} {', '.join(names)}[/cyan]")
