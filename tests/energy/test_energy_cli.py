"""`jibsa energy bill`: the bill's parts and total as JSON and as lines, and refusals a person can act on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def energy(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jibsa.cli.main", "energy", "bill", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(home)},
    )


def test_json_has_every_part_and_the_total(tmp_path: Path) -> None:
    done = energy("--kwh", "451", "--month", "2025-08", "--json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    bill = json.loads(done.stdout)
    # data/bills.yaml, "summer 451 kWh": 7,300 + 68,497 + 4,059 + 2,255 = 82,111; VAT 8,211; fund 2,210
    assert (
        bill["base_won"],
        bill["energy_won"],
        bill["electricity_won"],
        bill["vat_won"],
        bill["fund_won"],
        bill["total_won"],
    ) == (7300, 68497, 82111, 8211, 2210, 92530)
    assert bill["tier"] == 3 and bill["period"] == {"start": "2025-08-01", "end": "2025-08-31", "days": 31}


def test_high_voltage_and_a_reading_day(tmp_path: Path) -> None:
    done = energy("--kwh", "350", "--month", "2025-06", "--reading-day", "15", "--json", home=tmp_path)
    bill = json.loads(done.stdout)
    assert bill["period"] == {"start": "2025-06-15", "end": "2025-07-14", "days": 30}
    assert [p["season"] for p in bill["parts"]] == ["other", "summer"] and bill["total_won"] == 65820
    high = json.loads(energy("--kwh", "350", "--month", "2025-10", "--voltage", "high", "--json", home=tmp_path).stdout)
    assert high["total_won"] == 60010  # data/bills.yaml, "고압 350 kWh"


def test_the_lines_name_each_part_in_korean_and_english(tmp_path: Path) -> None:
    korean = energy("--kwh", "201", "--month", "2025-10", "--lang", "ko", home=tmp_path).stdout
    assert "누진 2단계" in korean and "청구금액" in korean and "32,260원" in korean
    english = energy("--kwh", "201", "--month", "2025-10", "--lang", "en", home=tmp_path).stdout
    assert "tier 2" in english and "total billed" in english and "32,260 won" in english


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--kwh", "100", "--month", "2020-01"), "2023-05-16 이전의 요금표는 아직 없어요."),
        (("--kwh", "-5", "--month", "2025-01"), "사용량은 0 이상이어야 해요."),
        (("--kwh", "100", "--month", "2025-13"), "월은 YYYY-MM"),
        (("--kwh", "100", "--month", "2025-01", "--reading-day", "32"), "검침일은 1에서 31"),
    ],
)
def test_what_cannot_be_billed_is_refused_with_the_reason(tmp_path: Path, args: tuple[str, ...], said: str) -> None:
    done = energy(*args, "--lang", "ko", home=tmp_path)
    assert done.returncode == 2 and said in done.stderr and done.stdout == ""
