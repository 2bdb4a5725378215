"""Matter devices through a Matter controller's WebSocket API (python-matter-server, the controller
Home Assistant uses, or its matter.js successor). Settings: `matter: {url, data_dir, …}`.

Needs the `matter` extra (`pip install jibsa[matter]`): python-matter-server's client and the cluster
types of home-assistant-chip-clusters, imported only when the adapter is made (phrases.py and the
controller launcher need neither). The controller itself runs apart (controller.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jibsa.hub import AdapterContext

if TYPE_CHECKING:
    from jibsa.adapters.matter.adapter import MatterAdapter

__all__ = ["create_adapter"]


def create_adapter(ctx: AdapterContext) -> MatterAdapter:
    """The entry point: settings `url` (default ws://127.0.0.1:5580/ws), `data_dir` (set by jibsa to
    DATA/matter), `command_timeout_s` (10), `commission_timeout_s` (120), `start_wait_s` (5)."""
    from jibsa.adapters.matter.adapter import MatterAdapter
    from jibsa.adapters.matter.settings import MatterSettings

    return MatterAdapter(MatterSettings.from_mapping(ctx.settings))
