"""The provider's settings: a YAML file, the environment over it, and a clear error for a bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from jibsa.config import ConfigError
from jibsa.provider.homes import HomeFiles, NoSuchHome
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import BadHomeId
from jibsa.provider.told import worded
from jibsa.words import Said, say


def test_the_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    file = tmp_path / "provider.yaml"
    file.write_text(
        "nats_url: nats://bus:4222\ndatabase_url: postgresql://db/jibsa\nlease_ttl_s: 9\nworker: w-a\n"
        "gateway_bind: 0.0.0.0:8080\n",  # a gateway's field: not the worker's business
        encoding="utf-8",
    )
    settings = ProviderSettings.load(file, {"JIBSA_PROVIDER_LEASE_TTL_S": "4.5", "JIBSA_PROVIDER_WORKER": "w-b"})
    assert (settings.nats_url, settings.database_url) == ("nats://bus:4222", "postgresql://db/jibsa")
    assert (settings.lease_ttl_s, settings.worker_name) == (4.5, "w-b")
    assert ProviderSettings.load(None, {}).worker_name  # the host and process id when none is given


@pytest.mark.parametrize(
    ("text", "environ", "told"),
    [
        ("lease_ttl_s: soon\n", {}, ("file", "lease_ttl_s", "'soon'", Said("provider_errors.not_a_number"))),
        ("lease_ttl_s: yes\n", {}, ("file", "lease_ttl_s", "True", Said("provider_errors.not_a_number"))),
        ("database_pool: 2.5\n", {}, ("file", "database_pool", "2.5", Said("provider_errors.not_a_whole_number"))),
        ("lease_ttl_s: 9\n", {"JIBSA_PROVIDER_LEASE_TTL_S": "0"}, ("JIBSA_PROVIDER_LEASE_TTL_S", "lease_ttl_s", "0.0",
         Said("provider_errors.between_seconds", {"low": 1, "high": 600}))),
        ("token_cache_size: 0\n", {}, ("file", "token_cache_size", "0",
         Said("provider_errors.between", {"low": 1, "high": 10_000_000}))),
        ("shards: 128\n", {}, ("file", "shards", "128", Said("provider_errors.shards", {"shards": 64}))),
        ("worker: a.b\n", {}, ("file", "worker", "'a.b'", Said("provider_errors.worker"))),
        ("metrics_bind: 9464\n", {}, ("file", "metrics_bind", "9464", Said("provider_errors.not_a_text"))),
        ("metrics_bind: '9464'\n", {}, ("file", "metrics_bind", "'9464'", Said("provider_errors.bind"))),
        ("- a list\n", {}, ("file", "", "", Said("provider_errors.not_a_mapping"))),
    ],
)  # fmt: skip
@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_setting_that_cannot_be_used_is_told_with_its_file_field_and_problem(
    tmp_path: Path, text: str, environ: dict[str, str], told: tuple[str, str, str, Said], language: str
) -> None:
    file = tmp_path / "provider.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        ProviderSettings.load(file, environ)
    source, field, value, problem = told
    where = str(file) if source == "file" else source
    expected = ": ".join(part for part in (where, field, value, say(problem, language)) if part)
    assert worded(refused.value, language) == expected
    assert str(refused.value) == worded(refused.value, "ko")  # Korean unless asked otherwise


def test_a_missing_or_broken_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as missing:
        ProviderSettings.load(tmp_path / "nope.yaml", {})
    assert worded(missing.value, "en") == f"{tmp_path / 'nope.yaml'}: no such file"
    assert worded(missing.value, "ko") == f"{tmp_path / 'nope.yaml'}: " + say(Said("provider_errors.no_file"), "ko")
    broken = tmp_path / "broken.yaml"
    broken.write_text("nats_url: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as unreadable:
        ProviderSettings.load(broken, {})
    assert worded(unreadable.value, "en").startswith(f"{broken}: cannot be read: ")
    assert "line 2" in worded(unreadable.value, "en")


def test_a_name_that_is_no_setting_is_refused_with_the_one_it_looks_like(tmp_path: Path) -> None:
    """ "lease_ttl: 4" was ignored: the worker ran with the default 6 s and nobody was told."""
    file = tmp_path / "provider.yaml"
    file.write_text("nats_url: nats://bus:4222\nlease_ttl: 4\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        ProviderSettings.load(file, {})
    assert worded(refused.value, "en") == f"{file}: lease_ttl: no such setting; did you mean lease_ttl_s?"
    assert worded(refused.value, "ko") == f"{file}: lease_ttl: 그런 설정은 없어요. lease_ttl_s인가요?"
    file.write_text("colour: red\n", encoding="utf-8")
    with pytest.raises(ConfigError) as unlike:
        ProviderSettings.load(file, {})
    assert worded(unlike.value, "en").startswith(f"{file}: colour: no such setting (the settings: nats_url, ")
    file.write_text("lease_ttl_s: 4\n", encoding="utf-8")
    assert ProviderSettings.load(file, {}).lease_ttl_s == 4


async def test_homes_from_one_file_share_its_model_and_a_home_id_cannot_leave_the_directory(tmp_path: Path) -> None:
    from jibsa.data import __file__ as data_init

    template = Path(data_init).parent / "sample_home.yaml"
    homes = HomeFiles(tmp_path, template)
    first, key_1 = await homes.home("h-1")
    second, key_2 = await homes.home("h-2")
    assert (first.id, second.id, key_1) == ("h-1", "h-2", key_2)
    assert first.devices is second.devices  # one parsed home file, not one per home
    (tmp_path / "h-3.yaml").write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "h-4.yaml").write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    third, key_3 = await homes.home("h-3")
    fourth, key_4 = await homes.home("h-4")
    assert key_3 == key_4 and third.devices is fourth.devices and third.id == "h-3"
    with pytest.raises(BadHomeId):
        await homes.home("../etc/passwd")
    with pytest.raises(NoSuchHome):
        await HomeFiles(tmp_path).home("h-9")
