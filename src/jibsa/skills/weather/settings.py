"""The weather source `jibsa.yaml` asks for:

```yaml
weather: {provider: kma, service_key: "…", city: 서울}      # KMA + AirKorea (data.go.kr key)
weather: {provider: open-meteo}                             # no key
```

`airkorea_key` when AirKorea's key differs from KMA's; `kma_base_url`, `airkorea_base_url` and
`base_url` (Open-Meteo) point at a stand-in. Without a `weather` section jibsa reaches no network.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jibsa.config import ConfigError
from jibsa.skills.weather.report import UnknownCity, city
from jibsa.skills.weather.skill import WeatherSource

PROVIDERS = ("kma", "open-meteo")


def home_city(weather: Mapping[str, Any]) -> str | None:
    """The city the settings name for the home (checked), or None."""
    name = weather.get("city")
    if not name:
        return None
    try:
        return city(str(name)).name
    except UnknownCity:
        raise ConfigError(f"weather.city: no weather for '{name}'") from None


def weather_source(weather: Mapping[str, Any]) -> WeatherSource | None:
    """The configured source, or None when the section names no provider."""
    provider = str(weather.get("provider", "")).lower()
    if not provider:
        return None
    home_city(weather)
    if provider == "open-meteo":
        from jibsa.skills.weather.open_meteo import DEFAULT_BASE_URL, OpenMeteoSource

        return OpenMeteoSource(str(weather.get("base_url") or DEFAULT_BASE_URL))
    if provider != "kma":
        raise ConfigError(f"weather.provider: unknown provider '{provider}' (known: {', '.join(PROVIDERS)})")
    key = str(weather.get("service_key") or "").strip()
    if not key:
        raise ConfigError("weather.service_key: KMA needs the service key data.go.kr issued (일반 인증키)")
    return _kma(weather, key)


def _kma(weather: Mapping[str, Any], key: str) -> WeatherSource:
    from jibsa.skills.weather import airkorea, kma
    from jibsa.skills.weather.kma_source import KmaWeatherSource

    air_key = str(weather.get("airkorea_key") or key)
    return KmaWeatherSource(
        kma.KmaClient(key, str(weather.get("kma_base_url") or kma.DEFAULT_BASE_URL)),
        airkorea.AirKoreaClient(air_key, str(weather.get("airkorea_base_url") or airkorea.DEFAULT_BASE_URL)),
    )
