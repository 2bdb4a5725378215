"""The Matter lab for the end-to-end tests: a network namespace with a real Matter controller
(python-matter-server, as Home Assistant runs it) and matter.js virtual devices. Set-up (npm packages,
the controller's venv) is done by scripts/ensure-matter-lab.sh the first time. The tests skip only where
network namespaces are impossible (not root, no iproute2); anything else missing fails with the reason."""

from __future__ import annotations

import os
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from matter_support import HOME_FILE, namespaces_impossible

from jibsa.app import RunningHome, Settings, open_home
from jibsa.testing.matter_lab import MatterLab, lab_problem

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MatterLab]:
    impossible = namespaces_impossible()
    if impossible:
        pytest.skip(f"Matter lab: {impossible}")
    done = subprocess.run([str(ROOT / "scripts" / "ensure-matter-lab.sh")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"scripts/ensure-matter-lab.sh failed:\n{done.stderr[-2000:]}"
    problem = lab_problem()
    assert problem is None, problem
    python = os.environ.get("JIBSA_MATTER_PYTHON") or done.stdout.strip().splitlines()[-1]
    lab = MatterLab(tmp_path_factory.mktemp("matter-lab"), python).up()
    try:
        yield lab
    finally:
        lab.down()


@pytest.fixture
async def matter_home(lab: MatterLab, tmp_path: Path) -> AsyncIterator[RunningHome]:
    """The test home (tests/adapters/matter/home.yaml) on SQLite, with the lab's controller."""
    settings = Settings(
        home_file=HOME_FILE,
        data_dir=tmp_path,
        adapter_settings={"matter": {"url": lab.url, "data_dir": str(tmp_path / "matter"), "start_wait_s": 30}},
    )
    running = await open_home(settings)
    try:
        yield running
    finally:
        await running.close()
