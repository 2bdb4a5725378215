"""The facts that answer each question about this month's electricity, from a period's use and the
tariff: plain numbers and ids (the skill words them). One function per question."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jibsa.domain.home_energy import EnergySettings
from jibsa.energy.billing import Bill, compute_bill, tier_edges
from jibsa.energy.projection import project
from jibsa.energy.tariff import Tariff, Voltage
from jibsa.energy.usage import CycleUsage

TOP = 3  # devices named when asked what uses the most
SAME = 0.03  # within 3 % of last period's use: "about the same"
MIN_MEASURED_DAYS = 1.0  # a day's use measured before a period's end is guessed at


def _bill(tariff: Tariff, settings: EnergySettings, usage: CycleUsage, kwh: float) -> Bill:
    """The period's bill at `kwh` (measured to the Wh: a bill is not more exact than its reading)."""
    return compute_bill(tariff, round(kwh, 3), usage.period, Voltage(settings.voltage))


def _period(usage: CycleUsage) -> dict[str, Any]:
    return {
        "start": usage.period.start.isoformat(),
        "end": usage.period.last_day.isoformat(),
        "partial": usage.partial,
        "measured": usage.measured_since is not None,
        "since": usage.measured_since.isoformat() if usage.measured_since else None,
    }


def bill_facts(tariff: Tariff, settings: EnergySettings, usage: CycleUsage) -> dict[str, Any]:
    """이번 달 전기요금: the bill for the use so far, as if the period ended now."""
    bill = _bill(tariff, settings, usage, usage.kwh)
    return {
        **_period(usage),
        "kwh": usage.kwh,
        "won": bill.total_won,
        "tier": bill.tier,
        "metered": settings.meter is not None,
    }


def tier_facts(tariff: Tariff, settings: EnergySettings, usage: CycleUsage) -> dict[str, Any]:
    """누진 구간 넘었어? / 다음 구간까지 몇 kWh? — the tier reached, the edge passed, the next edge and
    what one kWh past it would add (its base charge jumps)."""
    bill = _bill(tariff, settings, usage, usage.kwh)
    edges = [float(e) for e in tier_edges(tariff, usage.period, Voltage(settings.voltage))]
    passed = max((e for e in edges if e < usage.kwh), default=None)
    ahead = min((e for e in edges if e >= usage.kwh), default=None)
    facts: dict[str, Any] = {**_period(usage), "kwh": usage.kwh, "tier": bill.tier, "passed": passed, "next": ahead}
    if ahead is not None:
        at_edge, past_edge = _bill(tariff, settings, usage, ahead), _bill(tariff, settings, usage, ahead + 1)
        facts.update(
            left=ahead - usage.kwh,
            next_tier=past_edge.tier,
            base_now=at_edge.base_won,
            base_next=past_edge.base_won,
            jump_won=past_edge.total_won - at_edge.total_won,
        )
    return facts


def projection_facts(tariff: Tariff, settings: EnergySettings, usage: CycleUsage) -> dict[str, Any]:
    """이대로면 얼마 나와? — the period's end at this pace, with its range and how sure it is."""
    gone, measured = usage.gone_days, usage.elapsed_days
    used = usage.kwh * gone / measured if usage.partial and measured > 0 else usage.kwh  # unmeasured days: same pace
    guess = project(used, gone, usage.period.days, usage.whole_days) if measured >= MIN_MEASURED_DAYS else None
    facts: dict[str, Any] = {**_period(usage), "kwh_so_far": usage.kwh}
    if guess is None:
        return {**facts, "projected": False}
    middle, low, high = (_bill(tariff, settings, usage, k) for k in (guess.kwh, guess.low_kwh, guess.high_kwh))
    now = _bill(tariff, settings, usage, usage.kwh)
    edges = [float(e) for e in tier_edges(tariff, usage.period, Voltage(settings.voltage))]
    likely = [e for e in edges if usage.kwh <= e < guess.kwh]  # passed at this pace: say the last
    maybe = [e for e in edges if guess.kwh <= e < guess.high_kwh]  # passed if the month runs high: the next
    edge = likely[-1] if likely else (maybe[0] if maybe else None)
    return {
        **facts,
        "projected": True,
        "kwh": guess.kwh,
        "low_kwh": guess.low_kwh,
        "high_kwh": guess.high_kwh,
        "won": middle.total_won,
        "low_won": low.total_won,
        "high_won": high.total_won,
        "confidence": guess.confidence,
        "days_seen": measured,
        "tier_now": now.tier,
        "tier": middle.tier if likely else high.tier,
        "edge_ahead": edge,
        "likely": bool(likely),
    }


def compare_facts(usage: CycleUsage, last_same: float, last_total: float, last_measured: bool) -> dict[str, Any]:
    """지난달보다 많이 썼어? — this period so far against last period's same number of days."""
    facts: dict[str, Any] = {
        **_period(usage),
        "kwh": usage.kwh,
        "days": usage.gone_days,
        "last_same": last_same,
        "last_total": last_total,
        "known": last_measured and last_same > 0,
    }
    if not facts["known"]:
        return facts
    diff = usage.kwh - last_same
    way = "same" if abs(diff) <= SAME * last_same else ("more" if diff > 0 else "less")
    return {**facts, "diff": abs(diff), "pct": abs(diff) / last_same * 100, "way": way}


def top_facts(usage: CycleUsage, settings: EnergySettings) -> dict[str, Any]:
    """전기 제일 많이 먹는 게 뭐야? — the devices that used the most this period, with their share."""
    devices = {d: kwh for d, (kwh, _on) in usage.devices.items() if d != settings.meter and kwh > 0}
    ranked = sorted(devices.items(), key=lambda item: -item[1])
    whole = usage.kwh or sum(devices.values())
    return {
        **_period(usage),
        "total": whole,
        "metered": settings.meter is not None,
        "devices": [{"id": d, "kwh": kwh, "share": kwh / whole * 100 if whole else 0.0} for d, kwh in ranked[:TOP]],
    }


def run_time_facts(device_ids: Sequence[str], today: Mapping[str, tuple[float, float]]) -> dict[str, Any]:
    """에어컨 오늘 몇 시간 틀었어? — each asked device's running time and use today."""
    return {
        "devices": [
            {"id": d, "on_s": today.get(d, (0.0, 0.0))[1], "kwh": today.get(d, (0.0, 0.0))[0]} for d in device_ids
        ]
    }
