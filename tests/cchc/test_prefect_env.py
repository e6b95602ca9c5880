"""The server a command's flow talks to: the user's choice wins over a temporary one."""
import pytest

from cchc import prefect_env


@pytest.fixture
def home(tmp_path, monkeypatch):
    for name in ("PREFECT_PROFILES_PATH", "PREFECT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    return tmp_path


def test_the_active_profiles_api_url(home):
    (home / "profiles.toml").write_text(
        'active = "office"\n[profiles.ephemeral]\n'
        '[profiles.office]\nPREFECT_API_URL = "http://10.0.0.5:4200/api"\n', encoding="utf-8")
    assert prefect_env.profile_api_url() == "http://10.0.0.5:4200/api"


def test_prefect_profile_selects_another_profile(home, monkeypatch):
    (home / "profiles.toml").write_text(
        'active = "office"\n[profiles.office]\nPREFECT_API_URL = "http://a/api"\n'
        '[profiles.lab]\nPREFECT_API_URL = "http://b/api"\n', encoding="utf-8")
    monkeypatch.setenv("PREFECT_PROFILE", "lab")
    assert prefect_env.profile_api_url() == "http://b/api"


@pytest.mark.parametrize("content", [None, 'active = "ephemeral"\n[profiles.ephemeral]\n', "not = [toml"])
def test_no_url_without_a_profile_that_sets_one(home, content):
    if content is not None:
        (home / "profiles.toml").write_text(content, encoding="utf-8")
    assert prefect_env.profile_api_url() is None


def test_a_profiles_server_is_used_instead_of_a_temporary_one(home, monkeypatch):
    (home / "profiles.toml").write_text('active = "office"\n[profiles.office]\nPREFECT_API_URL = "http://a/api"\n',
                                        encoding="utf-8")
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    started = []
    monkeypatch.setattr(prefect_env.subprocess, "Popen", lambda *a, **k: started.append(a))
    prefect_env.flow_server()()
    assert started == []
