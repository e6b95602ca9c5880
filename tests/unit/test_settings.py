"""Settings precedence: flags, then environment, then config file, then defaults."""
from pathlib import Path

import pytest

from cchc.settings import PROJECT_ROOT, SettingsError, load_settings


def test_defaults_are_the_embedded_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no cchc.toml here
    s = load_settings(env={})
    assert s.inbox == PROJECT_ROOT / "seeds"
    assert s.store == PROJECT_ROOT / "data" / "cchc.duckdb"
    assert s.reports == PROJECT_ROOT / "reports"
    assert s.share == PROJECT_ROOT / "share"


def test_flag_beats_environment_beats_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "conf" / "cchc.toml"
    config.parent.mkdir()
    config.write_text('inbox = "from-config"\nshare = "share-from-config"\n'
                      'reports = "/abs/reports"\nbatch_size = 7\n', encoding="utf-8")
    env = {"CCHC_INBOX": "from-env", "CCHC_BATCH_SIZE": "9"}
    s = load_settings({"inbox": "from-flag"}, env=env, config_file=config)
    assert s.inbox == tmp_path / "from-flag"
    assert s.batch_size == 9
    assert s.share == config.parent / "share-from-config"  # relative to the config file
    assert s.reports == Path("/abs/reports")
    s = load_settings({}, env=env, config_file=config)
    assert s.inbox == tmp_path / "from-env"


def test_config_file_from_environment_and_cchc_section(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "office.toml"
    config.write_text('[cchc]\ncalendar = "calendar"\nlang = "en"\n', encoding="utf-8")
    s = load_settings(env={"CCHC_CONFIG": str(config)})
    assert (s.calendar, s.lang) == ("calendar", "en")


@pytest.mark.parametrize("content, message", [
    ('inboxx = "x"\n', r"unknown setting\(s\) inboxx"),
    ('batch_size = "many"\n', "batch_size"),
    ('calendar = "lunar"\n', "calendar"),
    ("inbox = \n", "not valid TOML"),
])
def test_bad_config_is_named(tmp_path, monkeypatch, content, message):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "cchc.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        load_settings(env={})
