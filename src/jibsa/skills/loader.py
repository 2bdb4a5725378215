"""Partner skills: found through the entry point group `jibsa.skills`, each intent wrapped so that
it runs with its own settings, a restricted view of the hub and a timeout, and a skill that hangs,
raises or oversteps answers "그 기능이 지금 안 돼요" instead of breaking the conversation."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from importlib.metadata import entry_points
from typing import Any

from jibsa.domain import INTENTS, Command
from jibsa.hub import Outcome, Skill, SkillHost
from jibsa.nlu.phrases import PhraseBook, PhraseRule
from jibsa.skills.manifest import SkillManifest
from jibsa.skills.partner import Handler, PartnerSkill, SkillContext, SkillRefused, SkillRequest
from jibsa.words import Said, say

log = logging.getLogger(__name__)
SKILL_GROUP = "jibsa.skills"


def installed_skills() -> list[PartnerSkill]:
    """The skills installed as entry points; one that cannot load is logged and left out."""
    found = []
    for point in entry_points(group=SKILL_GROUP):
        try:
            skill = point.load()()
            if not isinstance(skill, PartnerSkill):
                raise TypeError(f"{point.value} returned {type(skill).__name__}, not a PartnerSkill")
            found.append(skill)
        except Exception:  # a broken partner package must not stop the home
            log.exception("skill %r could not be loaded", point.name)
    return found


def accepted_skills(skills: Sequence[PartnerSkill]) -> list[PartnerSkill]:
    """The skills jibsa takes: each has a handler for every intent it declares, and no intent that
    is jibsa's own or an earlier skill's. Those left out are logged with the reason."""
    taken = set(INTENTS)
    accepted = []
    for skill in skills:
        intents = set(skill.manifest.intents)
        clash, unhandled = sorted(intents & taken), sorted(intents - set(skill.handlers))
        if clash or unhandled:
            log.error(
                "skill %s left out: intents already taken %s, intents without a handler %s",
                skill.manifest.name,
                clash,
                unhandled,
            )
            continue
        taken |= intents
        accepted.append(skill)
    return accepted


def hub_skills(skills: Sequence[PartnerSkill], settings: Mapping[str, Mapping[str, Any]]) -> dict[str, Skill]:
    """One hub skill per declared intent of `skills` (accepted ones), guarded."""
    out: dict[str, Skill] = {}
    for skill in skills:
        mine = dict(settings.get(skill.manifest.name) or {})
        problem = settings_problem(skill, mine)
        if problem:
            log.error("skill %s: jibsa.yaml skills.%s: %s", skill.manifest.name, skill.manifest.name, problem[1])
        for intent in skill.manifest.intents:
            out[intent] = _guarded(skill.manifest, skill.handlers[intent], mine, problem)
    return out


def settings_problem(skill: PartnerSkill, settings: Mapping[str, Any]) -> tuple[str, str] | None:
    """("not_set_up" | "settings_wrong", what is wrong) for settings the skill cannot work with."""
    missing = [k for k in skill.manifest.required_settings() if k not in settings]
    if missing:
        return "not_set_up", f"missing {missing}"
    if skill.check_settings is not None:
        try:
            skill.check_settings(settings)
        except (ValueError, TypeError, KeyError) as exc:
            return "settings_wrong", str(exc)
    return None


def phrase_book(
    manifests: Iterable[SkillManifest],
    extra: Sequence[PhraseRule] = (),
    extra_slots: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    patterns: Mapping[str, str] | None = None,
) -> PhraseBook:
    """The phrases of all skills as plain data for the understanding; slots of the same name merge.
    `extra` rules (with their slots and pattern slots) are jibsa's own, tried after the skills'."""
    rules: list[PhraseRule] = []
    slots: dict[str, dict[str, list[str]]] = {
        k: {v: list(w) for v, w in vs.items()} for k, vs in (extra_slots or {}).items()
    }
    for manifest in manifests:
        rules += manifest.rules
        for slot, values in manifest.slots.items():
            for value, words in values.items():
                slots.setdefault(slot, {}).setdefault(value, []).extend(words)
    return PhraseBook([*rules, *extra], slots, patterns)


def _say(key: str, language: str, **fields: str) -> str:
    return say(Said(f"skill.{key}", fields), "en" if language == "en" else "ko")


# Skills run here, each on its own event loop: a skill that blocks (time.sleep, a slow library) holds one of
# these threads, never the home's loop. Bounded, so stuck skills cannot take every thread of the process.
_SKILL_THREADS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="jibsa-skill")


async def run_apart(handler: Handler, request: SkillRequest, context: SkillContext, timeout_s: float) -> str:
    """Run `handler` on a skill thread with `timeout_s` enforced twice: the skill's own loop cancels it
    (an `await` that never returns), and the home stops waiting (code that blocks and never awaits)."""

    async def bounded() -> str:
        try:
            async with asyncio.timeout(timeout_s):
                return await handler(request, context)
        finally:
            await context.close()

    loop = asyncio.get_running_loop()
    return await asyncio.wait_for(loop.run_in_executor(_SKILL_THREADS, asyncio.run, bounded()), timeout_s + 0.5)


def _guarded(
    manifest: SkillManifest, handler: Handler, settings: Mapping[str, Any], problem: tuple[str, str] | None
) -> Skill:
    async def run(command: Command, hub: SkillHost) -> Outcome:
        language = str(command.params.get("language") or "ko")
        if problem is not None:
            reply = _say(problem[0], language, name=manifest.name)
            return Outcome(command, error=f"skill_{problem[0]}", answer={"reply": reply})
        params = {k: v for k, v in command.params.items() if k != "language"}
        now = datetime.fromtimestamp(hub.clock.now(), hub.timezone)
        request = SkillRequest(command.intent, params, language, now)
        context = SkillContext(manifest, settings, hub, home_loop=asyncio.get_running_loop())
        try:
            reply = await run_apart(handler, request, context, manifest.timeout_s)
        except SkillRefused as exc:
            log.warning("%s", exc)
            return Outcome(command, error="skill_refused", answer={"reply": _say("refused", language)})
        except TimeoutError:
            log.warning("skill %s: %s took longer than %gs", manifest.name, command.intent, manifest.timeout_s)
            return Outcome(command, error="skill_failed", answer={"reply": _say("failed", language)})
        except Exception:  # whatever a partner's code raises, the conversation goes on
            log.exception("skill %s: %s failed", manifest.name, command.intent)
            return Outcome(command, error="skill_failed", answer={"reply": _say("failed", language)})
        finally:
            context.expired = True
        if not all(context.outcomes):  # the skill's sentence is not said over a device that did not do it
            return Outcome(command, error="skill_failed", answer={"reply": _say("failed", language)})
        return Outcome(command, answer={"reply": str(reply)})

    return run
