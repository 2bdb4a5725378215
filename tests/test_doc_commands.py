"""Every `./jibsa …` / `jibsa …` line of the shell blocks in README.md and docs/*.md, run as a reader runs it:
each document's lines in order, in a fresh household (a temporary home directory, so a fresh data directory,
and a working directory of its own), each exiting 0 and printing what the document says it prints.

What each line must print is in `EXAMPLES` below, keyed by the line as written (its `# …` comment dropped);
a line of the documents that is not there fails `test_every_example_has_its_check`, so a new example comes
with its check. Long-running commands (serve, simulate, voice serve) are started, checked once ready (their
printed address, or their port answering) and stopped; their fixed ports (8700, 1883, 10300) are swapped for
free ones, as other tests share the machine. A line that cannot run here says why in `SKIPPED`.

`./jibsa` is the checkout's launcher, which execs `.venv/bin/jibsa` once set up (tests/cli checks it); the
lines run that entry point directly, as does `jibsa …` after `pip install`.
"""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from jibsa.testing.processes import free_port, lines_until, stop

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
JIBSA = Path(sys.executable).with_name("jibsa")
SHELLS = ("", "sh", "bash", "shell", "console")  # a block's label: the ones that hold commands
MOSQUITTO = Path("/usr/sbin/mosquitto")


@dataclass(frozen=True)
class Run:
    """A command that ends: exit 0 and `prints` (a regular expression) found in what it printed."""

    prints: str
    stdin: str = ""


@dataclass(frozen=True)
class Serve:
    """A command that runs until stopped: ready when it prints `ready` (or, when empty, its port answers)."""

    ready: str = ""


EXAMPLES: dict[str, Run | Serve] = {
    # README: the first hour
    "./jibsa serve": Serve(ready="http://127.0.0.1:"),
    "./jibsa chat": Run(r"한빛네 집 — 무엇을 도와드릴까요\?[\s\S]*켰어요\.", stdin="거실 불 켜줘\n"),
    './jibsa say "거실 불 좀 꺼줄래?"': Run(r"^거실 천장등과 거실 스탠드를 껐어요\.\n\s+✓ 거실 천장등: 꺼짐"),
    './jibsa say --room master_bedroom "더워"': Run(r"^안방 에어컨을 켰어요\."),
    './jibsa say "30분 뒤에 보일러 꺼"': Run(r"^30분 뒤에 보일러를 끌게요\.\n\s+예약했어요: 보일러 끄기"),
    "./jibsa status": Run(r"^한빛네 집\n방\s+기기\s+상태\n거실\s+거실 천장등"),
    "./jibsa home init my-home.yaml": Run(r"^my-home\.yaml에 샘플 집을 썼어요\.[\s\S]*'my_home'"),
    "./jibsa home check my-home.yaml": Run(r"^my-home\.yaml: 문제없어요 — 한빛네 집"),
    "jibsa home init home.yaml": Run(r"^home\.yaml에 샘플 집을 썼어요\."),  # docs/provider.md
    './jibsa say --home my-home.yaml "현관문 잠겨 있어?"': Run(r"^현관문은 잠겨 있어요\."),
    # README: MQTT (a Mosquitto of the test's own on a free port)
    "./jibsa simulate --mqtt mqtt://127.0.0.1:1883": Serve(ready="mqtt://127.0.0.1:"),
    "./jibsa serve --mqtt mqtt://127.0.0.1:1883": Serve(ready="http://127.0.0.1:"),
    # README and docs/voice.md: voice (the real Whisper model; the recordings are jibsa's own voice)
    "./jibsa hear --room living command.wav": Run(
        r'^\{"text": .*"file": "command\.wav", "transcript": .*"stt_ms": \d+'
    ),
    "./jibsa say --audio command.wav": Run(r"^🎤 \S"),
    './jibsa speak "에어컨을 23도로 맞출게요." -o reply.wav': Run(r"^reply\.wav: \d+\.\d s, 16000 Hz, 16-bit PCM"),
    "./jibsa user add kitchen-speaker --role satellite": Run(
        r"^kitchen-speaker\(satellite\) 님을 추가했어요\.[\s\S]*jibsa_"
    ),
    "./jibsa voice serve --satellite kitchen-speaker --uri tcp://0.0.0.0:10300 --allow 192.168.0.0/24": Serve(),
    "./jibsa hear --home my-home.yaml --room living a.wav b.wav": Run(
        r'^\{"text": .*"file": "a\.wav".*\n\{"text": .*"file": "b\.wav"'
    ),
    "./jibsa say --audio a.wav": Run(r"^🎤 \S"),
    "./jibsa user add mina --role member": Run(r"^mina\(구성원\) 님을 추가했어요\."),
    "./jibsa voice enroll --user mina --room 안방 a.wav b.wav": Run(r"^mina님의 목소리를 등록했어요 \(녹음 2개\)\."),
    "./jibsa voice voices": Run(r'^\{"strangers_as_guests": true\}\n\{"name": "mina", "room": "master_bedroom"'),
    "./jibsa voice forget --user mina": Run(r"^mina님의 목소리 녹음 2개를 지웠어요\."),
    # docs/mqtt-zigbee2mqtt.md (the bulb's home-file line is checked by tests/test_doc_examples.py)
    "./jibsa serve --home my-home.yaml": Serve(ready="http://127.0.0.1:"),
    './jibsa say --home my-home.yaml "거실 스탠드 켜줘"': Run(r"^거실 스탠드를 켰어요\."),
    # docs/remote-access.md
    "jibsa serve --trusted-proxy 127.0.0.1 --secure-cookies": Serve(ready="http://127.0.0.1:"),
}
MATTER = "needs a Matter controller and a device on its network: tests/adapters/matter runs them (docs/matter.md)"
PROVIDER = (
    "needs a nats-server and the provider's PostgreSQL; tests/provider run homes import, export, delete and "
    "retention, the gateway and say --home-id against their own"
)
SKIPPED: dict[str, str] = {
    "./jibsa serve --matter": MATTER,
    './jibsa say "매터 기기 추가해줘"': MATTER,
    './jibsa say "3497-011-2332"': MATTER,
    './jibsa say "거실 스탠드로 해줘"': MATTER,
    "./jibsa serve --home tests/adapters/matter/home.yaml --config /tmp/jibsa-matter-lab.yaml": MATTER,
    './jibsa say "<the code>"': MATTER,
    './jibsa say "거실 스탠드 켜줘"': MATTER + " (the last of docs/matter.md's one-line walk-through)",
    "jibsa parse --home HOME.yaml [--room ROOM_ID] [--lang ko|en]": "a synopsis (placeholders); tests/nlu run parse",
    "./jibsa voice serve --satellite kitchen-speaker [--uri tcp://0.0.0.0:10300 --allow 192.168.0.0/24] "
    "[--zeroconf] [--room living]": "a synopsis (optional parts in brackets); README's full line runs",
    "jibsa serve --host 0.0.0.0 --tls-cert /etc/jibsa/fullchain.pem --tls-key /etc/jibsa/privkey.pem": (
        "needs the reader's certificate for their domain; tests/api serve TLS with a certificate of their own"
    ),
    './jibsa say "오늘 무슨 쓰레기 버리는 날이야?"': (
        "needs the example skill installed into the environment (pip install ./examples/jibsa-skill-recycling); "
        "tests/skills/test_partner_skills.py runs it"
    ),
    './jibsa say "내일 재활용 버리는 날이야?"': "the same example skill (tests/skills/test_partner_skills.py)",
    # README and docs/provider.md: the provider's commands need a nats-server and the provider's PostgreSQL
    "jibsa provider homes import home.yaml --generate 100 --owner 엄마 --tokens tokens.tsv "
    "--config provider.yaml": PROVIDER,
    "jibsa provider worker --config provider.yaml": PROVIDER,
    "jibsa provider gateway --config provider.yaml": PROVIDER,
    "jibsa provider gateway --config provider.yaml &": PROVIDER,
    'jibsa say --home-id h_00042 --tokens tokens.tsv "거실 불 켜줘"': PROVIDER,
    "jibsa provider homes export h_00042 --config provider.yaml": PROVIDER,
    "jibsa provider homes delete h_00042 --yes --config provider.yaml": PROVIDER,
    "jibsa provider homes members list h_00042 --config provider.yaml": (
        PROVIDER + "; tests/provider/test_member_listing.py runs members list"
    ),
    "jibsa provider homes members remove h_00042 민지 --config provider.yaml": (
        PROVIDER + "; tests/provider/test_member_removal.py runs members remove"
    ),
}
# Files a document says are the reader's own (a recording, their home file), made before its lines: the
# recordings in jibsa's voice (what is heard of espeak-ng is not the point; that a line runs and prints is).
GIVEN: dict[str, tuple[str, ...]] = {
    "README.md": ("command.wav",),
    "voice.md": ("my-home.yaml", "a.wav", "b.wav"),
}
VOICE = re.compile(r"\b(hear|--audio)\b")


def example_lines(document: Path) -> list[str]:
    """The jibsa command lines of the document's shell blocks, in order (`a; b` as two lines)."""
    found: list[str] = []
    label: str | None = None  # None outside a block
    for line in document.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            label = line.strip().strip("`").strip() if label is None else None
            continue
        if label not in SHELLS:
            continue
        for part in _without_comment(line).split("; "):
            if re.match(r"(\./)?jibsa\s", part.strip()):
                found.append(part.strip())
    return found


def _without_comment(line: str) -> str:
    """The line without its `# …` comment (a # inside quotes stays)."""
    quoted = False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "#" and not quoted and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def test_every_example_has_its_check() -> None:
    lines = {line for document in DOCUMENTS for line in example_lines(document)}
    assert len(lines) >= 30
    assert sorted(lines - EXAMPLES.keys() - SKIPPED.keys()) == []
    assert sorted((EXAMPLES.keys() | SKIPPED.keys()) - lines) == []  # nothing checked that the docs dropped


class Household:
    """A fresh home directory (so a fresh data directory) and working directory; free ports for the fixed
    ones the documents name; a Mosquitto when a line needs one."""

    def __init__(self, root: Path) -> None:
        self.work = root / "work"
        self.work.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("JIBSA_") and k != "XDG_DATA_HOME"}
        self.env = {**env, "HOME": str(root / "home"), "PYTHONUNBUFFERED": "1"}
        self.ports = {"8700": str(free_port()), "10300": str(free_port())}
        self.broker: subprocess.Popen[bytes] | None = None

    def argv(self, line: str) -> list[str]:
        words = shlex.split(line)
        args = words[1:]
        if args[0] == "serve" and "--port" not in args:
            args += ["--port", self.ports["8700"]]
        if any(a.startswith("mqtt://") for a in args):
            args = [a.replace(":1883", f":{self.mqtt_port()}") for a in args]
        args = [a.replace(":10300", f":{self.ports['10300']}") for a in args]
        return [str(JIBSA), *args]

    def mqtt_port(self) -> int:
        if self.broker is None:
            if not MOSQUITTO.exists():
                pytest.skip("needs the mosquitto binary (Debian package mosquitto)")
            port = free_port()
            config = self.work.parent / "mosquitto.conf"
            config.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
            self.broker = subprocess.Popen([str(MOSQUITTO), "-c", str(config)], stderr=subprocess.DEVNULL)
            self.mqtt = port
            _wait_for_port(port)
        return self.mqtt

    def run(self, line: str, check: Run) -> str:
        done = subprocess.run(
            self.argv(line),
            check=False,
            cwd=self.work,
            env=self.env,
            input=check.stdin,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"{line}\nexit {done.returncode}\n{done.stdout}\n{done.stderr}"
        assert re.search(check.prints, done.stdout, re.M), f"{line} printed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def serve(self, line: str, check: Serve) -> None:
        process = subprocess.Popen(
            self.argv(line), cwd=self.work, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True,
        )  # fmt: skip
        try:
            if check.ready:
                lines_until(process, check.ready, timeout=180)
            else:
                _wait_for_port(int(self.ports["10300"]), process)
            assert process.poll() is None, f"{line} ended at once (exit {process.returncode})"
        finally:
            stop(process)
        assert process.returncode in (0, -2, 130), f"{line} stopped with exit {process.returncode}"

    def close(self) -> None:
        if self.broker is not None:
            self.broker.terminate()
            self.broker.wait(10)


def _wait_for_port(port: int, process: subprocess.Popen[str] | None = None, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"ended with exit {process.returncode} before its port {port} answered")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered on port {port} within {timeout} s")


@pytest.fixture
def household(tmp_path: Path) -> Iterator[Household]:
    made = Household(tmp_path)
    yield made
    made.close()


def _prepare(household: Household, name: str) -> None:
    """The reader's own files a document takes as given, made as the reader would make them."""
    sayings = {"command.wav": "거실 불 꺼줘", "a.wav": "거실 불 켜줘", "b.wav": "안방 에어컨 꺼줘"}
    for given in GIVEN.get(name, ()):
        if given in sayings:
            household.run(f'jibsa speak "{sayings[given]}" -o {given}', Run(r"16000 Hz"))
        else:
            household.run(f"jibsa home init {given}", Run(given))


def _voice_ready() -> bool:
    from shutil import which

    return which("espeak-ng") is not None


@pytest.mark.slow
@pytest.mark.parametrize("document", [d for d in DOCUMENTS if example_lines(d)], ids=lambda d: d.name)
def test_the_examples_of(document: Path, household: Household) -> None:
    """The document's lines in its order; every failing line is reported, not only the first."""
    lines = example_lines(document)
    if any(VOICE.search(line) for line in lines) and not _voice_ready():
        pytest.skip("the voice lines need espeak-ng (Debian package espeak-ng) for the recordings")
    _prepare(household, document.name)
    failed: list[str] = []
    ran = 0
    for line in lines:
        check = EXAMPLES.get(line)
        if check is None:
            assert line in SKIPPED, line
            continue
        try:
            if isinstance(check, Run):
                household.run(line, check)
            else:
                household.serve(line, check)
            ran += 1
        except AssertionError as failure:
            failed.append(str(failure))
    assert failed == []
    if not ran:
        pytest.skip("; ".join(sorted({SKIPPED[line] for line in lines})))
