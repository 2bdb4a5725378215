"""One device's readings turned into energy over time, as spans of kWh spread evenly between two
moments, and spans cut into buckets (hours, five minutes).

- A power reading (W) holds until the next one: the energy between is W × the time.
- An energy meter's rise between two readings is the energy of that stretch, spread over it (a gap
  in readings spreads the rise over the gap). A fall is a new meter cycle or a replaced meter, as Home
  Assistant reads `total_increasing`: the new reading counts from zero. A rise faster than
  `MAX_PLAUSIBLE_W` could draw is no energy but a meter changed for another: the new reading becomes
  the zero point. The first reading is only the zero point.
- A device with an energy meter is measured by it; its power then only says what it draws now.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

KWH_PER_WATT_SECOND = 1 / 3_600_000
MAX_PLAUSIBLE_W = 100_000.0  # a home's main breaker passes far less (a Korean home: 3–30 kW)


@dataclass(frozen=True, slots=True)
class Span:
    """`kwh` used evenly over [start, end) (start == end: at one moment); `on_s`: seconds running in it."""

    start: float
    end: float
    kwh: float = 0.0
    on_s: float = 0.0


class DeviceMeter:
    """The energy of one device, from its readings in the order they came."""

    def __init__(self) -> None:
        self.power_w: float | None = None
        self._power_at = 0.0
        self.meter_kwh: float | None = None  # the last meter reading (the zero point of the next rise)
        self.meter_at = 0.0
        self.running: bool | None = None
        self._running_at = 0.0

    @property
    def metered(self) -> bool:
        return self.meter_kwh is not None

    def power(self, watts: float | None, at: float) -> list[Span]:
        """A new power reading (None: unknown from now on); the energy since the last one."""
        spans = self.until(at)
        self.power_w, self._power_at = watts, at
        return spans

    def meter(self, kwh: float, at: float) -> list[Span]:
        """A new meter reading; the energy since the last one, spread over the time between."""
        last, since = self.meter_kwh, self.meter_at
        self.meter_kwh, self.meter_at = kwh, at
        if last is None:
            return []
        rise = kwh if kwh < last else kwh - last  # a fall: a new cycle of the meter, counted up from zero since
        elapsed = max(at - since, 0.0)
        if rise > MAX_PLAUSIBLE_W * max(elapsed, 1.0) * KWH_PER_WATT_SECOND:
            return []  # not energy: a meter swapped for one with another count
        return [Span(since, at, rise)] if rise > 0 else []

    def run(self, running: bool | None, at: float) -> list[Span]:
        """The device started or stopped running; its running time since the last change."""
        spans = self._running_until(at)
        self.running, self._running_at = running, at
        return spans

    def until(self, at: float) -> list[Span]:
        """Energy drawn (from power, for a device without a meter) and running time, up to `at`."""
        spans = self._running_until(at)
        if self.power_w is not None and not self.metered and at > self._power_at:
            spans.append(Span(self._power_at, at, self.power_w * (at - self._power_at) * KWH_PER_WATT_SECOND))
        if self.power_w is not None:
            self._power_at = max(self._power_at, at)
        return spans

    def stop(self, at: float) -> list[Span]:
        """The device went quiet (unavailable): what it drew up to now, and nothing after."""
        spans = self.until(at)
        self.power_w = None
        self.running = None
        return spans

    def _running_until(self, at: float) -> list[Span]:
        spans = []
        if self.running and at > self._running_at:
            spans.append(Span(self._running_at, at, on_s=at - self._running_at))
        self._running_at = max(self._running_at, at)
        return spans


def buckets(span: Span, size_s: float) -> Iterator[tuple[float, float, float]]:
    """(bucket start, kWh, running seconds) of `span` cut at every multiple of `size_s`, each share in
    proportion to the time of the span within the bucket."""
    first = math.floor(span.start / size_s) * size_s
    if span.end <= first + size_s:  # within one bucket (or a moment): the common case, on every report
        yield first, span.kwh, span.on_s
        return
    length = span.end - span.start
    bucket = first
    while bucket < span.end:
        inside = min(span.end, bucket + size_s) - max(span.start, bucket)
        if inside > 0:
            share = inside / length
            yield bucket, span.kwh * share, span.on_s * share
        bucket += size_s
