"""Where this billing period's use is heading: the pace so far carried to the period's end, with a
range that says how sure that is.

The pace is the use so far over the time so far. Days differ (a hot day, a laundry day): the spread of
the whole days measured so far, carried over the days left as independent days, plus the doubt in the
pace itself (fewer days seen, more doubt), gives an 80 % range. With fewer than three whole days the
spread is not known; a day-to-day spread of `ASSUMED_SPREAD` of the pace is assumed and the
projection is said to be rough whatever its range.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

Z_80 = 1.2816  # the normal distribution's 10th–90th percentile half-width, in standard deviations
ASSUMED_SPREAD = 0.3  # day-to-day spread of a household's use, as a share of the mean, when not yet seen
MIN_DAYS = 3  # whole days before the spread is measured rather than assumed
SURE = 0.07  # half the range under 7 % of the projection: "거의 확실"
ROUGH = 0.2  # under 20 %: "대략"; above: early days
MIN_ELAPSED_DAYS = 1 / 24  # an hour of the period before any projection


@dataclass(frozen=True, slots=True)
class Projection:
    kwh: float
    low_kwh: float
    high_kwh: float
    confidence: str  # "high", "medium" or "low"


def project(used_kwh: float, elapsed_days: float, period_days: float, whole_days: Sequence[float]) -> Projection | None:
    """The period's use at its end, from `used_kwh` over `elapsed_days` (whole days' use: `whole_days`);
    None before an hour of the period has passed."""
    if elapsed_days < MIN_ELAPSED_DAYS:
        return None
    rate = used_kwh / elapsed_days
    remaining = max(period_days - elapsed_days, 0.0)
    measured = len(whole_days) >= MIN_DAYS
    spread = statistics.stdev(whole_days) if measured else ASSUMED_SPREAD * rate
    seen = max(elapsed_days, 1.0)
    deviation = math.sqrt(remaining * spread**2 + (remaining * spread) ** 2 / seen)
    middle = used_kwh + rate * remaining
    half = Z_80 * deviation
    relative = half / middle if middle > 0 else 0.0
    confidence = "low" if not measured or relative >= ROUGH else "high" if relative < SURE else "medium"
    return Projection(middle, max(used_kwh, middle - half), middle + half, confidence)
