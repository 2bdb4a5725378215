"""Settings pointing the adapter at the stand-in cloud (a uniquely named module: several test folders
have a conftest)."""

from __future__ import annotations

from jibsa.adapters.thinq import ThinQSettings
from jibsa.testing.thinq_server import TOKEN, ThinQServer


def settings_for(server: ThinQServer, **extra: object) -> ThinQSettings:
    """Settings pointing the SDK at the stand-in cloud."""
    return ThinQSettings.from_mapping({"token": TOKEN, "base_url": server.base_url, **extra}, "test-home")
