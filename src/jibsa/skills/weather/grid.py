"""KMA's 5 km forecast grid: latitude and longitude to (nx, ny) by the Lambert conformal conic
projection the short-range forecast API documents (its `dfs_xy_conv`)."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.00877
GRID_KM = 5.0
STANDARD_LAT_1 = 30.0
STANDARD_LAT_2 = 60.0
ORIGIN_LON = 126.0
ORIGIN_LAT = 38.0
ORIGIN_X = 43
ORIGIN_Y = 136


def _half_angle_tan(latitude_rad: float) -> float:
    return math.tan(math.pi * 0.25 + latitude_rad * 0.5)


def to_grid(latitude: float, longitude: float) -> tuple[int, int]:
    """The (nx, ny) grid point of a place: Seoul City Hall (37.5665, 126.9780) -> (60, 127)."""
    radians = math.pi / 180.0
    re = EARTH_RADIUS_KM / GRID_KM
    lat1, lat2 = STANDARD_LAT_1 * radians, STANDARD_LAT_2 * radians
    sn = math.log(math.cos(lat1) / math.cos(lat2)) / math.log(_half_angle_tan(lat2) / _half_angle_tan(lat1))
    sf = _half_angle_tan(lat1) ** sn * math.cos(lat1) / sn
    ro = re * sf / _half_angle_tan(ORIGIN_LAT * radians) ** sn
    ra = re * sf / _half_angle_tan(latitude * radians) ** sn
    theta = longitude * radians - ORIGIN_LON * radians
    if theta > math.pi:
        theta -= 2.0 * math.pi
    if theta < -math.pi:
        theta += 2.0 * math.pi
    theta *= sn
    nx = math.floor(ra * math.sin(theta) + ORIGIN_X + 0.5)
    ny = math.floor(ro - ra * math.cos(theta) + ORIGIN_Y + 0.5)
    return nx, ny
