"""The file store for tokens, used only where no system keyring is usable (a Linux server, a minimal desktop).

Like git's credential store and gh's plain-text fallback: one file, `tokens.toml` in the user config
directory, readable and writable by its owner only (0600), one entry per endpoint and unit:

    ["http://127.0.0.1:8765"]
    632521 = "the token"

It is written atomically (a temporary file created 0600, then renamed), so other entries survive a
crash.  Callers say so to the user with a warning before they store anything here.
"""

from __future__ import annotations

from pathlib import Path

from hnsubmit.errors import CredentialsError
from hnsubmit.tomlcompat import tomllib

FILE_NAME = "tokens.toml"


def token_file_path() -> Path:
    from hnsubmit.config import config_dir

    return config_dir() / FILE_NAME


def _read(path: Path) -> dict[str, dict[str, str]]:
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CredentialsError("The token file {path} cannot be read: {problem}", path=str(path),
                               problem=type(exc).__name__) from None
    return {str(ep): {str(u): str(t) for u, t in units.items()} for ep, units in data.items() if isinstance(units, dict)}


def _write(path: Path, data: dict[str, dict[str, str]]) -> None:
    from hnsubmit.config import write_toml_atomic

    try:
        write_toml_atomic(path, {ep: units for ep, units in data.items() if units}, 0o600)
    except OSError as exc:
        raise CredentialsError("The token file {path} cannot be written: {problem}", path=str(path),
                               problem=exc.strerror or type(exc).__name__) from None


def get(endpoint: str, unit: str) -> str | None:
    """The stored token of (endpoint, unit), or None.  Endpoints are already normalized by the caller."""
    return _read(token_file_path()).get(endpoint, {}).get(unit)


def put(endpoint: str, unit: str, token: str) -> Path:
    path = token_file_path()
    data = _read(path)
    data.setdefault(endpoint, {})[unit] = token
    _write(path, data)
    return path


def delete(endpoint: str, unit: str) -> bool:
    """Remove one entry; False when there was none.  The file goes when it holds no entry any more."""
    path = token_file_path()
    data = _read(path)
    if unit not in data.get(endpoint, {}):
        return False
    del data[endpoint][unit]
    if any(data.values()):
        _write(path, data)
    else:
        path.unlink(missing_ok=True)
    return True
