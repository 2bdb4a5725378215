"""`jibsa say`, `jibsa chat` and `jibsa status` as a person runs them, in a fresh data directory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def jibsa(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    command, *rest = args
    return subprocess.run(
        [sys.executable, "-m", "jibsa.cli.main", command, "--data", str(data), *rest],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"COLUMNS": "160", "PATH": "/usr/bin:/bin", "HOME": str(data)},
    )


def test_say_carries_out_and_the_change_is_kept(tmp_path: Path) -> None:
    said = jibsa(tmp_path, "say", "거실 불 켜줘")
    assert said.returncode == 0, said.stderr
    assert said.stdout.splitlines()[0] == "거실 천장등과 거실 스탠드를 켰어요."
    assert "✓ 거실 천장등: 켜짐" in said.stdout
    status = jibsa(tmp_path, "status")
    line = next(row for row in status.stdout.splitlines() if "거실 천장등" in row)
    assert "켜짐" in line


def test_say_asks_before_unlocking_and_yes_confirms(tmp_path: Path) -> None:
    asked = jibsa(tmp_path, "say", "현관문 열어줘")
    assert "--yes" in asked.stdout and "✓" not in asked.stdout
    done = jibsa(tmp_path, "say", "--yes", "현관문 열어줘")
    assert "✓ 현관문: 열림" in done.stdout


def test_chat_keeps_context_and_leaves_on_end_of_input(tmp_path: Path) -> None:
    chat = jibsa(tmp_path, "chat", stdin="거실 스탠드 켜줘\n밝기 30으로\n")
    assert chat.returncode == 0, chat.stderr
    assert "✓ 거실 스탠드: 밝기 30%" in chat.stdout


def test_a_refused_home_file_stops_say_with_status_2(tmp_path: Path) -> None:
    home = tmp_path / "home.yaml"
    home.write_text("rooms: [{id: a, name: 방}]\ndevices: [{id: x, name: 불, type: lamp}]\n", encoding="utf-8")
    said = jibsa(tmp_path, "say", "--home", str(home), "불 켜")
    assert said.returncode == 2
    assert said.stderr.strip() == f"{home}: devices[0].type: 'lamp'는 모르는 기기 종류예요"
    said = jibsa(tmp_path, "say", "--lang", "en", "--home", str(home), "불 켜")
    assert said.returncode == 2
    assert said.stderr.strip() == f"{home}: devices[0].type: unknown type 'lamp'"


def test_a_setting_that_cannot_be_used_stops_the_command_naming_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "jibsa.yaml").write_text("history:\n  days: lots\n", encoding="utf-8")
    refused = jibsa(tmp_path, "status")
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        f"{tmp_path / 'jibsa.yaml'}: history.days: 'lots' is not a number of days (0 keeps all history)"
    )


def test_a_scheduled_command_is_said_in_words_and_listed_by_status(tmp_path: Path) -> None:
    said = jibsa(tmp_path, "say", "30분 뒤에 거실 에어컨이랑 안방 에어컨 꺼")
    assert said.returncode == 0, said.stderr
    scheduled = said.stdout.splitlines()[1]
    assert scheduled.startswith("  예약했어요: 거실 에어컨, 안방 에어컨 끄기 — ") and "turn_off" not in said.stdout
    status = jibsa(tmp_path, "status").stdout.splitlines()
    assert "예약 1건" in status
    assert any(line.startswith("  ⏱ 거실 에어컨, 안방 에어컨 끄기 — ") for line in status)


def test_chat_asks_for_a_yes_not_for_the_yes_flag(tmp_path: Path) -> None:
    chat = jibsa(tmp_path, "chat", stdin="현관문 열어줘\n응\n")
    assert chat.returncode == 0, chat.stderr
    assert "--yes" not in chat.stdout and "'응'" in chat.stdout
    assert "현관문을 잠금 해제했어요." in chat.stdout


def test_a_room_the_home_lacks_stops_say_with_status_2(tmp_path: Path) -> None:
    said = jibsa(tmp_path, "say", "--room", "nowhere", "불 꺼줘")
    assert said.returncode == 2 and said.stdout == ""
    assert "없는 방" in said.stderr and "--room nowhere" in said.stderr
    by_name = jibsa(tmp_path, "say", "--room", "거실", "불 꺼줘")  # a room's name works as its id does
    assert by_name.returncode == 0 and "거실 천장등" in by_name.stdout


def test_home_check_chooses_the_particle_by_how_a_latin_word_is_read(tmp_path: Path) -> None:
    home = tmp_path / "home.yaml"
    said: dict[str, str] = {}
    for kind in ("aircon", "lamp"):  # 에어컨은, 램프는
        home.write_text(
            f"rooms: [{{id: a, name: 방}}]\ndevices: [{{id: x, name: 불, type: {kind}}}]\n", encoding="utf-8"
        )
        said[kind] = jibsa(tmp_path, "say", "--home", str(home), "불 켜").stderr.strip()
    assert said["aircon"].endswith("'aircon'은 모르는 기기 종류예요")
    assert said["lamp"].endswith("'lamp'는 모르는 기기 종류예요")
    home.write_text(
        "rooms: [{id: a, name: 방}]\ndevices: [{id: x, name: 불, type: light, room: bedroom}]\n", encoding="utf-8"
    )
    assert jibsa(tmp_path, "say", "--home", str(home), "불 켜").stderr.strip().endswith("'bedroom'이라는 방이 없어요")


def test_home_init_gives_the_copy_its_own_id(tmp_path: Path) -> None:
    from jibsa.home_file import load_home

    for name, wanted in (("my-home.yaml", "my_home"), ("sample.yaml", None), ("한빛네.yaml", None)):
        made = subprocess.run(
            [sys.executable, "-m", "jibsa.cli.main", "home", "init", str(tmp_path / name)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert made.returncode == 0, made.stderr
        home_id = load_home(tmp_path / name).home.id
        assert home_id != "sample" and (wanted is None or home_id == wanted), home_id
        assert home_id in made.stdout


# A person answers in the language they spoke, whatever the command line's language: the reply and every
# line under it (what changed, what to say to confirm) in that one language.
KOREAN_ON = ["거실 천장등과 거실 스탠드를 켰어요.", "  ✓ 거실 천장등: 켜짐", "  ✓ 거실 스탠드: 켜짐"]
ENGLISH_OFF = ["I turned off the ceiling light and the floor lamp.", "  ✓ ceiling light: off", "  ✓ floor lamp: off"]


def test_say_answers_wholly_in_the_language_it_was_spoken_to(tmp_path: Path) -> None:
    korean_in_english = jibsa(tmp_path, "say", "--lang", "en", "거실 불 켜줘")
    assert korean_in_english.stdout.splitlines() == KOREAN_ON
    english_in_korean = jibsa(tmp_path, "say", "--lang", "ko", "turn off the living room lights")
    assert english_in_korean.stdout.splitlines() == ENGLISH_OFF
    asked = jibsa(tmp_path, "say", "--lang", "en", "현관문 열어줘").stdout.splitlines()
    assert asked == ["현관문을 열까요?", "  확인하려면 --yes 를 붙여 다시 말씀해 주세요."]
    asked = jibsa(tmp_path, "say", "--lang", "ko", "unlock the front door").stdout.splitlines()
    assert asked == ["Shall I unlock the front door?", "  Say it again with --yes to confirm."]


def test_chat_answers_each_request_in_its_own_language(tmp_path: Path) -> None:
    chat = jibsa(tmp_path, "chat", "--lang", "en", stdin="현관문 열어줘\n응\nturn off the living room lights\n")
    assert chat.returncode == 0, chat.stderr
    said = [line.removeprefix("> ") for line in chat.stdout.splitlines()[1:] if line.strip("> ")]
    assert said == [
        "현관문을 열까요?",
        "  진행하려면 '응', 그만두려면 '아니'라고 말씀해 주세요.",
        "현관문을 잠금 해제했어요.",
        "  ✓ 현관문: 열림",
        "Already off: the ceiling light and the floor lamp.",
    ]  # the lights were off: nothing done, said so, no line
    chat = jibsa(tmp_path, "chat", "--lang", "ko", stdin="turn on the living room lights\n")
    said = [line.removeprefix("> ") for line in chat.stdout.splitlines()[1:] if line.strip("> ")]
    assert said == ["I turned on the ceiling light and the floor lamp.", "  ✓ ceiling light: on", "  ✓ floor lamp: on"]
