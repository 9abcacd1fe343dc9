"""Which policy a command uses: --policy, else the profile's policy, else the built-in default."""

from __future__ import annotations

from pathlib import Path


def resolve_policy(flag: Path | None, server: str | None = None):
    """`server` (push): the endpoint's cached policy comes right after --policy — the office's rules win."""
    from hnsubmit.cli import state
    from hnsubmit.config import load_settings
    from hnsubmit.policy.model import load_policy

    if flag is not None:
        return load_policy(flag)
    if server:
        from hnsubmit.client.policy_cache import cached_policy

        cached = cached_policy(server)
        if cached is not None:
            return cached
    configured = load_settings(state.profile).get("policy")
    return load_policy(configured or None)
