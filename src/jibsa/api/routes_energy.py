"""The dashboard's energy view: this billing period's kWh against the tier edges, the bill so far and
projected, the home's use per day, the devices that used the most, and each device's draw now and use
today (docs/energy.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Request

from jibsa.api.auth import Principal, anyone
from jibsa.api.context import api_context
from jibsa.api.errors import ApiError
from jibsa.api.schemas import ERROR_RESPONSES
from jibsa.energy.overview import energy_overview
from jibsa.energy.store import EnergyStore

router = APIRouter(prefix="/api", tags=["energy"], responses=ERROR_RESPONSES)


@router.get("/energy", summary="This billing period's electricity: kWh, tiers, bill, days and devices")
async def get_energy(
    request: Request,
    device: str | None = Query(
        None,
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="a device id: only its draw now and use today",
    ),
    _: Principal = Depends(anyone),
) -> dict[str, Any]:
    """`measured` is false until some device has measured anything; `projection.projected` is false
    until a day's use is in. A home whose store keeps no energy answers 409 `energy_not_kept`."""
    running = api_context(request).running
    hub = running.hub
    if device is not None and hub.home.device(device) is None:
        raise ApiError("unknown_device", {"device": device})
    store = running.store
    if running.energy is None or not isinstance(store, EnergyStore):
        raise ApiError("energy_not_kept")
    await running.energy.flush()  # what the recorder holds is in the store before it is read
    now = datetime.fromtimestamp(hub.clock.now(), hub.timezone)
    return await energy_overview(store, hub.home, now, lambda d: _power(hub.states.get(d)), device)


def _power(state: Any) -> float | None:
    value = state.get("power_w") if hasattr(state, "get") else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
