"""The weather for the dashboard: the home's city in detail and the strip of 20 cities."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request

from jibsa.api.auth import Principal, anyone
from jibsa.api.context import api_context
from jibsa.api.schemas import ERROR_RESPONSES
from jibsa.skills.weather.overview import weather_overview

router = APIRouter(prefix="/api", tags=["weather"], responses=ERROR_RESPONSES)


@router.get("/weather", summary="The home city's weather and fine dust, and the 20 cities of the strip")
async def get_weather(request: Request, _: Principal = Depends(anyone)) -> dict[str, Any]:
    """Answers from the configured source (cached until each service's next release). When it fails,
    `message`/`message_en` say why, and values kept from before carry `stale` with their time."""
    running = api_context(request).running
    hub = running.hub
    now = datetime.fromtimestamp(hub.clock.now(), hub.timezone)
    return await weather_overview(running.weather.source, running.weather.city or hub.home.city, now)
