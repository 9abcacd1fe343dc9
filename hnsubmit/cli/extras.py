"""The office's commands need the `server` extra; a liaison's default install leaves it out.

`serve`, `demo` (its embedded exchange) and `admin`/`review`/`report` on a data folder call
`require_server()` first, so a client-only install answers in the user's language which extra to
install (exit 2) instead of an ImportError, and never creates an empty exchange in the liaison's
data folder.  `find_spec` looks without importing, so the check costs no start-up time.
"""

from __future__ import annotations

import importlib.util

from hnsubmit.errors import UsageError
from hnsubmit.i18n import N_

# what `pip install "hnsubmit[server]"` adds (pyproject.toml); starlette comes with fastapi
SERVER_MODULES = ("fastapi", "starlette", "uvicorn", "jinja2", "mammoth", "nh3")  # the last three: the review console


def missing_server_modules() -> list[str]:
    missing = []
    for name in SERVER_MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # a broken or blocked package counts as missing
            found = False
        if not found:
            missing.append(name)
    return missing


def require_server() -> None:
    """Raise a UsageError naming the extra when the exchange server's packages are not installed."""
    missing = missing_server_modules()
    if missing:
        raise UsageError(
            "This command is part of the exchange server, which this install of hnsubmit leaves out (missing: {modules}).",
            hint=N_('Install the server extra: pip install "hnsubmit[server]" (pipx: pipx install "hnsubmit[server]").'),
            modules=", ".join(missing),
        )
