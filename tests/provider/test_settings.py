"""The provider's settings: a YAML file, the environment over it, and a clear error for a bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from jibsa.config import ConfigError
from jibsa.provider.homes import HomeFiles, NoSuchHome
from jibsa.provider.settings import ProviderSettings
from jibsa.provider.shards import BadHomeId


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
    ("text", "environ", "problem"),
    [
        ("lease_ttl_s: soon\n", {}, "lease_ttl_s"),
        ("", {"JIBSA_PROVIDER_LEASE_TTL_S": "0"}, "lease_ttl_s"),
        ("shards: 128\n", {}, "shards"),
        ("worker: a.b\n", {}, "worker"),
        ("metrics_bind: 9464\n", {}, "metrics_bind"),
        ("- a list\n", {}, "mapping"),
        ("nats_url: [unclosed\n", {}, "cannot be read"),
    ],
)
def test_a_setting_that_cannot_be_used_is_named(
    tmp_path: Path, text: str, environ: dict[str, str], problem: str
) -> None:
    file = tmp_path / "provider.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        ProviderSettings.load(file, environ)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        ProviderSettings.load(tmp_path / "nope.yaml", {})


def test_homes_from_one_file_share_its_model_and_a_home_id_cannot_leave_the_directory(tmp_path: Path) -> None:
    from jibsa.data import __file__ as data_init

    template = Path(data_init).parent / "sample_home.yaml"
    homes = HomeFiles(tmp_path, template)
    first, key_1 = homes.home("h-1")
    second, key_2 = homes.home("h-2")
    assert (first.id, second.id, key_1) == ("h-1", "h-2", key_2)
    assert first.devices is second.devices  # one parsed home file, not one per home
    (tmp_path / "h-3.yaml").write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "h-4.yaml").write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    third, key_3 = homes.home("h-3")
    fourth, key_4 = homes.home("h-4")
    assert key_3 == key_4 and third.devices is fourth.devices and third.id == "h-3"
    with pytest.raises(BadHomeId):
        homes.home("../etc/passwd")
    with pytest.raises(NoSuchHome):
        HomeFiles(tmp_path).home("h-9")
