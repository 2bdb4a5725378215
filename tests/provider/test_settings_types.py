"""Every provider setting takes only a value of its own type: YAML's loose readings (`yes` as true, `007` as
7, a date, a list) are refused with the file, the field, the value and the problem, never turned into a
text such as "True" behind the operator's back; numbers must be finite and within bounds."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from jibsa.config import ConfigError
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.told import SettingsError, worded
from jibsa.words import Said, say

_TEXTS = [f.name for f in fields(ProviderSettings) if f.type in ("str", str)]
_NUMBERS = [f.name for f in fields(ProviderSettings) if f.type in ("int", "float", int, float)]


def _refused(tmp_path: Path, text: str) -> SettingsError:
    file = tmp_path / "provider.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        ProviderSettings.load(file, {})
    assert isinstance(refused.value, SettingsError)
    return refused.value


def test_every_field_is_a_text_or_a_number() -> None:
    assert sorted(_TEXTS + _NUMBERS) == sorted(f.name for f in fields(ProviderSettings))
    assert "worker" in _TEXTS and "nats_url" in _TEXTS and "lease_ttl_s" in _NUMBERS


@pytest.mark.parametrize("name", _TEXTS)
@pytest.mark.parametrize(("written", "shown"), [("yes", "True"), ("off", "False"), ("007", "7"),
                                                ("2026-12-07", "datetime.date(2026, 12, 7)"), ("[a, b]", "['a', 'b']"),
                                                ("{a: 1}", "{'a': 1}"), ("1.5", "1.5")])  # fmt: skip
def test_a_text_setting_given_another_yaml_value_is_refused(
    tmp_path: Path, name: str, written: str, shown: str
) -> None:
    refused = _refused(tmp_path, f"{name}: {written}\n")
    assert (refused.field, refused.said) == (name, Said("provider_errors.not_a_text"))
    for language in ("ko", "en"):
        told = worded(refused, language)
        assert told == f"{tmp_path / 'provider.yaml'}: {name}: {shown}: {say(refused.said, language)}"


def test_a_quoted_value_is_the_text_it_says(tmp_path: Path) -> None:
    file = tmp_path / "provider.yaml"
    file.write_text("worker: 'yes'\nnats_url: \"nats://007:4222\"\ntrusted_proxies: '10.0.0.1'\n", encoding="utf-8")
    settings = ProviderSettings.load(file, {})
    assert (settings.worker_name, settings.nats_url, settings.proxies) == ("yes", "nats://007:4222", {"10.0.0.1"})


def test_the_environment_is_text_and_stays_so(tmp_path: Path) -> None:
    settings = ProviderSettings.load(None, {"JIBSA_PROVIDER_WORKER": "yes", "JIBSA_PROVIDER_LEASE_TTL_S": "7"})
    assert (settings.worker_name, settings.lease_ttl_s) == ("yes", 7.0)


@pytest.mark.parametrize("name", _NUMBERS)
@pytest.mark.parametrize("written", ["yes", "no", ".nan", ".inf", "-.inf", "[1]", "{a: 1}", "2026-12-07", "'1e999'"])
def test_a_number_setting_given_anything_but_a_finite_number_is_refused(
    tmp_path: Path, name: str, written: str
) -> None:
    refused = _refused(tmp_path, f"{name}: {written}\n")
    assert refused.field == name
    assert refused.said.key in {"provider_errors.not_a_number", "provider_errors.not_a_whole_number"}


@pytest.mark.parametrize(
    ("name", "value"),
    [("history_days", 0), ("history_days", -5), ("login_attempts", 0), ("events_queue", 0), ("login_window_s", 0),
     ("session_ttl_s", -1), ("maintain_every_s", -1)],
)  # fmt: skip
def test_a_number_out_of_its_bounds_is_refused(tmp_path: Path, name: str, value: float) -> None:
    refused = _refused(tmp_path, f"{name}: {value}\n")
    assert refused.field == name
    assert refused.said.key in {"provider_errors.between", "provider_errors.between_seconds"}
