"""Numbers as both languages write them."""

from __future__ import annotations


def number_text(value: float) -> str:
    """24.0 -> '24', 24.5 -> '24.5'."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
