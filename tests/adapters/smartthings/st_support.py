"""Settings pointing the adapter at the stand-in cloud (a uniquely named module: several test folders
have a conftest)."""

from __future__ import annotations

from jibsa.adapters.smartthings import SmartThingsSettings
from jibsa.testing.smartthings_server import TOKEN, SmartThingsServer


def settings_for(server: SmartThingsServer, **extra: object) -> SmartThingsSettings:
    """Settings pointing the client at the stand-in cloud."""
    return SmartThingsSettings.from_mapping({"token": TOKEN, "base_url": server.base_url, **extra})
