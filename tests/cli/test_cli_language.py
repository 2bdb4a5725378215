"""Every word a person reads in the chosen language: the CLI's output in Korean holds no English word
(beyond names, units, commands to type), and in English no Korean (beyond the home's own names)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runs import jibsa, jibsa_home, serving

from jibsa.home_file import load_home

pytestmark = pytest.mark.slow

KOREAN_SENTENCES = ["거실 불 켜줘", "거실 스탠드 빨간색으로", "거실 커튼 닫아줘", "30분 뒤에 거실 에어컨 꺼",
                    "가스 밸브 열어줘", "현관문 열어줘", "세탁기 돌려줘", "10분 타이머 맞춰줘"]  # fmt: skip
ENGLISH_SENTENCES = ["turn on the living room lights", "open the gas valve", "unlock the front door",
                     "in 30 minutes turn off the living room air conditioner", "start the washer"]  # fmt: skip
# What may stay in Latin letters in Korean output: what is typed (commands, options), units, formats.
LATIN_ALLOWED = {"jibsa", "say", "yes", "force", "home", "check", "user", "add", "role", "member", "guest",
                 "passwd", "admin", "Ctrl", "YAML", "UTF", "id", "measures", "lang", "ppm", "PM", "CO", "TLS", "tls",
                 "cert", "key", "insecure", "serve"}  # fmt: skip
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]+")
# Not words: job ids, tokens, passwords, URLs, file paths, a home file's field paths and quoted values.
NOT_WORDS = re.compile(
    r"\b[0-9a-f]{8}\b|jibsa_\S+|(?<=비밀번호: )\S+|(?<=password: )\S+|https?://\S+|[\w./-]*/[\w./-]+"
    r"|\b[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)+|'[^']*'"
)


def _home_names() -> list[str]:
    home = load_home(None).home
    names = [home.name, home.city] + [r.name for r in home.rooms] + [d.name for d in home.devices]
    names += [s.name for s in home.scenes] + [a for d in home.devices for a in d.aliases]
    return sorted(set(names), key=len, reverse=True)


def _runs(data: Path, sentences: list[str], lang: str) -> str:
    out: list[str] = []
    for sentence in sentences:
        said = jibsa(data, "say", sentence, lang=lang)
        out += [said.stdout, said.stderr]
    confirmed = jibsa(data, "say", "--yes", "현관문 열어줘" if lang == "ko" else "unlock the front door", lang=lang)
    out += [confirmed.stdout, jibsa(data, "say", " ", lang=lang).stderr]
    out.append(jibsa(data, "status", lang=lang).stdout)
    out.append(jibsa(data, "serve", "--host", "0.0.0.0", lang=lang).stderr)  # refused: no TLS
    out.append(jibsa(data, "serve", "--tls-cert", "cert.pem", lang=lang).stderr)  # refused: no key
    chat = jibsa(data, "chat", lang=lang, stdin="\n".join(sentences[:2]) + "\n")
    out += [chat.stdout, chat.stderr]
    person = "민지" if lang == "ko" else "Minji"
    for user in (["add", person, "--role", "guest"], ["add", person], ["list"]):  # added, refused, listed
        run = jibsa_user(data, *user, lang=lang)
        out += [run.stdout, run.stderr]
    home = data / "my-home.yaml"
    for action in ("init", "init", "check"):  # written, then refused (it exists), then checked
        run = jibsa_home(data, action, str(home), lang=lang)
        out += [run.stdout, run.stderr]
    home.write_text(home.read_text(encoding="utf-8").replace("type: tv", "type: television", 1), encoding="utf-8")
    out.append(jibsa_home(data, "check", str(home), lang=lang).stdout)
    home.write_text("rooms: [{id: a, name: 방, colour: red}]\n", encoding="utf-8")
    out.append(jibsa_home(data, "check", str(home), lang=lang).stderr)
    home.write_text("rooms: [\n", encoding="utf-8")
    out.append(jibsa_home(data, "check", str(home), lang=lang).stdout)
    return "\n".join(out)


def jibsa_user(data: Path, action: str, *args: str, lang: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jibsa.cli.main", "user", action, "--data", str(data), "--lang", lang, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(data)},
    )


def _without_names(text: str) -> str:
    for name in _home_names():
        text = text.replace(name, " ")
    return NOT_WORDS.sub(" ", text)


def test_korean_output_has_no_english_words(tmp_path: Path) -> None:
    with serving(tmp_path, lang="ko") as server:
        served = "\n".join(server.lines)
    text = _without_names(_runs(tmp_path, KOREAN_SENTENCES, "ko") + served)
    leaks = sorted({w for w in LATIN_WORD.findall(text) if w not in LATIN_ALLOWED})
    assert leaks == [], text


def test_english_output_has_no_korean_words(tmp_path: Path) -> None:
    with serving(tmp_path, lang="en") as server:
        served = "\n".join(server.lines)
    text = _without_names(_runs(tmp_path, ENGLISH_SENTENCES, "en") + served)
    assert HANGUL.findall(text) == [], text
