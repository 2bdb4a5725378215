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


def print_turn(home: Home, turn: Turn) -> None:
    _console.print(f"[bold]{turn.reply}[/bold]")
    for outcome in turn.outcomes:
        if outcome.scheduled is not None:
            _console.print(f"  [cyan]예약됨[/cyan] {outcome.command.intent} → job {outcome.scheduled.id[:8]}")
        for result in outcome.results:
            device = home.device(result.target)
            name = device.name if device else result.target
            if not result.ok:
                _console.print(f"  [red]✗ {name}[/red]: {result.error.value if result.error else ''} {result.message}")
                continue
            for prop, value in result.changes.items():
                _console.print(f"  [green]✓ {name}[/green]: {prop} → {format_value(value)}")
