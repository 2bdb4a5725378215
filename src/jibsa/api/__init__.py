"""The HTTP API, the event WebSocket and the dashboard of one running home."""

from jibsa.api.app import create_app
from jibsa.api.context import AuthSettings

__all__ = ["AuthSettings", "create_app"]
