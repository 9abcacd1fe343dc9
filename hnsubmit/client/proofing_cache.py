"""The exchange's proofreading lists (GET /api/v1/proofing), cached per endpoint beside the policy.

The office steers PRF with its own term and leaders lists; a unit that pushes should check with
those, not with whatever lists its own machine has.  The lists arrive as JSON, are kept as the two
CSV files hnsubmit.checks.proofing reads (so `hnsubmit proof list` shows them), and a policy that
came from the server is pointed at them.  A server policy's own list paths are paths on the server:
without a cached copy only the built-in lists are used.  A server that does not serve lists, or a
failed fetch, never stops a push: the last copy (or the built-in lists) stays in use.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from hnsubmit.client.credentials import normalize_endpoint

if TYPE_CHECKING:
    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.policy.model import Policy

API = "/api/v1/proofing"


def cache_folder(endpoint: str) -> Path:
    from hnsubmit.config import cache_dir

    key = hashlib.sha256(normalize_endpoint(endpoint).encode("utf-8")).hexdigest()[:24]
    return cache_dir() / "server-proofing" / key


def _meta(folder: Path) -> dict:
    try:
        data = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def cached_lists(endpoint: str) -> Path | None:
    """The folder of the lists (terms.csv, leaders.csv) last served by this endpoint, or None."""
    folder = cache_folder(endpoint)
    if _meta(folder).get("endpoint") != normalize_endpoint(endpoint):
        return None
    if not (folder / "terms.csv").is_file() or not (folder / "leaders.csv").is_file():
        return None
    return folder


def refresh_lists(client: "ExchangeClient") -> bool:
    """Fetch the lists (If-None-Match); True when a copy is cached afterwards."""
    from hnsubmit.checks.proofing.lists import write_csvs
    from hnsubmit.errors import HnsubmitError

    folder = cache_folder(client.endpoint)
    meta = _meta(folder)
    headers = {"If-None-Match": meta["etag"]} if meta.get("etag") and cached_lists(client.endpoint) else {}
    try:
        response = client.call("GET", API, headers=headers, ok=(304, 404))
        if response.status_code == 404:  # a server without lists: the built-in ones
            shutil.rmtree(folder, ignore_errors=True)
            return False
        if response.status_code == 304:
            return cached_lists(client.endpoint) is not None
        data = client.answer_object(response)
    except HnsubmitError:
        return cached_lists(client.endpoint) is not None
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=folder.parent))
    try:
        if not write_csvs(data, staging / "terms.csv", staging / "leaders.csv"):
            return cached_lists(client.endpoint) is not None
        record = {"endpoint": normalize_endpoint(client.endpoint), "etag": response.headers.get("etag"),
                  "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        (staging / "meta.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        old = folder.with_name(folder.name + f".old-{os.getpid()}")
        if folder.exists():
            os.replace(folder, old)
        os.replace(staging, folder)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


def with_server_lists(endpoint: str, policy: "Policy") -> "Policy":
    """A server's policy, pointed at that server's cached lists (or at the built-in ones only)."""
    policy = policy.model_copy(deep=True)
    policy.proofing.terms = [t for t in policy.proofing.terms if t.startswith("builtin:")]
    policy.proofing.leaders = ""
    cached = cached_lists(endpoint)
    policy.proofing.served = str(cached) if cached is not None else ""
    return policy
