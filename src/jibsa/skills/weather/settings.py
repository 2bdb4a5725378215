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


def check_weather(weather: Mapping[str, Any]) -> str:
    """The provider the section names ("" for none); ConfigError naming the field that is wrong."""
    provider = str(weather.get("provider", "")).lower()
    if not provider:
        return ""
    home_city(weather)
    if provider not in PROVIDERS:
        raise ConfigError(f"weather.provider: unknown provider '{provider}' (known: {', '.join(PROVIDERS)})")
    if provider == "kma" and not str(weather.get("service_key") or "").strip():
        raise ConfigError("weather.service_key: KMA needs the service key data.go.kr issued (일반 인증키)")
    return provider


def weather_source(weather: Mapping[str, Any]) -> WeatherSource | None:
    """The configured source (its connections closed by its `stop`), or None when no provider is named."""
    provider = check_weather(weather)
    if not provider:
        return None
    if provider == "open-meteo":
        from jibsa.skills.weather.open_meteo import DEFAULT_BASE_URL, OpenMeteoSource

        return OpenMeteoSource(str(weather.get("base_url") or DEFAULT_BASE_URL))
    return _kma(weather, str(weather["service_key"]).strip())


def _kma(weather: Mapping[str, Any], key: str) -> WeatherSource:
    from jibsa.skills.weather import airkorea, kma
    from jibsa.skills.weather.kma_source import KmaWeatherSource

    return KmaWeatherSource(
        key,
        air_key=str(weather.get("airkorea_key") or key),
        kma_url=str(weather.get("kma_base_url") or kma.DEFAULT_BASE_URL),
        airkorea_url=str(weather.get("airkorea_base_url") or airkorea.DEFAULT_BASE_URL),
    )
