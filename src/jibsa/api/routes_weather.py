"""The weather for the dashboard: the home's city in detail and the strip of 20 cities; and its setup
(owners): a city of the 20 and a data.go.kr service key, tried before it is kept, used at once."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from jibsa.api.audit import record
from jibsa.api.auth import Principal, anyone, owner_only
from jibsa.api.context import ApiContext, api_context
from jibsa.api.errors import ApiError
from jibsa.api.schemas import ERROR_RESPONSES, ErrorBody
from jibsa.skills.weather.choice import (
    KEY_MAX,
    KEY_PAGE,
    chosen_settings,
    clean_key,
    read_choice,
    setup_cities,
    write_choice,
)
from jibsa.skills.weather.errors import WeatherServiceError
from jibsa.skills.weather.overview import weather_overview
from jibsa.skills.weather.report import strip_cities
from jibsa.skills.weather.sentences import say_setup_failure
from jibsa.skills.weather.settings import weather_source

router = APIRouter(prefix="/api", tags=["weather"], responses=ERROR_RESPONSES)


@router.get("/weather", summary="The home city's weather and fine dust, and the 20 cities of the strip")
async def get_weather(request: Request, _: Principal = Depends(anyone)) -> dict[str, Any]:
    """Answers from the configured source (cached until each service's next release). When it fails,
    `message`/`message_en` say why, and values kept from before carry `stale` with their time."""
    running = api_context(request).running
    hub = running.hub
    now = datetime.fromtimestamp(hub.clock.now(), hub.timezone)
    return await weather_overview(running.weather.source, running.weather.city or hub.home.city, now)


class WeatherSetupRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    city: str = Field(
        min_length=1,
        max_length=20,
        description="one of the 20 cities `GET` lists",
        json_schema_extra={"enum": list(strip_cities())},
    )
    service_key: str | None = Field(
        default=None, max_length=KEY_MAX, description="data.go.kr's key; left out, the kept one stays"
    )


class WeatherSetup(BaseModel):
    city: str
    cities: list[dict[str, str]]
    key_set: bool = Field(description="whether a service key is kept (the key itself is never sent back)")
    provider: str
    key_page: str = Field(description="where a household applies for the key")


@router.get("/weather/setup", response_model=WeatherSetup, summary="The weather's setup (owners)")
async def get_weather_setup(request: Request, _: Principal = Depends(owner_only)) -> dict[str, Any]:
    return _setup(api_context(request))


@router.put(
    "/weather/setup",
    response_model=WeatherSetup,
    summary="Choose the city and key (owners)",
    responses={424: {"model": ErrorBody, "description": "data.go.kr not reached or failing; nothing changed"}},
)
async def put_weather_setup(
    body: WeatherSetupRequest, request: Request, principal: Principal = Depends(owner_only)
) -> dict[str, Any]:
    """Tries the key for the city first: a key data.go.kr refuses, or a service that does not answer, is
    told in plain words (`detail.message`) and the setting before stays. What works is kept (0600) and used
    from now on, without a restart."""
    context = api_context(request)
    running = context.running
    given = clean_key(body.service_key or "")
    detail = {"city": body.city, "service_key": "new" if given else "kept"}  # never the key itself
    kept = _settings(context)
    key = given or (str(kept.get("service_key") or "") if kept.get("provider") == "kma" else "")
    if body.city not in strip_cities() or not key:
        reason = "city" if body.city not in strip_cities() else "no_key"
        await record(context, principal, "weather_setup", detail, ok=False, result={"error": reason})
        raise ApiError("bad_value", _failure(reason), audited=True)
    chosen = {"provider": "kma", "city": body.city, "service_key": key}
    source = weather_source(chosen_settings(kept, chosen))
    assert source is not None  # a provider is named
    hub = running.hub
    try:
        await source.report(body.city, datetime.fromtimestamp(hub.clock.now(), hub.timezone))
    except WeatherServiceError as exc:
        await source.stop()
        await record(context, principal, "weather_setup", detail, ok=False, result={"error": exc.reason})
        raise ApiError("bad_value", _failure(exc.reason), status=422 if exc.reason == "key" else 424) from None
    directory = _data_dir(context)
    if directory is not None:  # a home opened without a data directory keeps the choice until it stops
        write_choice(directory, chosen)
    await running.use_weather(source, body.city)
    await record(context, principal, "weather_setup", detail, ok=True, result={})
    return _setup(context)


def _data_dir(context: ApiContext) -> Path | None:
    settings = context.running.settings
    return settings.data_dir if settings else None


def _settings(context: ApiContext) -> dict[str, Any]:
    """The weather settings in use: jibsa.yaml's section with the household's choice over it."""
    settings = context.running.settings
    config = (settings.adapter_settings.get("weather") or {}) if settings else {}
    return chosen_settings(config, read_choice(_data_dir(context)))


def _setup(context: ApiContext) -> dict[str, Any]:
    running = context.running
    settings = _settings(context)
    provider = str(settings.get("provider") or "") if running.weather.source is not None else ""
    return {
        "city": running.weather.city or running.hub.home.city,
        "cities": setup_cities(),
        "key_set": bool(provider == "kma" and settings.get("service_key")),
        "provider": provider,
        "key_page": KEY_PAGE,
    }


def _failure(reason: str) -> dict[str, str]:
    return {
        "field": "city" if reason == "city" else "service_key",
        "reason": reason,
        "message": say_setup_failure(reason, "ko"),
        "message_en": say_setup_failure(reason, "en"),
    }
