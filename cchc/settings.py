"""Settings: command-line flags, then CCHC_* environment variables, then a TOML config
file, then the defaults below, in that order of precedence.

The config file is `--config FILE`, else $CCHC_CONFIG, else `cchc.toml` in the current
folder when there is one. A relative path is taken from where it was written: the current
folder for flags and environment variables, the config file's folder for the config file,
and the project folder for the defaults, so `make run` works from any folder.
"""
import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from transforms.periods import CALENDARS
from transforms.places import provinces

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# What a file that leaves the inbox does to its records: offices move processed files
# away, so by default they stay; "retire" removes those no other file holds.
VANISHED_FILES = ("keep", "retire")


class SettingsError(ValueError):
    """A setting has a value the program cannot use; the message names it."""


@dataclass(frozen=True)
class Settings:
    inbox: Path = Path("seeds")
    store: Path = Path("data/cchc.duckdb")
    reports: Path = Path("reports")
    share: Path = Path("share")
    expectations: Path = Path("expectations")
    calendar: str = "decree09"          # reporting windows: decree09 (15/12-14/6) or calendar
    lang: str = "vi"                    # report labels: vi or en
    province: str | None = None         # reporting unit: a province since 1/7/2025; None = whole country
    batch_size: int = 500               # files per Prefect task (docs/benchmarks.md)
    max_file_mb: float = 20.0           # larger inbox files are rejected, not read
    min_file_age_s: float = 2.0         # newer inbox files may still be being copied: next run
    lock_timeout_s: float = 60.0        # how long a run waits for another run's store lock
    share_retries: int = 3
    share_retry_delay_s: float = 2.0
    timezone: str = "Asia/Ho_Chi_Minh"
    daily_cron: str = "0 6 * * *"
    close_cron: str = "0 7 21 6,12 *"   # the day after each decree09 report deadline
    webhook_url: str | None = None      # POSTed a JSON message when a run fails
    dask_address: str | None = None     # a Dask scheduler; local processes when unset
    workers: int = 0                    # local extraction processes; 0 = one per core
    vanished_files: str = "keep"        # records of a file that leaves the inbox: keep or retire
    extract_budget_s: float = 60.0      # longest extraction of one article; over it, rejected
    config_file: Path | None = field(default=None, compare=False)

    def __post_init__(self):
        if self.calendar not in CALENDARS:
            raise SettingsError(f"calendar: {self.calendar!r} is not one of {', '.join(CALENDARS)}")
        if self.lang not in ("vi", "en"):
            raise SettingsError(f"lang: {self.lang!r} is not one of vi, en")
        if self.province is not None and self.province not in {p.new_name for p in provinces().values()}:
            raise SettingsError(f"province: {self.province!r} is not a province since 1/7/2025 "
                                "(e.g. \"Quảng Ngãi\", see transforms/catalog/provinces-2025.tsv)")
        if self.batch_size < 1:
            raise SettingsError("batch_size: must be at least 1")
        if self.vanished_files not in VANISHED_FILES:
            raise SettingsError(f"vanished_files: {self.vanished_files!r} is not one of "
                                f"{', '.join(VANISHED_FILES)}")
        if self.extract_budget_s <= 0:
            raise SettingsError("extract_budget_s: must be more than 0 seconds")
        if self.workers < 0:
            raise SettingsError("workers: must be 0 (one per core) or more")

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def data_dir(self) -> Path:
        """Where the store lives; the Prefect home of `cchc serve` goes beside it."""
        return self.store.parent

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **changes)

    def as_flow_parameters(self) -> dict:
        """The resolved settings as the flow's `settings` parameter (plain strings). Not the
        webhook URL: parameters show in the Prefect UI, and the URL is a secret; the flow
        reads it from the environment or config file as the caller did."""
        return {k: str(v) for k, v in vars(self).items()
                if v is not None and k not in ("config_file", "webhook_url")}


_PATHS = {"inbox", "store", "reports", "share", "expectations"}


def load_settings(flags: dict | None = None, env: dict | None = None,
                  config_file: str | os.PathLike | None = None) -> Settings:
    """Merge the sources; `flags` holds only the options given on the command line."""
    env = os.environ if env is None else env
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    path = config_file or env.get("CCHC_CONFIG") or ("cchc.toml" if Path("cchc.toml").exists() else None)
    merged: dict = {}  # name -> (value, folder its relative paths are taken from)
    if path:
        folder = Path(path).resolve().parent
        merged.update({k: (v, folder) for k, v in _read_config(Path(path)).items()})
    for f in fields(Settings):
        key = f"CCHC_{f.name.upper()}"
        if f.name != "config_file" and env.get(key) not in (None, ""):
            merged[f.name] = (env[key], Path.cwd())
    merged.update({k: (v, Path.cwd()) for k, v in flags.items()})
    values = {name: _coerce(name, value, folder) for name, (value, folder) in merged.items()}
    settings = Settings(**values, config_file=Path(path) if path else None)
    return settings.replace(**{p: PROJECT_ROOT / getattr(settings, p) for p in _PATHS
                               if not getattr(settings, p).is_absolute()})


def _read_config(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise SettingsError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"config file {path} is not valid TOML: {e}") from None
    data = data.get("cchc", data)
    known = {f.name for f in fields(Settings)} - {"config_file"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise SettingsError(f"config file {path}: unknown setting(s) {', '.join(unknown)}")
    return data


# What a text value from the environment or a file is turned into: the default's type.
_FIELD_TYPES = {f.name: type(f.default) for f in fields(Settings) if f.name != "config_file"}


def _coerce(name: str, value, folder: Path):
    if name not in _FIELD_TYPES:
        raise SettingsError(f"unknown setting {name!r}")
    kind = _FIELD_TYPES[name]
    try:
        if name in _PATHS:
            return folder / Path(os.path.expanduser(str(value)))
        if kind in (int, float):
            return kind(value)
        return None if value in ("", None) else str(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{name}: {value!r} is not a valid {kind.__name__}") from None
