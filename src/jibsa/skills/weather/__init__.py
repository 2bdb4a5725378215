"""Weather and fine dust: KMA's short-range forecast and AirKorea (with a data.go.kr service key),
or Open-Meteo without a key; the get_weather skill and its replies."""

from jibsa.skills.weather.errors import WeatherServiceError
from jibsa.skills.weather.report import UnknownCity, WeatherReport, city, strip_cities
from jibsa.skills.weather.skill import WeatherSource, weather_manifest, weather_skill

__all__ = [
    "UnknownCity",
    "WeatherReport",
    "WeatherServiceError",
    "WeatherSource",
    "city",
    "strip_cities",
    "weather_manifest",
    "weather_skill",
]
