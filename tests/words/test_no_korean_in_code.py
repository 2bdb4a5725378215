"""No sentence outside the catalogue: Korean in code (string literals; docstrings and comments aside)
exists only in words/ and in what jibsa understands rather than says (the files listed here, each with why)."""

from __future__ import annotations

from pathlib import Path

from hangul_scan import SRC, files_with_korean, js_has_korean, python_has_korean

# Korean that is not something jibsa says: words it understands, sample data, documentation examples.
UNDERSTOOD_OR_SAMPLE = {
    "nlu/clause.py", "nlu/home_intents.py", "nlu/intents.py", "nlu/normalise.py", "nlu/numbers.py",
    "nlu/scanner.py", "nlu/setting.py", "nlu/timing.py", "nlu/condition.py",  # the parser's patterns
    "confirmations.py",  # the yes and no words people answer with
    "web/app.js",  # the page's confirm and cancel buttons send "응" and "취소" as utterances
    "testing/kma_forecast.py", "testing/processes.py", "testing/smartthings_server.py",
    "testing/thinq_server.py",  # stand-in vendor servers' sample devices
    "simulated_home.py", "domain/home.py",  # a generated sample home; the default city
    "api/schemas.py", "api/routes_matter.py",  # example utterances and names in the API's documentation
    "gate/gate.py",  # a right PIN said is the yes answer ("응") to what waits
    "gate/pin.py",  # digits said as words ("일 이 삼 사")
    "domain/actions.py",  # on and off as people write them ("켜", "꺼")
    "domain/home_energy.py", "domain/home_schema.py",  # the home file's Korean values (말일, 저압, 고압)
    "rules/triggers/sun.py", "rules/triggers/energy_bill.py",  # "30분 전", "10만 원"
    "adapters/sim/models_appliance.py",  # the simulated washers' cycles, named as the machines name them
    "skills/weather/settings.py",  # the name data.go.kr gives its key (일반 인증키), in an English error
    "nlu/vocabulary.py",  # floor words a recogniser writes ("이층"), understood, never said
}  # fmt: skip


def test_no_new_korean_in_code() -> None:
    found = files_with_korean() - UNDERSTOOD_OR_SAMPLE
    assert sorted(found) == [], "say it through words/ko.yaml and en.yaml"


def test_every_file_listed_exists() -> None:
    files = {p.relative_to(SRC).as_posix() for p in [*SRC.rglob("*.py"), *SRC.rglob("*.js")]}
    assert sorted(UNDERSTOOD_OR_SAMPLE - files) == [], "gone or moved: take it off the list"


def test_the_scan_sees_korean_in_strings_but_not_in_docstrings_or_comments(tmp_path: Path) -> None:
    folder = tmp_path
    (folder / "a.py").write_text('"""집사."""\n# 주석\nx = 1\n', encoding="utf-8")
    (folder / "b.py").write_text('x = "켰어요"\n', encoding="utf-8")
    (folder / "c.js").write_text('// 주석\nconst url = "http://x"; /* 설명 */\n', encoding="utf-8")
    (folder / "d.js").write_text('const t = "꺼졌어요"; // note\n', encoding="utf-8")
    assert [python_has_korean(folder / "a.py"), python_has_korean(folder / "b.py")] == [False, True]
    assert [js_has_korean(folder / "c.js"), js_has_korean(folder / "d.js")] == [False, True]


def test_the_language_is_passed_never_guessed_from_the_words() -> None:
    import re

    guesses = re.compile(r"\"[^\"]+\" (?:not )?in (?:lang|w)\b(?!\[\")|\"[\uac00-\ud7a3]+\" in w\[")
    found = [
        f"{path.relative_to(SRC)}: {match.group()}"
        for path in SRC.rglob("*.py")
        for match in guesses.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
