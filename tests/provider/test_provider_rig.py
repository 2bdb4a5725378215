"""bench/provider_rig.py's CPU reading: a process that ends between two readings keeps counting what it
had used (a PostgreSQL backend that closed made the bench's database CPU read negative)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from jibsa.testing.processes import start, stop

_RIG = Path(__file__).parents[2] / "bench" / "provider_rig.py"
# Uses some CPU, says so, then waits to be stopped (Ctrl-C, as `stop` does).
_BUSY = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"
_BUSY += "print('busy done', flush=True)\ntime.sleep(120)\n"


def _rig() -> ModuleType:
    spec = importlib.util.spec_from_file_location("provider_rig_under_test", _RIG)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_process_that_ended_still_counts_what_it_had_used() -> None:
    rig = _rig()
    kept, _ = start([sys.executable, "-c", _BUSY], "busy done")
    ending, _ = start([sys.executable, "-c", _BUSY], "busy done")
    try:
        before = rig.cpu_s([kept.pid, ending.pid])
        assert before >= 0.5  # both did their 0.3 s (a bound on what they used, not a speed)
        alone = rig.cpu_s([ending.pid])
        stop(ending)  # ended and reaped: /proc no longer has it
        assert not Path(f"/proc/{ending.pid}").exists()
        after = rig.cpu_s([kept.pid, ending.pid])
        assert after >= before
        assert rig.cpu_s([ending.pid]) == alone  # what it had used when last read
    finally:
        stop(kept)
        stop(ending)


def test_a_process_never_read_counts_nothing() -> None:
    rig = _rig()
    ended, _ = start([sys.executable, "-c", _BUSY], "busy done")
    stop(ended)
    assert rig.cpu_s([ended.pid]) == 0.0
