"""What a partner's skill sees: the request, and a view of jibsa limited to what its manifest allows.

A skill package exposes, under the entry point group `jibsa.skills`, a function returning a
`PartnerSkill`: its manifest and one handler per intent,
`async def handler(request: SkillRequest, jibsa: SkillContext) -> str` (the sentence to say).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from typing import Any

import httpx

from jibsa.domain import Command, JibsaError, Role
from jibsa.hub import Actor, SkillHost
from jibsa.skills.manifest import SkillManifest, read_manifest


class SkillRefused(JibsaError):
    """A skill tried something its manifest does not allow (a device type, a host, reading states)."""


@dataclass(frozen=True)
class SkillRequest:
    intent: str
    params: Mapping[str, Any]
    language: str  # "ko" or "en": answer in it
    now: datetime  # in the home's time zone


Handler = Callable[[SkillRequest, "SkillContext"], Awaitable[str]]


SettingsCheck = Callable[[Mapping[str, Any]], None]


@dataclass(frozen=True)
class PartnerSkill:
    """A skill: its manifest, a handler per intent, and optionally a check of its settings that
    raises ValueError saying what is wrong (run once when the home starts)."""

    manifest: SkillManifest
    handlers: Mapping[str, Handler]
    check_settings: SettingsCheck | None = None

    @classmethod
    def from_package(
        cls,
        package: str,
        handlers: Mapping[str, Handler],
        manifest: str = "skill.yaml",
        check_settings: SettingsCheck | None = None,
    ) -> PartnerSkill:
        """The skill whose manifest is the file `manifest` in `package`."""
        text = resources.files(package).joinpath(manifest).read_text(encoding="utf-8")
        return cls(read_manifest(text, f"{package}/{manifest}"), dict(handlers), check_settings)


@dataclass
class SkillContext:
    """jibsa as one skill may see it: its settings, the home's devices it may read, the device types
    it may command and the hosts it may reach — nothing else.

    The skill runs on a thread of its own (`jibsa.skills.loader`); what it asks of the hub is carried
    out on the home's event loop (`home_loop`), and nothing more once its time is up (`expired`)."""

    manifest: SkillManifest
    settings: Mapping[str, Any]
    _hub: SkillHost
    _clients: list[httpx.AsyncClient] = field(default_factory=list)
    home_loop: asyncio.AbstractEventLoop | None = None
    expired: bool = False
    outcomes: list[bool] = field(default_factory=list)  # each device command's result, as the hub said it

    def device_states(self) -> dict[str, dict[str, Any]]:
        """Every device's state, by id (needs `permissions.read_states`)."""
        if not self.manifest.permissions.read_states:
            raise SkillRefused(f"skill {self.manifest.name}: reading device states is not in its permissions")
        return self._hub.snapshot()

    async def command(self, intent: str, device_id: str, **params: Any) -> bool:
        """Command one device; only types in `permissions.command` (a scene: every device of every
        action). True when the device did it."""
        device = self._hub.home.device(device_id)
        if device is None or device.type.value not in self.manifest.permissions.command:
            self._refuse(device.type.value if device else "unknown device")
        if intent == "run_scene":
            self._check_scene(str(params.get("scene", "")))
        if self.expired:
            raise SkillRefused(f"skill {self.manifest.name}: its time is up")
        # A skill acts with a guest's rights whoever asked: never an unlock or an opened gas valve.
        actor = Actor(f"skill:{self.manifest.name}", Role.GUEST, source="skill")
        outcome = await self._on_home_loop(self._hub.execute(Command(intent, (device_id,), params), actor=actor))
        done = bool(outcome.ok)
        self.outcomes.append(done)
        return done

    def _check_scene(self, scene_id: str) -> None:
        scene = self._hub.home.scene(scene_id)
        if scene is None:
            raise SkillRefused(f"skill {self.manifest.name}: no scene {scene_id!r}")
        for action in scene.actions:
            for target in action.targets:
                device = self._hub.home.device(target)
                if device is None or device.type.value not in self.manifest.permissions.command:
                    self._refuse(f"{device.type.value if device else target} (in scene {scene_id})")

    def _refuse(self, what: str) -> Any:
        allowed = sorted(self.manifest.permissions.command)
        raise SkillRefused(f"skill {self.manifest.name}: may not command {what} (allowed: {allowed})")

    async def _on_home_loop(self, work: Coroutine[Any, Any, Any]) -> Any:
        loop = self.home_loop
        if loop is None or loop is asyncio.get_running_loop():
            return await work
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, loop))

    def http(self) -> httpx.AsyncClient:
        """An HTTP client that reaches only the hosts in `permissions.hosts`."""
        hosts = self.manifest.permissions.hosts
        name = self.manifest.name

        async def check(request: httpx.Request) -> None:
            if request.url.host not in hosts:
                raise SkillRefused(f"skill {name}: host {request.url.host} is not in its permissions")

        client = httpx.AsyncClient(event_hooks={"request": [check]}, timeout=self.manifest.timeout_s)
        self._clients.append(client)
        return client

    async def close(self) -> None:
        for client in self._clients:
            await client.aclose()
        self._clients.clear()
