"""Wiring: a home file, a store, adapters, a hub, the parser and the conversation, started together.

`open_home` is what the CLI and the server use; many homes may be opened in one process.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from jibsa.adapters.matter.wiring import matter_wiring
from jibsa.config import ConfigError
from jibsa.conversation import Conversation
from jibsa.domain import Home
from jibsa.domain.intents import BUILTIN_INTENTS, IntentRegistry
from jibsa.domain.said import Said
from jibsa.energy.recorder import EnergyRecorder
from jibsa.energy.store import EnergyStore
from jibsa.gate import AuditLog, Gate, Principal
from jibsa.home_file import load_home
from jibsa.hub import (
    AdapterContext,
    AdapterFactory,
    AdapterNotes,
    Clock,
    DeviceAdapter,
    Hub,
    HubStore,
    Skill,
    SystemClock,
)
from jibsa.nlu import Parser
from jibsa.push_addresses import networks as push_networks
from jibsa.rules.commands import RuleCommands
from jibsa.rules.engine import RuleEngine
from jibsa.rules.grammar import RuleSentences
from jibsa.rules.store import RuleStore
from jibsa.rules.triggers import TriggerKinds
from jibsa.skills import default_skills
from jibsa.skills.energy import energy_manifest, energy_skill
from jibsa.skills.loader import accepted_skills, hub_skills, installed_skills, phrase_book
from jibsa.skills.partner import PartnerSkill
from jibsa.skills.voice_enrolment import enrol_voice, voice_enrolment_manifest
from jibsa.skills.weather import WeatherSource, weather_manifest, weather_skill
from jibsa.skills.weather.choice import chosen_settings, read_choice
from jibsa.skills.weather.settings import check_weather, home_city, weather_source
from jibsa.skills.weather_conditions import ForecastConditions
from jibsa.voice.voiceprints import Voiceprints
from jibsa.web_push import PushSender, vapid_keys

log = logging.getLogger(__name__)
ADAPTER_GROUP = "jibsa.adapters"
# Configuration sections that configure something other than an adapter.
NOT_ADAPTERS = frozenset({"server", "weather", "history", "audit", "voice", "skills", "energy", "push"})


@dataclass(frozen=True)
class Settings:
    """How to run one home. `adapter_settings` maps a vendor to its settings (tokens, broker URL)."""

    home_file: str | None = None
    data_dir: Path | None = None
    db_url: str | None = None
    adapter_settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    command_timeout: float = 5.0
    timezone: str = "Asia/Seoul"
    devices_over_mqtt: bool = False  # the home's simulated devices run elsewhere (`jibsa simulate`), over MQTT


def adapter_factories(vendors: Collection[str] | None = None) -> dict[str, AdapterFactory]:
    """Adapters installed as entry points (group "jibsa.adapters"): ours and other packages'; only
    `vendors`' when given (each adapter's imports cost start-up time: the cloud SDKs, aiohttp)."""
    found: dict[str, AdapterFactory] = {}
    for point in entry_points(group=ADAPTER_GROUP):
        if vendors is not None and point.name not in vendors:
            continue
        try:
            found[point.name] = point.load()
        except Exception:  # a broken plugin must not stop the home; its devices will not answer
            log.exception("adapter plugin %r could not be loaded", point.name)
    return found


def build_adapters(
    home: Home,
    clock: Clock,
    saved: Mapping[str, Mapping[str, Any]],
    settings: Settings,
    factories: Mapping[str, AdapterFactory] | None = None,
    *,
    store: HubStore | None = None,
) -> dict[str, DeviceAdapter]:
    """One adapter per vendor the home uses (and per vendor given settings, e.g. MQTT discovery), each
    with its notes in `store` when given."""
    vendors = {d.vendor for d in home.devices} | (set(settings.adapter_settings) - NOT_ADAPTERS)
    factories = adapter_factories(vendors) if factories is None else factories
    adapters: dict[str, DeviceAdapter] = {}
    for vendor in sorted(vendors):
        factory = factories.get(vendor)
        if factory is None:
            log.warning("no adapter installed for vendor %r", vendor)
            continue
        notes = AdapterNotes(store, home.id, vendor) if store is not None else None
        context = AdapterContext(home, clock, saved, settings.adapter_settings.get(vendor, {}), notes)
        adapters[vendor] = factory(context)
    return adapters


def default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "jibsa"


async def open_store(settings: Settings) -> HubStore:
    from jibsa.storage import open_store as open_sql_store

    target = settings.db_url or str(settings.data_dir or default_data_dir())
    store: HubStore = await open_sql_store(target, history_days=history_days(settings), audit_days=audit_days(settings))
    return store


def check_settings(settings: Settings, source: str = "configuration") -> None:
    """Raise ConfigError naming `source` (the file) and the field, for a setting that cannot be used,
    before anything starts."""
    try:
        history_days(settings)
        audit_days(settings)
        speaker_threshold(settings)
        energy_options(settings)
        check_mqtt(settings.adapter_settings)
        check_matter(settings.adapter_settings)
        check_weather(settings.adapter_settings.get("weather") or {})
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None


def check_mqtt(settings: Mapping[str, Mapping[str, Any]]) -> None:
    """ConfigError naming the field, for `mqtt:` settings that cannot be used (a TLS file that is missing,
    TLS files with a plain mqtt:// url)."""
    section = settings.get("mqtt")
    if not section or not section.get("url"):
        return
    from jibsa.adapters.mqtt.url import broker_from_settings

    try:
        broker_from_settings(section)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def check_matter(settings: Mapping[str, Mapping[str, Any]]) -> None:
    """ConfigError naming the field, for `matter:` settings that cannot be used."""
    section = settings.get("matter")
    if section is None:
        return
    from importlib.util import find_spec

    from jibsa.adapters.matter.settings import MatterSettings

    try:
        MatterSettings.from_mapping(section)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if find_spec("matter_server") is None or find_spec("chip") is None:
        raise ConfigError("matter: the Matter client is not installed: pip install 'jibsa[matter]'")


def history_days(settings: Settings) -> float:
    """How many days of state history to keep (`history: {days: N}`; default 30; 0 keeps everything)."""
    from jibsa.storage.home_state import DEFAULT_HISTORY_DAYS

    return _retention_days(settings, "history", DEFAULT_HISTORY_DAYS)


def audit_days(settings: Settings) -> float:
    """How many days of the audit log to keep (`audit: {days: N}`; default 90; 0 keeps everything)."""
    from jibsa.storage.accounts import DEFAULT_AUDIT_DAYS

    return _retention_days(settings, "audit", DEFAULT_AUDIT_DAYS)


def _retention_days(settings: Settings, section: str, default: float, key: str = "days") -> float:
    raw = (settings.adapter_settings.get(section) or {}).get(key, default)
    try:
        days = float(raw)
    except (TypeError, ValueError):
        days = -1.0
    if not days >= 0 or days == float("inf"):
        raise ConfigError(f"{section}.{key}: {raw!r} is not a number of days (0 keeps all {section})")
    return days


class Service(Protocol):
    async def stop(self) -> None: ...


@dataclass(frozen=True)
class Weather:
    """The weather source (None: not configured) and the city the home is in."""

    source: WeatherSource | None = None
    city: str = ""


@dataclass
class RunningHome:
    home: Home
    hub: Hub
    conversation: Conversation
    store: HubStore
    warnings: tuple[str, ...] = ()
    services: list[Service] = field(default_factory=list)
    weather: Weather = field(default_factory=Weather)
    push: PushSender | None = None  # Web Push of notifications (with a store that keeps them)
    rules: RuleEngine | None = None  # the home's rules (with a store that keeps them); the hub hands it rule intents
    energy: EnergyRecorder | None = None  # what each device uses (with a store that keeps it)
    matter: Any = None  # adding Matter devices (adapters.matter.commissioning.Commissioner), with a controller
    settings: Settings | None = None  # what the home was opened with (the weather setup reads its data dir)
    voices: Voiceprints | None = None  # the household's enrolled voices and "낯선 목소리는 손님으로"
    gate: Gate = field(init=False)  # the one way in: every entrance asks it (jibsa.gate)

    def __post_init__(self) -> None:
        self.gate = Gate(self.conversation, self.store if isinstance(self.store, AuditLog) else None)
        if self.voices is not None:
            self.gate.configure(strangers_as_guests=self.voices.strangers_as_guests)
        if self.rules is not None:
            self.gate.configure(voice_refused=self._tell_voice_refused)

    async def _tell_voice_refused(self, judged: Principal, text: str) -> None:
        """The person whose session it was is told that a voice was refused there (a stranger on their tablet)."""
        if self.rules is None or judged.voice is None:
            return
        voice = judged.voice.person
        said = (
            Said("notification.voice_refused_person", {"voice": voice, "text": text})
            if voice
            else Said("notification.voice_refused_stranger", {"text": text})
        )
        await self.rules.notifier.notify((judged.person,), said)

    async def use_weather(self, source: WeatherSource, city: str) -> None:
        """Answer weather from `source` for `city` from now on (the conversation, the page and the rules),
        and close the source used before."""
        old = self.weather.source
        self.weather = Weather(source, city)
        self.hub.skills["get_weather"] = weather_skill(source, city)
        if self.rules is not None:
            await self.rules.use_weather(ForecastConditions(source, city))
        self.services = [s for s in self.services if s is not old]
        self.services.append(source)
        if old is not None:
            await old.stop()

    async def close(self) -> None:
        for service in reversed(self.services):
            await service.stop()
        if self.rules is not None:
            await self.rules.stop()
        await self.hub.stop()
        await self.store.close()

    async def __aenter__(self) -> RunningHome:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def open_home(
    settings: Settings,
    *,
    clock: Clock | None = None,
    store: HubStore | None = None,
    home: Home | None = None,
    partner_skills: Sequence[PartnerSkill] | None = None,
    trigger_kinds: TriggerKinds | None = None,
    intents: IntentRegistry = BUILTIN_INTENTS,
    skills: Mapping[str, Skill] | None = None,
) -> RunningHome:
    """Load the home (the sample when no file is given), open its store, start its hub. Partner skills
    and trigger kinds are the installed ones (entry points `jibsa.skills`, `jibsa.triggers`) unless given;
    `intents` are the ones the home knows, and `skills` carry out those jibsa has no skill for."""
    warnings: tuple[str, ...] = ()
    if home is None:
        loaded = load_home(settings.home_file)
        home, warnings = loaded.home, tuple(str(w) for w in loaded.warnings)
    if settings.devices_over_mqtt:
        home = home.with_devices(tuple(replace(d, vendor="mqtt") for d in home.devices if d.vendor == "sim"))
    clock = clock or SystemClock()
    store = store or await open_store(settings)
    saved = await store.load_states(home.id)
    adapters = build_adapters(home, clock, saved, settings, store=store)
    partners = accepted_skills(installed_skills() if partner_skills is None else partner_skills)
    weather_settings = chosen_settings(settings.adapter_settings.get("weather") or {}, read_choice(settings.data_dir))
    weather = Weather(weather_source(weather_settings), home_city(weather_settings) or home.city)
    all_skills = {
        **(skills or {}),
        **hub_skills(partners, settings.adapter_settings.get("skills") or {}),
        **default_skills(weather.source, weather.city),
    }
    # The recorder and its skill are made before the hub they read (the lambdas look it up when called).
    energy = (
        EnergyRecorder(
            lambda: hub.home,
            store,
            clock,
            state=lambda d: hub.states.get(d),  # noqa: PLW0108
            timezone=ZoneInfo(settings.timezone),
            counted=lambda c: hub.bus.publish(c),  # noqa: PLW0108
            **energy_options(settings),
        )
        if isinstance(store, EnergyStore)
        else None
    )
    all_skills["get_energy"] = energy_skill(energy)
    all_skills["enrol_voice"] = enrol_voice
    hub = Hub(
        home,
        store,
        clock,
        adapters,
        skills=all_skills,
        command_timeout=settings.command_timeout,
        timezone=settings.timezone,
        intents=intents,
    )
    matter = matter_wiring(hub, adapters.get("matter"), clock.now)
    hub.skills.update(matter.skills)
    await hub.start(jobs=False)  # the kept jobs fire once all that tells of them listens (below)
    rules: RuleEngine | None = None
    if isinstance(store, RuleStore):
        conditions = ForecastConditions(weather.source, weather.city) if weather.source else None
        rules = RuleEngine(hub, store, weather=conditions, kinds=trigger_kinds)
        hub.rules = RuleCommands(rules)
        await rules.start()
    phrases = phrase_book(
        [weather_manifest(), energy_manifest(home), voice_enrolment_manifest(), *(p.manifest for p in partners)],
        matter.phrases.rules,
        matter.phrases.slots,
        matter.phrases.patterns,
    )
    readers = (RuleSentences(trigger_kinds),) if trigger_kinds is not None else None
    parser = Parser(home, home.language, readers=readers, intents=intents)
    conversation = Conversation(hub, parser, phrases)
    running = RunningHome(
        home,
        hub,
        conversation,
        store,
        warnings,
        weather=weather,
        rules=rules,
        energy=energy,
        matter=matter.commissioner,
        settings=settings,
        voices=household_voices(settings, home.id, store),
    )
    if energy is not None:
        running.services.append(await _record_energy(hub, energy))
    if weather.source is not None:
        running.services.append(weather.source)
    if isinstance(store, RuleStore):
        allowed = push_networks((settings.adapter_settings.get("push") or {}).get("allow") or ())
        running.push = PushSender(hub, store, vapid_keys(settings.data_dir or default_data_dir()), allowed=allowed)
        await running.push.start()
        running.services.append(running.push)
    mqtt = settings.adapter_settings.get("mqtt") or {}
    if mqtt.get("url") and str(mqtt.get("announce", "true")).lower() != "false":
        running.services.append(await _announce_on_mqtt(hub, mqtt))
    await hub.start_jobs()
    return running


def household_voices(settings: Settings, home_id: str, store: Any) -> Voiceprints:
    """The home's enrolled voices, kept beside its data (`voices/<home id>.json`, 0600), matched at the
    threshold `voice: {speaker_threshold: X}` sets (default: the speaker book's, from bench/speaker_bench.py)."""
    accounts = store if hasattr(store, "get_user_by_id") else None
    folder = (settings.data_dir or default_data_dir()) / "voices"
    return Voiceprints(folder, home_id, accounts, threshold=speaker_threshold(settings))


def speaker_threshold(settings: Settings) -> float | None:
    """`voice: {speaker_threshold: X}`: the cosine similarity at which a voice is an enrolled person's."""
    value = (settings.adapter_settings.get("voice") or {}).get("speaker_threshold")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 < float(value) < 1.0:
        raise ConfigError(f"voice.speaker_threshold: {value!r} is not a number between 0 and 1 (e.g. 0.74)")
    return float(value)


@dataclass
class _EnergyListening:
    """The recorder, listening to the hub's events until stopped (then it writes what it holds)."""

    recorder: EnergyRecorder
    unlisten: Any

    async def stop(self) -> None:
        self.unlisten()
        await self.recorder.stop()


async def _record_energy(hub: Hub, recorder: EnergyRecorder) -> Service:
    unlisten = hub.bus.listen(recorder.on_event)
    await recorder.start(d.id for d in hub.home.devices)
    return _EnergyListening(recorder, unlisten)


def energy_options(settings: Settings) -> dict[str, float]:
    """`energy: {detail_days: N, flush_s: S}` in jibsa.yaml: how long the five-minute detail is kept
    (default 10 days; 0 keeps it all) and how often what was used is written (default every 300 s)."""
    from jibsa.energy.recorder import DEFAULT_FLUSH_S
    from jibsa.energy.store import DEFAULT_DETAIL_DAYS

    raw = (settings.adapter_settings.get("energy") or {}).get("flush_s", DEFAULT_FLUSH_S)
    try:
        flush_s = float(raw)
    except (TypeError, ValueError):
        flush_s = 0.0
    if not 0 < flush_s < float("inf"):
        raise ConfigError(f"energy.flush_s: {raw!r} is not a number of seconds above 0")
    return {
        "detail_days": _retention_days(settings, "energy", DEFAULT_DETAIL_DAYS, key="detail_days"),
        "flush_s": flush_s,
    }


async def _announce_on_mqtt(hub: Hub, mqtt: Mapping[str, Any]) -> Service:
    """Announce the hub's other devices on the broker, so Home Assistant and other hubs see them."""
    from jibsa.adapters.mqtt import broker_from_settings
    from jibsa.adapters.mqtt.hub_announcer import HubAnnouncer

    announcer = HubAnnouncer(hub, broker_from_settings(mqtt))
    await announcer.start()
    return announcer
