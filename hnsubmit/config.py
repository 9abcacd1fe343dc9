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
from hnsubmit.i18n import N_
from hnsubmit.tomlcompat import tomllib

# allow_http, answer_deadline, retry_after_max: what a server may make the client do (issue 11, cli/options.py)
KEYS = ("endpoint", "unit", "lang", "policy", "ca_bundle", "outbox", "allow_http", "answer_deadline", "retry_after_max")
SECRET_KEYS = ("token",)
DEFAULTS: dict[str, Any] = {
    "endpoint": "http://127.0.0.1:8765",
    "unit": "",
    "lang": "",
    "policy": "",
    "ca_bundle": "",
    "outbox": "",
    "allow_http": False,
    "answer_deadline": "",
    "retry_after_max": "",
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


TOP_LEVEL_KEYS = ("default_profile", "profiles")


def _read_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("The configuration file {path} cannot be read: {problem}", path=str(path), problem=str(exc)) from None
    _check_keys(data, path)
    return data


def _refuse_key(key: str, path: Path) -> None:
    if key in SECRET_KEYS:
        raise ConfigError(
            "The configuration file {path} holds a token (`{key}`); tokens are never read from it.",
            hint=N_("Remove it and run `hnsubmit login`, or set HNSUBMIT_TOKEN."), path=str(path), key=key,
        )
    raise ConfigError(
        "Unknown key `{key}` in the configuration file {path}; known keys: {known}.",
        path=str(path), key=key, known=", ".join(KEYS),
    )


def _check_keys(data: dict[str, Any], path: Path) -> None:
    """A misspelt key was silently ignored before: refuse it, naming the key and the file (exit 3)."""
    for key in data:
        if key not in KEYS and key not in TOP_LEVEL_KEYS:
            _refuse_key(key, path)
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict):
        _refuse_key("profiles", path)
    for name, section in profiles.items():
        if not isinstance(section, dict):
            _refuse_key(f"profiles.{name}", path)
        for key in section:
            if key not in KEYS:
                _refuse_key(f"profiles.{name}.{key}", path)


def save_profile(profile: str, values: Mapping[str, str], environ: Mapping[str, str] | None = None) -> Path:
    """Record `values` in the profile of the config file (as `gh auth login` records its host).

    Other profiles and keys are kept; the file is replaced atomically, so a crash never leaves half a
    file.  The "default" profile written here wins over top-level keys, which it is the base of.
    """
    path = config_file(environ)
    data = _read_file(path)
    section = data.setdefault("profiles", {}).setdefault(profile or "default", {})
    section.update({k: v for k, v in values.items() if k in KEYS})
    try:
        mode = (path.stat().st_mode & 0o777) if path.exists() else 0o644  # as before; it holds no secret
        write_toml_atomic(path, data, mode)
    except OSError as exc:
        raise ConfigError("The configuration file {path} cannot be written: {problem}", path=str(path),
                          problem=exc.strerror or str(exc)) from None
    return path


def load_settings(
    profile: str | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    new_profile_ok: bool = False,
) -> Settings:
    """Defaults < config file profile < HNSUBMIT_* environment < command-line overrides.

    An unknown `profile` is an error, except where the command creates it (`login`: new_profile_ok)."""
    env = os.environ if environ is None else environ
    path = config_file(env)
    data = _read_file(path)
    chosen = profile or env.get("HNSUBMIT_PROFILE") or data.get("default_profile") or "default"
    profiles = data.get("profiles", {})
    if profile and profile not in profiles and profile != "default" and not new_profile_ok:
        raise ConfigError(
            "No profile {profile} in {path}; known profiles: {known}",
            profile=profile, path=str(path), known=", ".join(sorted(profiles)) or "-",
        )
    section = profiles.get(chosen, {})
    values: dict[str, Setting] = {}
    for key in KEYS:
        values[key] = Setting(DEFAULTS[key], "default")
        if chosen == "default" and key in data:  # top-level keys are the default profile's
            values[key] = Setting(data[key], f"config file {path}")
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


def write_toml_atomic(path: Path, data: Mapping[str, Any], mode: int) -> None:
    """Write TOML so that a reader sees the old file or the new one, never half of it (fsync, then
    rename); the file has `mode` from its first byte.  OSError reaches the caller, who names the file."""
    import tempfile

    import tomli_w

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".toml", dir=path.parent)
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            tomli_w.dump(dict(data), fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
