"""The skills a hub gets unless told otherwise."""

from __future__ import annotations

from jibsa.hub import Skill
from jibsa.skills.clock_skills import get_date, get_time
from jibsa.skills.home_summary import list_jobs, query_home
from jibsa.skills.shopping_list import add_item
from jibsa.skills.weather import WeatherSource, weather_skill


def default_skills(weather: WeatherSource | None = None, city: str | None = None) -> dict[str, Skill]:
    return {
        "get_time": get_time,
        "get_date": get_date,
        "add_item": add_item,
        "get_weather": weather_skill(weather, city),
        "list_jobs": list_jobs,
        "query_home": query_home,
    }
