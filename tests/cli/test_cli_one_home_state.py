"""One home state: while `jibsa serve` owns the data directory, `say`, `chat` and `status` talk to it
(through server.json, readable only by the directory's owner); without it they run on their own."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from cli_runs import jibsa, jibsa_home, owner_only, serving

from jibsa.testing.processes import free_port

pytestmark = pytest.mark.slow


def _token(lines: list[str]) -> str:
    found = re.search(r"(jibsa_\S+)", "\n".join(lines))
    assert found, lines
    return found.group(1)


def _power(url: str, token: str, device: str) -> bool:
    body = httpx.get(f"{url}/api/devices/{device}", headers={"Authorization": f"Bearer {token}"}).json()
    return bool(body["state"]["power"])


def test_say_changes_the_state_the_server_shows(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        token = _token(server.lines)
        assert owner_only(tmp_path / "server.json")
        said = jibsa(tmp_path, "say", "거실 천장등 켜줘")
        assert said.returncode == 0, said.stderr
        assert "✓ 거실 천장등: 켜짐" in said.stdout
        assert _power(server.url, token, "living_ceiling") is True
        assert jibsa(tmp_path, "say", "거실 천장등 꺼줘").returncode == 0
        assert _power(server.url, token, "living_ceiling") is False
        headers = {"Authorization": f"Bearer {token}"}
        httpx.post(f"{server.url}/api/devices/living_stand/commands", json={"intent": "turn_on"}, headers=headers)
        status = jibsa(tmp_path, "status").stdout.splitlines()
        assert "켜짐" in next(line for line in status if "거실 스탠드" in line)
        assert "꺼짐" in next(line for line in status if "거실 천장등" in line)


def test_a_running_server_answers_say_wholly_in_the_language_it_was_spoken_to(tmp_path: Path) -> None:
    with serving(tmp_path):
        korean = jibsa(tmp_path, "say", "거실 불 켜줘", lang="en").stdout.splitlines()
        assert korean == ["거실 천장등과 거실 스탠드를 켰어요.", "  ✓ 거실 천장등: 켜짐", "  ✓ 거실 스탠드: 켜짐"]
        english = jibsa(tmp_path, "say", "turn off the living room lights", lang="ko").stdout.splitlines()
        assert english == [
            "I turned off the ceiling light and the floor lamp.", "  ✓ ceiling light: off", "  ✓ floor lamp: off"
        ]  # fmt: skip
        asked = jibsa(tmp_path, "chat", stdin="unlock the front door\n", lang="ko").stdout
        assert "Say 'yes' to go ahead" in asked and "'응'" not in asked


def test_chat_talks_to_the_server_and_keeps_its_context(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        token = _token(server.lines)
        chat = jibsa(tmp_path, "chat", stdin="거실 스탠드 켜줘\n밝기 30으로\n")
        assert chat.returncode == 0, chat.stderr
        assert "✓ 거실 스탠드: 밝기 30%" in chat.stdout
        body = httpx.get(f"{server.url}/api/devices/living_stand", headers={"Authorization": f"Bearer {token}"})
        assert body.json()["state"]["brightness"] == 30


def test_the_local_endpoint_wants_the_token_of_server_json(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        url = f"{server.url}/api/local/say"
        assert httpx.post(url, json={"text": "거실 불 꺼줘"}).status_code == 401
        wrong = httpx.post(url, json={"text": "거실 불 꺼줘"}, headers={"X-Jibsa-Local-Token": "guess"})
        assert wrong.status_code == 401
        token = json.loads((tmp_path / "server.json").read_text(encoding="utf-8"))["token"]
        right = httpx.post(url, json={"text": "거실 불 꺼줘"}, headers={"X-Jibsa-Local-Token": token})
        assert right.status_code == 200 and right.json()["lines"][0] == "거실 천장등과 거실 스탠드는 이미 꺼져 있어요."


def test_when_the_server_stops_commands_run_on_their_own(tmp_path: Path) -> None:
    with serving(tmp_path):
        assert (tmp_path / "server.json").exists()
    assert not (tmp_path / "server.json").exists()
    said = jibsa(tmp_path, "say", "거실 천장등 켜줘")
    assert said.returncode == 0 and "✓ 거실 천장등: 켜짐" in said.stdout


def test_a_stale_server_file_is_ignored_and_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    # A process that is gone; then one that lives (init) but is no jibsa server listening there.
    for pid, (sentence, said_line) in zip(
        (dead.pid, 1),
        [("거실 천장등 켜줘", "✓ 거실 천장등: 켜짐"), ("거실 천장등 꺼줘", "✓ 거실 천장등: 꺼짐")],
        strict=True,
    ):
        file = tmp_path / "server.json"
        file.write_text(
            json.dumps({"url": f"http://127.0.0.1:{free_port()}", "token": "t", "pid": pid, "home": None}),
            encoding="utf-8",
        )
        said = jibsa(tmp_path, "say", sentence)
        assert said.returncode == 0, said.stderr
        assert said_line in said.stdout
        assert not file.exists()


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_an_empty_request_is_an_error_in_the_chosen_language(tmp_path: Path, text: str) -> None:
    korean = jibsa(tmp_path, "say", text)
    assert korean.returncode == 2 and korean.stdout == ""
    assert "할 말이 비어 있어요" in korean.stderr
    english = jibsa(tmp_path, "say", text, lang="en")
    assert english.returncode == 2 and "the request is empty" in english.stderr


def test_a_home_file_of_the_same_home_talks_to_the_server_another_home_runs_alone(tmp_path: Path) -> None:
    from jibsa.home_file import sample_home_text

    same, other = tmp_path / "same.yaml", tmp_path / "other.yaml"
    same.write_text(sample_home_text(), encoding="utf-8")  # the sample home itself, its id and all
    other.write_text(
        "id: cottage\nrooms: [{id: living, name: 거실}]\n"
        "devices: [{id: lamp, name: 거실 등, type: light, room: living}]\n",
        encoding="utf-8",
    )
    with serving(tmp_path) as server:
        token = _token(server.lines)
        said = jibsa(tmp_path, "say", "--home", str(same), "거실 천장등 켜줘")
        assert said.returncode == 0 and "✓ 거실 천장등: 켜짐" in said.stdout
        assert _power(server.url, token, "living_ceiling") is True  # the same home id: the server's state
        alone = jibsa(tmp_path, "say", "--home", str(other), "거실 등 켜줘")
        assert alone.returncode == 0 and "✓ 거실 등: 켜짐" in alone.stdout
        assert f"{server.url}에서 도는 jibsa 서버는 다른 집(sample)을 맡고 있어요" in alone.stderr
        assert "jibsa 서버는" not in said.stderr
        assert (tmp_path / "server.json").exists()  # still the server's: another home does not remove it


def test_rules_imported_while_the_server_runs_take_effect_without_a_restart(tmp_path: Path) -> None:
    """Issue 20, item 5: `jibsa rules import` said "imported 1 rules", but the running server did not
    use the rule until it restarted."""
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n  - name: 천장등 알림\n"
        "    when: {kind: state, device: living_ceiling, property: power, to: true}\n"
        "    do: [{kind: notify, message: 천장등이 켜졌어요}]\n",
        encoding="utf-8",
    )
    with serving(tmp_path) as server:
        token = _token(server.lines)
        imported = subprocess.run(
            [sys.executable, "-m", "jibsa.cli.main", "rules", "import", str(rules), "--data", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        )
        assert imported.returncode == 0, imported.stdout + imported.stderr
        assert "running server" in imported.stdout
        assert jibsa(tmp_path, "say", "거실 천장등 켜줘").returncode == 0
        headers = {"Authorization": f"Bearer {token}"}
        told: list[str] = []
        for _ in range(50):  # the rule runs beside the answer: give it up to 5 s
            told = [
                n["text"] for n in httpx.get(f"{server.url}/api/notifications", headers=headers).json()["notifications"]
            ]
            if told:
                break
            time.sleep(0.1)
        assert told == ["천장등이 켜졌어요"]


def test_a_copy_made_by_home_init_is_a_home_of_its_own(tmp_path: Path) -> None:
    """A renamed device answers with its new name: the copy no longer shares the server's home id."""
    mine = tmp_path / "my-home.yaml"
    jibsa_home(tmp_path, "init", str(mine), lang="ko")
    mine.write_text(
        mine.read_text(encoding="utf-8").replace("name: 거실 스탠드", "name: 거실 장스탠드", 1), encoding="utf-8"
    )
    with serving(tmp_path):
        said = jibsa(tmp_path, "say", "--home", str(mine), "거실 장스탠드 켜줘")
    assert said.returncode == 0 and "✓ 거실 장스탠드: 켜짐" in said.stdout, said.stdout + said.stderr
    assert "다른 집(sample)" in said.stderr
