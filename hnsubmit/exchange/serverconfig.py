"""The server's own config file (`serve --config FILE`, or HNSUBMIT_EXCHANGE_CONFIG): a TOML table [server]
with the settings a deployment writes once (docs/deployment.md). Flags and HNSUBMIT_EXCHANGE_* variables win
over it. Secrets do not belong here: the database password goes in PGPASSWORD or ~/.pgpass, the S3 keys in
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.

  [server]
  data = "/var/lib/hnsubmit"                        # local folder (SQLite + blobs by default, caches otherwise)
  db = "postgresql://hnsubmit@db.internal:5432/hnsubmit"
  blobs = "s3://hnsubmit/exchange?endpoint=http://minio.internal:9000&region=us-east-1"
  host = "127.0.0.1"
  port = 8765
  workers = 2
"""

from __future__ import annotations

import os
from pathlib import Path

from hnsubmit.errors import ConfigError

VARIABLE = "HNSUBMIT_EXCHANGE_CONFIG"
_TYPES = {"data": str, "db": str, "blobs": str, "host": str, "port": int, "workers": int, "policy": str, "seed": str}


def load_server_config(path: Path | None) -> dict:
    """The [server] table of `path` (or of HNSUBMIT_EXCHANGE_CONFIG); {} when neither is given."""
    from hnsubmit.tomlcompat import tomllib

    if path is None:
        named = os.environ.get(VARIABLE)
        if not named:
            return {}
        path = Path(named)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError("Cannot read the server config file {path}: {problem}", path=str(path),
                          problem=exc.strerror or str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("The server config file {path} is not valid TOML: {problem}", path=str(path),
                          problem=str(exc)) from None
    table = data.get("server", {})
    if not isinstance(table, dict) or set(data) - {"server"}:
        raise ConfigError("The server config file {path} holds one table, [server].", path=str(path))
    for key, value in table.items():
        want = _TYPES.get(key)
        if want is None:
            raise ConfigError("Unknown key {key} in the server config file {path} (known: {known}).", key=key,
                              path=str(path), known=", ".join(sorted(_TYPES)))
        if not isinstance(value, want) or isinstance(value, bool):
            raise ConfigError("The key {key} in the server config file {path} has the wrong type.", key=key,
                              path=str(path))
    if any(k in table for k in ("db",)) and "@" in str(table.get("db", "")).split("//", 1)[-1].split("/")[0] \
            and ":" in str(table["db"]).split("//", 1)[-1].split("@")[0]:
        raise ConfigError("The server config file {path} holds a database password; put it in PGPASSWORD or "
                          "~/.pgpass instead.", path=str(path))
    return table
