"""jibsa's named light colours and the colour forms MQTT lights speak (hue/saturation, RGB, CIE xy,
colour temperature in mireds).

A name goes out as the light's own form; what comes back is read as the nearest name, measured on
the hue/saturation disc (white at its centre), so a light set to "파란색" reads back as blue even
when it reports (0.136, 0.04) in xy.
"""

from __future__ import annotations

import colorsys
import math

# Hue in degrees, saturation in percent: where each name sits on the colour disc.
NAMED_HS: dict[str, tuple[float, float]] = {
    "white": (0, 0), "warm_white": (30, 55), "red": (0, 100), "orange": (30, 100), "yellow": (55, 100),
    "green": (120, 100), "blue": (240, 100), "purple": (280, 100), "pink": (330, 55),
}  # fmt: skip
WHITE_MIREDS = {"white": 250, "warm_white": 370}  # 4,000 K and 2,700 K
_WARM_FROM_MIREDS = 310  # at or above: warm white


def nearest_name(hue: float, saturation: float) -> str:
    """The named colour closest to (hue°, saturation%)."""

    def point(h: float, s: float) -> tuple[float, float]:
        return s * math.cos(math.radians(h)), s * math.sin(math.radians(h))

    x, y = point(hue, saturation)
    return min(NAMED_HS, key=lambda name: math.dist((x, y), point(*NAMED_HS[name])))


def hs_of(name: str) -> tuple[float, float]:
    return NAMED_HS[name]


def rgb_of(name: str) -> tuple[int, int, int]:
    hue, sat = NAMED_HS[name]
    r, g, b = colorsys.hsv_to_rgb(hue / 360, sat / 100, 1.0)
    return round(r * 255), round(g * 255), round(b * 255)


def xy_of(name: str) -> tuple[float, float]:
    """CIE 1931 xy of the named colour (sRGB primaries, D65 white)."""
    linear = [_linear(c / 255) for c in rgb_of(name)]
    x = 0.4124 * linear[0] + 0.3576 * linear[1] + 0.1805 * linear[2]
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    z = 0.0193 * linear[0] + 0.1192 * linear[1] + 0.9505 * linear[2]
    total = x + y + z
    return (round(x / total, 4), round(y / total, 4)) if total else (0.3127, 0.329)


def name_from_rgb(r: float, g: float, b: float) -> str:
    hue, sat, _ = colorsys.rgb_to_hsv(max(0.0, r) / 255, max(0.0, g) / 255, max(0.0, b) / 255)
    return nearest_name(hue * 360, sat * 100)


def name_from_xy(x: float, y: float) -> str:
    if y <= 0:
        raise ValueError(f"({x}, {y}) is not a colour")
    big_x, big_z = x / y, (1 - x - y) / y
    linear = (
        3.2406 * big_x - 1.5372 - 0.4986 * big_z,
        -0.9689 * big_x + 1.8758 + 0.0415 * big_z,
        0.0557 * big_x - 0.2040 + 1.0570 * big_z,
    )
    top = max(*linear, 1e-9)
    return name_from_rgb(*(255 * _gamma(max(0.0, c) / top) for c in linear))


def name_from_mireds(mireds: float) -> str:
    return "warm_white" if mireds >= _WARM_FROM_MIREDS else "white"


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055
