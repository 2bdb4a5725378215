"""`jibsa serve --matter` as the README says to run it: the home server starts its own Matter controller
(a child process, storage under the data directory), and a virtual light is added, named and switched
on through the conversation endpoint. jibsa, its controller and the light run in the lab's network
namespace; the test talks to jibsa over the veth pair."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from matter_support import HOME_FILE, namespaces_impossible

from jibsa.testing.matter_lab import MatterLab
from jibsa.testing.processes import start, stop

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def bare_lab(tmp_path: Path) -> Iterator[MatterLab]:
    """A lab without a controller of its own: `serve --matter` brings one."""
    impossible = namespaces_impossible()
    if impossible:
        pytest.skip(f"Matter lab: {impossible}")
    done = subprocess.run([str(ROOT / "scripts" / "ensure-matter-lab.sh")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    lab = MatterLab(tmp_path / "lab", done.stdout.strip().splitlines()[-1]).up(controller=False)
    yield lab
    lab.down()


def test_serve_matter_runs_its_controller_and_a_light_is_added_and_switched_on(
    bare_lab: MatterLab, tmp_path: Path
) -> None:
    light = bare_lab.devices(("light", "stand"))
    config = tmp_path / "jibsa.yaml"  # the lab's devices are certified by matter.js's test roots only
    config.write_text(f'matter: {{paa_root_cert_dir: "{bare_lab.paa}"}}\n', encoding="utf-8")
    argv = [
        "ip",
        "netns",
        "exec",
        bare_lab.netns,
        sys.executable,
        "-m",
        "jibsa.cli.main",
        "serve",
        "--matter",
        "--data",
        str(tmp_path / "data"),
        "--home",
        HOME_FILE,
        "--config",
        str(config),
        "--host",
        bare_lab.inner_address,
        "--port",
        "8700",
        "--insecure",
        "--log-level",
        "warning",
    ]
    process, lines = start(argv, "jibsa: ", {"JIBSA_MATTER_PYTHON": bare_lab.python}, timeout=120)
    try:
        token = re.search(r"(jibsa_\S+)", "\n".join(lines))
        assert token is not None, lines
        base = f"http://[{bare_lab.inner_address}]:8700"
        headers = {"Authorization": f"Bearer {token.group(1)}"}

        def say(text: str) -> dict[str, object]:
            answer = httpx.post(f"{base}/api/conversation", json={"text": text}, headers=headers, timeout=150)
            assert answer.status_code == 200, answer.text
            body: dict[str, object] = answer.json()
            return body

        assert "페어링 코드" in str(say("매터 기기 추가해줘")["reply"])
        code = light.devices["stand"].manual_code
        assert "추가했어요" in str(say(f"{code[:4]}-{code[4:7]}-{code[7:]}")["reply"])
        assert say("거실 스탠드로 해줘")["reply"] == "알겠어요. 이제 거실 스탠드예요."
        assert say("거실 스탠드 켜줘")["reply"] == "거실 스탠드를 켰어요."
        light.wait_state("stand", 30.0, onOff=True)  # the light's own state
        assert (tmp_path / "data" / "matter" / "controller" / "chip.json").exists()  # its storage, under DATA
    finally:
        stop(process)
    pids = subprocess.run(["ip", "netns", "pids", bare_lab.netns], capture_output=True, text=True, check=True).stdout
    running = [p for p in pids.split() if "matter_server" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")]
    assert not running, "jibsa serve left its Matter controller running"
