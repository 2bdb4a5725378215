"""Writes src/jibsa/web/vendor/icons.svg: the Lucide icons the dashboard uses, as one SVG sprite.

Run once when the list changes, from an unpacked `npm pack lucide-static` (no build step at run time):
    python scripts/vendor_icons.py /tmp/lucide/package/icons
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ICONS = (
    "lightbulb", "plug", "fan", "air-vent", "flame", "thermometer", "wind", "droplets", "droplet-off",
    "washing-machine", "shirt", "utensils", "refrigerator", "robot-vacuum", "tv", "speaker", "blinds",
    "panels-left-right", "app-window", "warehouse", "lock", "lock-open", "gauge", "activity", "star",
    "chevron-right", "x", "bell", "sun", "moon", "log-out", "user", "timer", "send", "house", "wifi-off",
    "sparkles", "clock", "power", "circle-alert", "heater", "sun-moon",
)  # fmt: skip
TARGET = Path(__file__).resolve().parents[1] / "src/jibsa/web/vendor/icons.svg"


def symbol(name: str, source: str) -> str:
    """The icon's drawing as a <symbol id="i-NAME">, without the outer <svg> and its licence comment."""
    body = re.search(r"<svg[^>]*>(.*)</svg>", source, re.S)
    if body is None:
        raise SystemExit(f"{name}.svg: no <svg> element")
    shapes = re.sub(r"\s+", " ", body.group(1)).strip()
    return f'<symbol id="i-{name}" viewBox="0 0 24 24">{shapes}</symbol>'


def main(icons_dir: Path) -> None:
    version = re.search(r"lucide-static v([\d.]+)", (icons_dir / "star.svg").read_text())
    symbols = "\n".join(symbol(name, (icons_dir / f"{name}.svg").read_text()) for name in ICONS)
    TARGET.write_text(
        f"<!-- Lucide icons (lucide-static {version.group(1) if version else '?'}, ISC licence: LICENSE-lucide) -->\n"
        f'<svg xmlns="http://www.w3.org/2000/svg">\n{symbols}\n</svg>\n'
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
