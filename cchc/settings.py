"""Settings: command-line flags, then CCHC_* environment variables, then a TOML config
file, then the defaults below, in that order of precedence.

The config file is `--config FILE`, else $CCHC_CONFIG, else `cchc.toml` in the current
folder when there is one. A relative path is taken from where it was written: the current
folder for flags and environment variables, the config file's folder for the config file,
and the project folder for the defaults, so `make run` works from any folder.

Typing and checks are pydantic-settings'; a bad value raises `SettingsError` naming the
setting and where it came from (exit code 2). `webhook_url` and `notify_urls` are
secrets: they print as `**********` and are never flow parameters (those show in the UI).

What a run may change: a Prefect run's `settings` parameter can override only
`RUN_OVERRIDABLE`. The store, the validation suites, the Dask scheduler, the notification
targets and the Prefect home come only from the process's own flags, environment and
config file (docs/reliability.md, "Threat model").
"""
import os
import tomllib
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, NoDecode, SettingsConfigDict

from cchc.errors import SettingsError
from transforms.extract.periods import CALENDARS
from transforms.extract.places import provinces

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# What a file that leaves the inbox does to its records: offices move processed files
# away, so by default they stay; "retire" removes those no other file holds.
VANISHED_FILES = ("keep", "retire")

PATHS = ("inbox", "store", "reports", "share", "expectations", "prefect_home")
SECRETS = ("webhook_url", "notify_urls")
# What a deployment's or a run's `settings` parameter may set. Never the store, the
# suites, the Dask scheduler, notification targets or the Prefect home: whoever can start
# a run through the API would otherwise redirect data, rules, code execution or secrets.
RUN_OVERRIDABLE = ("inbox", "reports", "share", "calendar", "lang", "province", "batch_size",
                   "max_file_mb", "min_file_age_s", "lock_timeout_s", "share_retries",
                   "share_retry_delay_s", "workers")


class Settings(BaseSettings):
    """The resolved settings. `Settings(...)` takes values as given (no environment, no
    file); `load_settings` merges the sources."""
    model_config = SettingsConfigDict(env_prefix="CCHC_", frozen=True, extra="forbid",
                                      validate_default=True)

    inbox: Path = Path("seeds")
    store: Path = Path("data/cchc.duckdb")
    reports: Path = Path("reports")
    share: Path = Path("share")
    expectations: Path = Path("expectations")
    prefect_home: Path | None = None    # every command's Prefect home; None = "prefect" beside the store
    calendar: str = "decree09"          # reporting windows: decree09 (15/12-14/6) or calendar
    lang: str = "vi"                    # report labels and messages: vi or en
    province: str | None = None         # the report's scope; None = the whole country
    batch_size: int = Field(500, ge=1)  # files per Prefect task (docs/benchmarks.md)
    max_file_mb: float = Field(20.0, gt=0)        # larger inbox files are rejected, not read
    min_file_age_s: float = Field(2.0, ge=0)      # newer files may still be being copied: next run
    lock_timeout_s: float = Field(60.0, ge=0)     # how long a run waits for another run's store lock
    share_retries: int = Field(3, ge=0)           # extra delivery attempts when the share fails
    share_retry_delay_s: float = Field(2.0, ge=0)  # first wait; doubled on each retry
    timezone: str = "Asia/Ho_Chi_Minh"
    daily_cron: str = "0 6 * * *"
    close_cron: str = "0 7 21 6,12 *"   # the day after each decree09 report deadline
    webhook_url: SecretStr | None = None  # https JSON webhook or an apprise URL (cchc/notify.py)
    notify_urls: Annotated[tuple[SecretStr, ...], NoDecode] = ()  # more apprise URLs
    dask_address: str | None = None     # a Dask scheduler; local processes when unset
    workers: int = Field(0, ge=0)       # local extraction processes; 0 = one per core
    vanished_files: str = "keep"        # records of a file that leaves the inbox: keep or retire
    extract_budget_s: float = Field(60.0, gt=0)  # longest extraction of one article; over it, rejected
    config_file: Path | None = Field(None, exclude=True)

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, **_):
        return (init_settings,)  # the other sources are merged by load_settings, in order

    @field_validator("calendar")
    @classmethod
    def _known_calendar(cls, v: str) -> str:
        if v not in CALENDARS:
            raise ValueError(f"is not one of {', '.join(CALENDARS)}")
        return v

    @field_validator("lang")
    @classmethod
    def _known_lang(cls, v: str) -> str:
        if v not in ("vi", "en"):
            raise ValueError("is not one of vi, en")
        return v

    @field_validator("vanished_files")
    @classmethod
    def _known_vanished_policy(cls, v: str) -> str:
        if v not in VANISHED_FILES:
            raise ValueError(f"is not one of {', '.join(VANISHED_FILES)}")
        return v

    @field_validator("province", mode="after")
    @classmethod
    def _known_province(cls, v: str | None) -> str | None:
        if v is not None and v not in {p.new_name for p in provinces().values()}:
            raise ValueError("is not a province since 1/7/2025 (e.g. \"Quảng Ngãi\", see "
                             "transforms/catalog/provinces-2025.tsv)")
        return v

    @field_validator("webhook_url", "province", "dask_address", mode="before")
    @classmethod
    def _empty_is_none(cls, v):
        return None if v == "" else v

    @field_validator("notify_urls", mode="before")
    @classmethod
    def _split_urls(cls, v):
        # environment: URLs separated by spaces or new lines (commas belong to some URLs)
        return tuple(v.split()) if isinstance(v, str) else v

    @model_validator(mode="after")
    def _defaults_from_project(self) -> "Settings":
        for name in PATHS:  # only defaults are still relative here: load_settings anchors the rest
            path = getattr(self, name)
            if path is not None and not path.is_absolute():
                object.__setattr__(self, name, PROJECT_ROOT / path)
        if self.prefect_home is None:  # data/prefect by default: the run history beside the data
            object.__setattr__(self, "prefect_home", self.store.parent / "prefect")
        return self

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    def notification_urls(self) -> list[str]:
        """Every notification target, in the clear: for the notifier only."""
        urls = [self.webhook_url] if self.webhook_url else []
        return [u.get_secret_value() for u in [*urls, *self.notify_urls]]

    def replace(self, **changes) -> "Settings":
        return _build({**self._given(), **changes}, "replace")

    def run_parameters(self) -> dict:
        """The settings a run's `settings` parameter carries (shown in the Prefect UI): the
        overridable ones, as plain JSON values."""
        return {k: (str(v) if isinstance(v, Path) else v)
                for k in RUN_OVERRIDABLE if (v := getattr(self, k)) is not None}

    def as_environment(self) -> dict[str, str]:
        """CCHC_* variables that make a child process resolve these same settings, secrets
        left out (the child inherits them the way this process got them)."""
        env = {f"CCHC_{k.upper()}": str(v) for k, v in self._given().items()
               if k not in SECRETS and k != "config_file" and v is not None}
        if self.config_file:
            env["CCHC_CONFIG"] = str(Path(self.config_file).resolve())
        return env

    def _given(self) -> dict:
        return {name: getattr(self, name) for name in type(self).model_fields}


def load_settings(flags: dict | None = None, env: Mapping[str, str] | None = None,
                  config_file: str | os.PathLike | None = None) -> Settings:
    """Merge the sources; `flags` holds only the options given on the command line."""
    env = os.environ if env is None else env
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    path = config_file or env.get("CCHC_CONFIG") or ("cchc.toml" if Path("cchc.toml").exists() else None)
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    if path:
        for k, v in _read_config(Path(path)).items():
            merged[k], origin[k] = v, f"config file {path}"
    for k, v in _ProcessEnv(env).values().items():
        merged[k], origin[k] = v, f"environment variable CCHC_{k.upper()}"
    for k, v in _anchor(flags, Path.cwd()).items():
        merged[k], origin[k] = v, "command line"
    if path:
        merged["config_file"] = Path(path)
    return _build(merged, origin)


def _build(values: dict, origin: dict | str) -> Settings:
    try:
        return Settings(**values)
    except ValidationError as e:
        err = e.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "?"
        where = origin.get(name, "default") if isinstance(origin, dict) else origin
        value = values.get(name)
        shown = "**********" if name in SECRETS else repr(str(value) if isinstance(value, Path) else value)
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            raise SettingsError(f"unknown setting {name!r} ({where})", setting=name) from None
        raise SettingsError(f"{name} = {shown} ({where}): {message[:1].lower()}{message[1:]}",
                            setting=name) from None


class _ProcessEnv(EnvSettingsSource):
    """pydantic-settings' CCHC_* reader over a given mapping; relative paths from the cwd."""

    def __init__(self, env: Mapping[str, str]):
        self._given_env = env
        super().__init__(Settings, env_ignore_empty=True)

    def _load_env_vars(self):
        return {k.lower(): v for k, v in self._given_env.items() if v != ""}

    def values(self) -> dict:
        found = {}
        for name, field in Settings.model_fields.items():
            if name == "config_file":
                continue
            value, _, _ = self.get_field_value(field, name)
            if value is not None:
                found[name] = value
        return _anchor(found, Path.cwd())


def _anchor(values: dict, folder: Path) -> dict:
    """Relative paths among `values` taken from `folder`, `~` expanded."""
    return {k: (folder / Path(os.path.expanduser(str(v))) if k in PATHS else v)
            for k, v in values.items()}


def _read_config(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise SettingsError(f"config file {path} does not exist", setting="config") from None
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"config file {path} is not valid TOML: {e}", setting="config") from None
    data = data.get("cchc", data)
    unknown = sorted(set(data) - set(Settings.model_fields) | ({"config_file"} & set(data)))
    if unknown:
        raise SettingsError(f"config file {path}: unknown setting(s) {', '.join(unknown)}",
                            setting=unknown[0])
    return _anchor(data, path.resolve().parent)


# -- the settings of this process -----------------------------------------------------------
# The CLI resolves the settings once and runs the flow in its own process: the flow and
# its failure hook use exactly those (secrets included), not a re-reading of the sources.
# A process global, not a context variable: Prefect may run hooks in another thread.
_active: Settings | None = None


@contextmanager
def active(settings: Settings):
    global _active
    before, _active = _active, settings
    try:
        yield settings
    finally:
        _active = before


def current() -> Settings:
    """The settings the CLI made active, else those of this process's sources (a run
    started by `cchc serve` or a Prefect worker: its environment and config file)."""
    return _active or load_settings()


def for_run(overrides: dict | None) -> Settings:
    """This process's settings with a run's `settings` parameter applied; a setting that is
    not in RUN_OVERRIDABLE is refused, naming it."""
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    refused = sorted(set(overrides) - set(RUN_OVERRIDABLE))
    if refused:
        raise SettingsError(f"{', '.join(refused)}: cannot be set by a run parameter; set it "
                            f"in the serving process's config file or environment", setting=refused[0])
    base = current()
    return base.replace(**_anchor(overrides, Path.cwd())) if overrides else base
