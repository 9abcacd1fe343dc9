"""Settings: profiles in the user's config file, overridden by HNSUBMIT_* variables, then by flags.

The order a value is looked up in is written down here and shown by `hnsubmit config show`, with
where each value came from (twine's way).  Secrets are shown as <hidden>.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from hnsubmit.errors import ConfigError
from hnsubmit.tomlcompat import tomllib

KEYS = ("endpoint", "unit", "lang", "policy", "ca_bundle", "outbox")
SECRET_KEYS = ("token",)
DEFAULTS: dict[str, Any] = {
    "endpoint": "http://127.0.0.1:8765",
    "unit": "",
    "lang": "",
    "policy": "",
    "ca_bundle": "",
    "outbox": "",
}


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("hnsubmit", appauthor=False))


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("hnsubmit", appauthor=False))


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("hnsubmit", appauthor=False))


def config_file(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    return Path(env["HNSUBMIT_CONFIG"]) if env.get("HNSUBMIT_CONFIG") else config_dir() / "config.toml"


@dataclass(frozen=True)
class Setting:
    value: Any
    source: str  # "default", "config file <path> [profile x]", "environment HNSUBMIT_X", "command line"
    secret: bool = False

    def shown(self) -> str:
        if self.secret and self.value:
            return "<hidden>"
        return "" if self.value is None else str(self.value)


@dataclass(frozen=True)
class Settings:
    profile: str
    values: dict[str, Setting] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        s = self.values.get(key)
        return s.value if s else None

    def override(self, **flags: Any) -> "Settings":
        """These settings with the command's own flags on top (a flag left unset changes nothing)."""
        values = dict(self.values)
        for key, value in flags.items():
            if value not in (None, ""):
                values[key] = Setting(value, "command line")
        return Settings(self.profile, values)


def is_ci(environ: Mapping[str, str] | None = None) -> bool:
    """True under a CI system (CI set to anything but empty, 0, false, no or off): no keyring, no bars."""
    env = os.environ if environ is None else environ
    value = env.get("CI", "").strip().lower()
    return bool(value) and value not in ("0", "false", "no", "off")


def _read_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("The configuration file {path} cannot be read: {problem}", path=str(path), problem=str(exc)) from None


def load_settings(
    profile: str | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Defaults < config file profile < HNSUBMIT_* environment < command-line overrides."""
    env = os.environ if environ is None else environ
    path = config_file(env)
    data = _read_file(path)
    chosen = profile or env.get("HNSUBMIT_PROFILE") or data.get("default_profile") or "default"
    profiles = data.get("profiles", {})
    if profile and profile not in profiles and profile != "default":
        raise ConfigError(
            "No profile {profile} in {path}; known profiles: {known}",
            profile=profile, path=str(path), known=", ".join(sorted(profiles)) or "-",
        )
    section = profiles.get(chosen, {})
    values: dict[str, Setting] = {}
    for key in KEYS:
        values[key] = Setting(DEFAULTS[key], "default")
        if key in section:
            values[key] = Setting(section[key], f"config file {path} [profiles.{chosen}]")
        env_key = "HNSUBMIT_" + key.upper()
        if env.get(env_key):
            values[key] = Setting(env[env_key], f"environment {env_key}")
        if overrides and overrides.get(key) not in (None, ""):
            values[key] = Setting(overrides[key], "command line")
    if env.get("HNSUBMIT_TOKEN"):
        values["token"] = Setting(env["HNSUBMIT_TOKEN"], "environment HNSUBMIT_TOKEN", secret=True)
    else:
        values["token"] = Setting("", "keyring (looked up when needed)", secret=True)
    return Settings(chosen, values)
