"""The exchange's format policy, fetched with If-None-Match and cached per endpoint in the user cache dir.

ARCHITECTURE: the office changes a rule on the server, not in a new release; `push` checks with the
server's policy, and a later offline `push` still checks with the last copy it saw.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hnsubmit.client.credentials import normalize_endpoint

if TYPE_CHECKING:
    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.policy.model import Policy


def cache_path(endpoint: str) -> Path:
    from hnsubmit.config import cache_dir

    key = hashlib.sha256(normalize_endpoint(endpoint).encode("utf-8")).hexdigest()[:24]
    return cache_dir() / "server-policy" / f"{key}.json"


def _read(endpoint: str) -> dict[str, Any] | None:
    try:
        data = json.loads(cache_path(endpoint).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("endpoint") != normalize_endpoint(endpoint) or not isinstance(data.get("policy"), dict):
        return None
    return data


def _write(endpoint: str, etag: str | None, policy: dict[str, Any]) -> None:
    path = cache_path(endpoint)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "endpoint": normalize_endpoint(endpoint),
        "etag": etag,
        "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "policy": policy,
    }
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def cached_policy(endpoint: str) -> "Policy | None":
    """The last policy this endpoint served, or None (never fetched, unreadable, or not valid for us)."""
    from hnsubmit.errors import PolicyError
    from hnsubmit.policy.model import policy_from_dict

    data = _read(endpoint)
    if data is None:
        return None
    from hnsubmit.client.proofing_cache import with_server_lists

    try:
        return with_server_lists(endpoint, policy_from_dict(data["policy"], f"server {data['endpoint']} ({data.get('fetched_at', '')})"))
    except PolicyError:
        return None


def refresh_policy(client: "ExchangeClient") -> "Policy":
    """Ask the server (304 keeps our copy), store what it sent, and return it as a Policy."""
    from hnsubmit.policy.model import policy_from_dict

    cached = _read(client.endpoint)
    policy, etag = client.policy(cached.get("etag") if cached else None)
    if policy is None and cached is not None:
        policy = cached["policy"]
    elif policy is None:  # a 304 without a copy of ours: ask again without the tag
        policy, etag = client.policy(None)
    assert policy is not None
    result = policy_from_dict(policy, f"server {client.endpoint}")  # PolicyError if it is not valid for us
    _write(client.endpoint, etag, policy)
    from hnsubmit.client.proofing_cache import refresh_lists, with_server_lists

    refresh_lists(client)  # the office's proofreading lists, so PRF checks with them too
    result = with_server_lists(client.endpoint, result)
    return result
