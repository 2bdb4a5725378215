"""Everything the dashboard's energy view shows, from what the recorder kept: this billing period's kWh
against its tier edges, the bill so far and the projected one, the home's use per day, the devices that
used the most, and each device's draw now and use today. Plain numbers and ids; the page words them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from jibsa.domain import Home
from jibsa.domain.home_energy import EnergySettings
from jibsa.energy import answers
from jibsa.energy.billing import tier_edges
from jibsa.energy.cycle import cycle_containing
from jibsa.energy.store import HOME, EnergyStore, Grain
from jibsa.energy.tariff import Voltage, load_tariff
from jibsa.energy.usage import cycle_usage, device_totals, start_of

TOP = 5  # devices in the view's list


async def energy_overview(
    store: EnergyStore, home: Home, now: datetime, power: Callable[[str], float | None], device_id: str | None = None
) -> dict[str, Any]:
    """The view's facts at `now` (aware, in the home's zone); `power` is a device's draw now in W (None:
    it does not say). With `device_id`, only that device's draw now and use today."""
    devices = await _devices(store, home, now, power, device_id)
    if device_id is not None:
        return {"devices": devices}
    settings = home.energy or EnergySettings()
    tariff, voltage = load_tariff(settings.tariff), Voltage(settings.voltage)
    period = cycle_containing(now.date(), settings.reading_day)
    usage = await cycle_usage(store, home.id, period, now)
    facts: dict[str, Any] = {
        "period": {"start": period.start.isoformat(), "end": period.last_day.isoformat(), "days": period.days},
        "edges": [float(e) for e in tier_edges(tariff, period, voltage)],
        "metered": settings.meter is not None,
        "measured": usage.measured_since is not None,
        "days": await _days(store, home.id, period.start, now),
        "devices": devices,
    }
    if usage.measured_since is None:
        return {**facts, "kwh": 0.0, "tier": 1, "won": 0, "top": [], "projection": {"projected": False}}
    bill = answers.bill_facts(tariff, settings, usage)
    projection = answers.projection_facts(tariff, settings, usage)
    top = answers.top_facts(usage, settings)["devices"]
    return {
        **facts,
        "kwh": bill["kwh"],
        "tier": bill["tier"],
        "won": bill["won"],
        "partial": bill["partial"],
        "since": bill["since"],
        "top": [{**d, "name": _name(home, d["id"])} for d in top[:TOP]],
        "projection": {k: v for k, v in projection.items() if k not in ("start", "end", "measured", "since")},
    }


async def _days(store: EnergyStore, home_id: str, first: Any, now: datetime) -> list[dict[str, Any]]:
    """The home's kWh on each day of the period up to today (today so far, from its hours)."""
    tz = now.tzinfo
    midnight = start_of(now.date(), tz)
    rows = await store.energy_rows(
        home_id, start_of(first, tz).timestamp(), midnight.timestamp(), HOME, grain=Grain.DAY
    )
    per_day = {datetime.fromtimestamp(r.start, tz).date(): r.kwh for r in rows}
    hours = await store.energy_rows(home_id, midnight.timestamp(), now.timestamp() + 1, HOME)
    per_day[now.date()] = sum(r.kwh for r in hours)
    days, day = [], first
    while day <= now.date():
        days.append({"date": day.isoformat(), "kwh": round(per_day.get(day, 0.0), 4)})
        day += timedelta(days=1)
    return days


async def _devices(
    store: EnergyStore, home: Home, now: datetime, power: Callable[[str], float | None], only: str | None
) -> list[dict[str, Any]]:
    midnight = start_of(now.date(), now.tzinfo)
    today: Mapping[str, tuple[float, float]] = await device_totals(store, home.id, midnight, now + timedelta(seconds=1))
    ids = [only] if only is not None else [d.id for d in home.devices]
    return [
        {
            "id": d,
            "power_w": power(d),
            "today_kwh": round(today.get(d, (0.0, 0.0))[0], 4),
            "today_on_s": today.get(d, (0.0, 0.0))[1],
        }
        for d in ids
    ]


def _name(home: Home, device_id: str) -> str:
    device = home.device(device_id)
    return device.name if device is not None else device_id
