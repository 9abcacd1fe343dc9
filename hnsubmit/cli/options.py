"""Options that several commands share, defined once with their help text."""

from __future__ import annotations

from typing import Optional

import typer

ENDPOINT_HELP = "The exchange endpoint URL (default: the profile's `endpoint`)."
UNIT_HELP = "The unit code (default: the profile's `unit`)."
CA_HELP = "CA certificates (PEM) for a government internal CA, in addition to the system's trust store."
DATA_HELP = "Data directory of the exchange server (default: HNSUBMIT_EXCHANGE_DATA or the user data folder)."


def endpoint_option() -> Optional[str]:
    return typer.Option(None, "--endpoint", help=ENDPOINT_HELP)


def unit_option() -> Optional[str]:
    return typer.Option(None, "--unit", help=UNIT_HELP)


def ca_bundle_option() -> Optional[str]:
    return typer.Option(None, "--ca-bundle", help=CA_HELP)


ALLOW_HTTP_HELP = ("Send the token over plain http:// to a host that is not this machine (a warning is shown every "
                   "time; use the https:// address whenever there is one). Also `allow_http = true` in the profile.")


def allow_http_option() -> bool:
    return typer.Option(False, "--allow-http", help=ALLOW_HTTP_HELP)


def _setting_number(settings, key: str, default: float, low: float, high: float) -> float:
    """A number setting (profile or HNSUBMIT_*), checked: bad values are a configuration error, not a traceback."""
    from hnsubmit.errors import ConfigError

    raw = settings.get(key)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = float("nan")
    if not low <= value <= high:
        shown = {"key": key, "value": str(raw)[:40], "low": format(low, "g"), "high": format(high, "g")}
        raise ConfigError("The setting {key} = {value} is not a number of seconds from {low} to {high}.", **shown)
    return value


def _setting_flag(settings, key: str) -> bool:
    raw = settings.get(key)
    if isinstance(raw, bool):
        return raw
    return str(raw or "").strip().lower() in ("1", "true", "yes", "on")


def client_options(settings, allow_http: bool = False, retry=None) -> dict:
    """ExchangeClient keyword arguments from the invocation's settings: how long an answer may take
    (`answer_deadline`), the longest Retry-After honoured (`retry_after_max`), and whether a token may
    go over plain http:// (`--allow-http` or `allow_http`)."""
    import dataclasses

    from hnsubmit.client.api import Bounds, RetryPolicy
    from hnsubmit.client.transport import ANSWER_DEADLINE, MAX_RETRY_AFTER

    deadline = _setting_number(settings, "answer_deadline", ANSWER_DEADLINE, 0.1, 3600)
    cap = _setting_number(settings, "retry_after_max", MAX_RETRY_AFTER, 0, 86400)
    retry = dataclasses.replace(retry or RetryPolicy(), max_retry_after=cap)
    return {"bounds": Bounds(deadline=deadline), "retry": retry,
            "allow_http": allow_http or _setting_flag(settings, "allow_http")}


def warn_plain_http(client) -> None:
    """Every time a token goes over plain http:// to another machine, say so (on stderr)."""
    if getattr(client, "plain_http", False):
        import typer

        from hnsubmit.i18n import _

        typer.echo(_("Warning: the token is sent unencrypted over plain http:// to {endpoint}; anyone on the way can "
                     "read it. Use the https:// address.").format(endpoint=client.endpoint), err=True)
