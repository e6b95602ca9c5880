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


def test_secrets_never_show_in_text_parameters_or_child_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {"CCHC_WEBHOOK_URL": "https://chat.example.vn/hooks/T0KEN",
           "CCHC_NOTIFY_URLS": "tgrams://bot/chat mailto://u:pw@mail.example.vn?to=a@b.vn"}
    s = load_settings(env=env)
    assert "T0KEN" not in repr(s) and "T0KEN" not in str(s.model_dump())
    assert not {"webhook_url", "notify_urls"} & set(s.run_parameters())
    assert "T0KEN" not in str(s.as_environment())
    assert s.notification_urls() == ["https://chat.example.vn/hooks/T0KEN", "tgrams://bot/chat",
                                     "mailto://u:pw@mail.example.vn?to=a@b.vn"]
    with pytest.raises(SettingsError) as e:
        load_settings(env={**env, "CCHC_WEBHOOK_URL": 42, "CCHC_BATCH_SIZE": "x"})
    assert "T0KEN" not in str(e.value)


def test_errors_name_the_setting_and_where_it_came_from(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SettingsError, match=r"batch_size = 'many' \(environment variable CCHC_BATCH_SIZE\)") as e:
        load_settings(env={"CCHC_BATCH_SIZE": "many"})
    assert (e.value.setting, e.value.exit_code) == ("batch_size", 2)
    with pytest.raises(SettingsError, match=r"share_retries = -1 \(command line\)"):
        load_settings({"share_retries": -1}, env={})


def test_province_and_the_prefect_home_beside_the_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = load_settings(env={"CCHC_PROVINCE": "Cần Thơ", "CCHC_STORE": "srv/cchc.duckdb"})
    assert s.province == "Cần Thơ"
    assert s.prefect_home == tmp_path / "srv" / "prefect"
    assert load_settings(env={}).province is None
    assert load_settings(env={}).prefect_home == PROJECT_ROOT / "data" / "prefect"


def test_a_child_process_environment_resolves_the_same_settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "office.toml"
    config.write_text('share = "share-of-office"\nwebhook_url = "https://x.vn/h"\n', encoding="utf-8")
    s = load_settings({"inbox": "box"}, env={"CCHC_WORKERS": "3"}, config_file=config)
    again = load_settings(env=s.as_environment())
    assert again == s
    assert again.webhook_url.get_secret_value() == "https://x.vn/h"  # from the config file it names


def test_a_run_parameter_may_override_only_the_allowed_settings(tmp_path, monkeypatch):
    from cchc.settings import RUN_OVERRIDABLE, active, for_run
    monkeypatch.chdir(tmp_path)
    base = load_settings({"store": "mine.duckdb"}, env={"CCHC_WEBHOOK_URL": "https://x.vn/h"})
    with active(base):
        run = for_run({"inbox": "/srv/other-inbox", "lang": "en"})
        assert (run.inbox, run.lang, run.store) == (Path("/srv/other-inbox"), "en", base.store)
        assert run.webhook_url == base.webhook_url
        for name in ("store", "expectations", "dask_address", "webhook_url", "notify_urls", "prefect_home"):
            assert name not in RUN_OVERRIDABLE
            with pytest.raises(SettingsError, match=f"{name}: cannot be set by a run parameter"):
                for_run({name: "tcp://evil:8786"})
