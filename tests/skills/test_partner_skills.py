"""Partner skills: the example package installed with pip and asked through `jibsa say`; skills
that hang, raise or overstep their permissions are cut off and explained, and the conversation goes on."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from jibsa.app import Settings, open_home
from jibsa.domain import Command
from jibsa.hub import ManualClock
from jibsa.skills.loader import accepted_skills
from jibsa.skills.manifest import ManifestError, read_manifest
from jibsa.skills.partner import Handler, PartnerSkill, SkillContext, SkillRequest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "jibsa-skill-recycling"
WEEK = {"월": ["플라스틱", "비닐"], "화": ["음식물"], "수": ["종이", "캔"], "목": ["음식물"],
        "금": ["유리병", "스티로폼"], "토": ["음식물"], "일": ["음식물"]}  # fmt: skip
WEEKDAYS = ["월", "화", "수", "목", "금", "토", "일"]
FAILED = "그 기능이 지금 안 돼요."


@pytest.mark.slow
def test_the_example_installs_with_pip_and_answers_in_a_conversation(tmp_path: Path) -> None:
    target, data, package = tmp_path / "site", tmp_path / "data", tmp_path / "package"
    data.mkdir()
    shutil.copytree(EXAMPLE, package, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(package)],
        check=True,
        capture_output=True,
    )  # a copy: pip builds in the tree it is given
    (data / "jibsa.yaml").write_text(
        yaml.safe_dump({"skills": {"recycling": {"schedule": WEEK}}}, allow_unicode=True), encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}

    def say(text: str) -> str:
        run = subprocess.run(
            [sys.executable, "-m", "jibsa.cli.main", "say", "--data", str(data), text],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        return run.stdout

    today = datetime.now(ZoneInfo("Asia/Seoul")).weekday()
    answer = say("오늘 무슨 쓰레기 버리는 날이야?")
    assert ", ".join(WEEK[WEEKDAYS[today]]) + " 버리는 날이에요" in answer
    tomorrow = (today + 1) % 7
    recycling = say("내일 재활용 버리는 날이야?")
    expected = "아니요" if WEEK[WEEKDAYS[tomorrow]] == ["음식물"] else "네"
    assert recycling.startswith(expected), recycling


def manifest(name: str, permissions: str = "{}", timeout: float = 1.0) -> str:
    return f"""
name: {name}
intents: [{name}_go]
phrases: [{{intent: {name}_go, ko: ["{name} 해줘"], en: ["do {name}"]}}]
permissions: {permissions}
timeout_s: {timeout}
"""


async def _never(request: SkillRequest, jibsa: SkillContext) -> str:
    await asyncio.Event().wait()
    return "never"


async def _raise(request: SkillRequest, jibsa: SkillContext) -> str:
    raise RuntimeError("the partner's server is down")


async def _lock_the_door(request: SkillRequest, jibsa: SkillContext) -> str:
    await jibsa.command("unlock", "front_door")
    return "현관문을 열었어요."


async def _try_unlock(request: SkillRequest, jibsa: SkillContext) -> str:
    return "현관문을 열었어요." if await jibsa.command("unlock", "front_door") else "현관문을 열 수 없어요."


async def _lights_off(request: SkillRequest, jibsa: SkillContext) -> str:
    done = await jibsa.command("turn_off", "living_ceiling")
    return "거실 천장등을 껐어요." if done else "거실 천장등이 답하지 않아요."


async def _claims_the_lights(request: SkillRequest, jibsa: SkillContext) -> str:
    await jibsa.command("unlock", "front_door")  # a guest's rights: the hub refuses
    return "현관문을 열었어요."


async def _scene_via_a_light(request: SkillRequest, jibsa: SkillContext) -> str:
    await jibsa.command("run_scene", "living_ceiling", scene="home")  # the scene sets the boiler too
    return "귀가 모드를 켰어요."


def _blocks(seen: threading.Event) -> Handler:
    async def handler(request: SkillRequest, jibsa: SkillContext) -> str:
        return "free" if seen.wait(10) else "stalled"  # blocking code: never awaits

    return handler


async def _peek(request: SkillRequest, jibsa: SkillContext) -> str:
    return str(len(jibsa.device_states()))


BLOCKED_SEES = threading.Event()


async def _says_closed(request: SkillRequest, jibsa: SkillContext) -> str:
    return "가스를 잠갔어요."


GAS_CLAIMER = PartnerSkill(
    read_manifest(
        """
name: gasman
intents: [gasman_go]
phrases: [{intent: gasman_go, ko: ["가스 잠가줘"], en: ["close the gas"]}]
""",
        "gasman",
    ),
    {"gasman_go": _says_closed},
)


def _skill(name: str, handler: object, permissions: str = "{}", timeout: float = 1.0) -> PartnerSkill:
    return PartnerSkill(read_manifest(manifest(name, permissions, timeout), name), {f"{name}_go": handler})  # type: ignore[dict-item]


@pytest.fixture
async def home(tmp_path: Path):
    skills = [
        _skill("hang", _never, timeout=0.2),
        _skill("boom", _raise),
        _skill("door", _lock_the_door, "{command: [light]}"),
        _skill("lights", _lights_off, "{command: [light]}"),
        _skill("peek", _peek),
        _skill("unlock", _try_unlock, "{command: [door_lock]}"),
        _skill("claim", _claims_the_lights, "{command: [door_lock]}"),
        _skill("scene", _scene_via_a_light, "{command: [light]}"),
        _skill("block", _blocks(BLOCKED_SEES), timeout=10.0),
        GAS_CLAIMER,
    ]
    running = await open_home(Settings(data_dir=tmp_path), clock=ManualClock(), partner_skills=skills)
    yield running
    await running.close()


async def test_a_hanging_skill_is_cut_off_and_the_conversation_goes_on(home) -> None:
    turn = await home.conversation.handle("hang 해줘")
    assert turn.reply == FAILED and turn.outcomes[0].error == "skill_failed"
    english = await home.conversation.handle("do hang")
    assert english.reply == "That feature isn't working right now."
    after = await home.conversation.handle("거실 천장등 켜줘")
    assert home.hub.state("living_ceiling")["power"] is True and "천장등" in after.reply


async def test_a_raising_skill_is_explained(home) -> None:
    turn = await home.conversation.handle("boom 해줘")
    assert turn.reply == FAILED


async def test_a_device_type_not_declared_is_refused(home) -> None:
    locked = home.hub.state("front_door")
    turn = await home.conversation.handle("door 해줘")
    assert turn.outcomes[0].error == "skill_refused" and "허락되지 않은" in turn.reply
    assert home.hub.state("front_door") == locked
    await home.hub.execute_all([])  # nothing pending
    lights = await home.conversation.handle("lights 해줘")
    assert lights.reply == "거실 천장등을 껐어요." and home.hub.state("living_ceiling")["power"] is False


async def test_a_skill_acts_with_a_guests_rights(home) -> None:
    await home.hub.execute(Command("lock", ("front_door",)))
    turn = await home.conversation.handle("unlock 해줘")  # door locks are declared, but unlocking is not a guest's
    assert home.hub.state("front_door")["lock"] == "locked"
    assert turn.reply == FAILED  # the hub did not do it: the skill's own sentence is not said


async def test_reading_states_needs_the_permission(home) -> None:
    turn = await home.conversation.handle("peek 해줘")
    assert turn.outcomes[0].error == "skill_refused"


@pytest.mark.parametrize(("settings", "error", "reply"), [
    ({}, "skill_not_set_up", "그 기능은 아직 설정되지 않았어요. jibsa.yaml의 skills.recycling 항목을 확인해 주세요."),
    ({"recycling": {"schedule": {"매일": ["음식물"]}}}, "skill_settings_wrong",
     "그 기능의 설정이 잘못되었어요. jibsa.yaml의 skills.recycling 항목을 확인해 주세요."),
])  # fmt: skip
async def test_missing_or_wrong_settings_are_said_not_crashed(
    tmp_path: Path,
    settings: dict[str, object],
    error: str,
    reply: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sys.path.insert(0, str(EXAMPLE / "src"))
    try:
        from jibsa_skill_recycling import create

        running = await open_home(
            Settings(data_dir=tmp_path, adapter_settings={"skills": settings}),
            clock=ManualClock(),
            partner_skills=[create()],
        )
        turn = await running.conversation.handle("오늘 무슨 쓰레기 버리는 날이야?")
        await running.close()
    finally:
        sys.path.remove(str(EXAMPLE / "src"))
    assert turn.outcomes[0].error == error and turn.reply == reply
    assert "jibsa.yaml skills.recycling" in caplog.text  # said once, when the home started


def test_a_skill_taking_jibsas_intents_or_missing_a_handler_is_left_out() -> None:
    weather = PartnerSkill(read_manifest("name: w\nintents: [get_weather]", "w"), {"get_weather": _raise})
    unhandled = PartnerSkill(read_manifest("name: u\nintents: [u_go, u_stop]", "u"), {"u_go": _raise})
    second = _skill("hang", _raise)
    first = _skill("hang", _never)
    assert accepted_skills([weather, unhandled, first, second]) == [first]


@pytest.mark.parametrize(("text", "problem"), [
    ("name: x\nintents: [x_go]\npermissions: {command: [spaceship]}", "permissions.command"),
    ("name: x\nintents: []", "intents"),
    ("name: x\nintents: [x_go]\nphrases: [{intent: y, ko: [a]}]", "phrases[0]"),
    ("name: x\nintents: [x_go]\ntimeout_s: 0", "timeout_s"),
    ("name: x\nintents: [x_go]\nphrases: [{intent: x_go, ko: ['(a|b 해줘']}]", "brackets do not match"),
    ("name: x\nintents: [x_go]\nphrases: [{intent: x_go, ko: ['{day} 해줘']}]", "slots ['day'] are not declared"),
    ("name: x\nintents: [x_go]\nphrases: [{intent: x_go, ko: ['{day 해줘']}]", "not part of a"),
    ("[", "not YAML"),
])  # fmt: skip
def test_a_wrong_manifest_names_its_field(text: str, problem: str) -> None:
    with pytest.raises(ManifestError, match=re.escape(problem)):
        read_manifest(text, "partner/skill.yaml")


async def test_a_scene_is_checked_against_the_skills_permissions_action_by_action(home) -> None:
    """Issue 20, item 12: a skill allowed only lights cannot run a scene that sets the boiler."""
    boiler = home.hub.state("boiler")
    turn = await home.conversation.handle("scene 해줘")
    assert turn.outcomes[0].error == "skill_refused"
    assert home.hub.state("boiler") == boiler and home.hub.state("entrance_light")["power"] is not True


async def test_a_skill_never_says_what_the_hub_did_not_do(home) -> None:
    turn = await home.conversation.handle("claim 해줘")
    assert turn.reply == FAILED and home.hub.state("front_door")["lock"] == "locked"


async def test_a_skill_that_blocks_does_not_stall_the_home(home) -> None:
    """The skill waits, without awaiting, for something only the home's running loop can give it."""
    BLOCKED_SEES.clear()
    talking = asyncio.create_task(home.conversation.handle("block 해줘"))
    await asyncio.sleep(0.05)
    BLOCKED_SEES.set()  # only runs if the loop is free while the skill blocks
    turn = await talking
    assert turn.reply == "free"


async def test_a_safety_devices_phrase_is_never_a_skills(home) -> None:
    """A skill's phrase "가스 잠가줘" does not take the gas valve's sentence: the hub carries it out."""
    turn = await home.conversation.handle("가스 잠가줘")
    assert all(o.command.intent != "gasman_go" for o in turn.outcomes)
    assert home.hub.state("gas_valve")["valve"] == "closed"
