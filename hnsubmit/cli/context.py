"""The one settings context of an invocation, built once by the root callback and read by every command.

Precedence, for every value (twine's Settings, written down once): a command-line flag, then the
HNSUBMIT_* environment, then the profile in the config file, then the default.  The language follows
the same order (``--lang``, HNSUBMIT_LANG, the profile's ``lang``, then the POSIX locale).  Credentials
are looked up at most once per (endpoint, unit) in an invocation.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from hnsubmit.client.credentials import Credentials
from hnsubmit.config import Settings, load_settings


@dataclass(frozen=True)
class Context:
    lang: str
    profile: str | None
    verbose: bool
    settings: Settings
    credentials: Credentials = field(default_factory=Credentials, compare=False)

    def get(self, key: str):
        return self.settings.get(key)


def build_context(lang_flag: str | None, profile: str | None, verbose: bool, new_profile_ok: bool = False) -> Context:
    """Read the settings once and choose the language (and tell gettext); `login` may name a new profile."""
    from hnsubmit.i18n import LANGS, detect_lang, set_lang

    settings = load_settings(profile, new_profile_ok=new_profile_ok)
    lang = lang_flag
    if lang is None:
        configured = str(settings.get("lang") or "").strip().lower()[:2]
        lang = configured if configured in LANGS else detect_lang()
    return Context(set_lang(lang), profile, verbose, settings)


_CURRENT: ContextVar[Context | None] = ContextVar("hnsubmit_cli_context", default=None)


def enter(context: Context) -> Context:
    """Make `context` the invocation's (the root callback does this once per command line)."""
    _CURRENT.set(context)
    return context


def current() -> Context:
    """The invocation's context; outside a command line (a library call, a worker thread), one built
    from the environment in the language already chosen."""
    context = _CURRENT.get()
    if context is None:
        from hnsubmit.i18n import current_lang

        context = enter(Context(current_lang(), None, False, load_settings(None)))
    return context


def target(endpoint: str | None, unit: str | None, ca_bundle: str | None = None) -> tuple[str, str, str | None]:
    """(endpoint, unit, ca_bundle) from the flags, else the settings."""
    from hnsubmit.client.credentials import normalize_endpoint

    s = current().settings.override(endpoint=endpoint, unit=unit, ca_bundle=ca_bundle)
    return (
        normalize_endpoint(str(s.get("endpoint") or "")),
        str(s.get("unit") or "").strip(),
        str(s.get("ca_bundle") or "") or None,
    )


def resolve_policy(flag: Path | None, server: str | None = None):
    """--policy, else (push) the endpoint's cached policy — the office's rules win — else the
    profile's policy, else the built-in default."""
    from hnsubmit.policy.model import load_policy

    if flag is not None:
        return load_policy(flag)
    if server:
        from hnsubmit.client.policy_cache import cached_policy

        cached = cached_policy(server)
        if cached is not None:
            return cached
    return load_policy(current().get("policy") or None)


def open_outbox():
    from hnsubmit.client.outbox import Outbox

    return Outbox(current().get("outbox") or None)


def report_retries() -> None:
    """stamina logs each retry as a WARNING, which would reach stderr raw; say it our way, and only with -v."""
    import stamina.instrumentation
    import typer

    verbose = current().verbose

    def hook(details) -> None:
        from hnsubmit.i18n import _

        cause = details.caused_by
        if getattr(cause, "retry_after", None) is not None or details.wait_for >= 5:
            # a wait the user would notice: say what for and how long, whatever the verbosity
            reason = _(getattr(cause, "reason", None) or "the connection failed")
            if getattr(cause, "status", None) is None:  # a transport failure: its reason says it in words
                typer.echo(_("Waiting {wait:.0f} s before trying again: {reason}. Ctrl-C stops; the items stay "
                             "in the outbox.").format(wait=details.wait_for, reason=reason), err=True)
            else:
                typer.echo(_("Waiting {wait:.0f} s before trying again: {reason} ({cause}). Ctrl-C stops; the items stay "
                             "in the outbox.").format(wait=details.wait_for, reason=reason, cause=cause), err=True)
        elif verbose:
            typer.echo(_("retry {num} in {wait:.1f} s after {cause}").format(
                num=details.retry_num, wait=details.wait_for, cause=details.caused_by), err=True)

    stamina.instrumentation.set_on_retry_hooks([hook])


def open_client(endpoint: str | None = None, unit: str | None = None, ca_bundle: str | None = None, retry=None,
                allow_http: bool = False):
    """An ExchangeClient with the unit's token (HNSUBMIT_TOKEN, else the keyring), and the credential."""
    from hnsubmit.cli.options import client_options, warn_plain_http
    from hnsubmit.client.api import ExchangeClient

    ep, un, ca = target(endpoint, unit, ca_bundle)
    cred = current().credentials.get(ep, un)
    report_retries()
    client = ExchangeClient(ep, cred.token, ca_bundle=ca, **client_options(current().settings, allow_http, retry))
    warn_plain_http(client)
    return client, cred


@contextmanager
def local_exchange(data: Path | None) -> Iterator[object]:
    """Open the server's data directory (WAL: safe while the server runs); exchange errors become usage errors."""
    from hnsubmit.cli.extras import require_server
    from hnsubmit.errors import UsageError

    require_server()  # admin/review/report on a data folder: the office's server install
    from hnsubmit.exchange.context import default_data_dir, open_exchange, resolve_locations
    from hnsubmit.exchange.problems import ExchangeError
    from hnsubmit.exchange.serverconfig import load_server_config

    configured = load_server_config(None)  # HNSUBMIT_EXCHANGE_CONFIG, as the server reads it
    data_dir = data or (Path(configured["data"]) if "data" in configured else default_data_dir())
    # HNSUBMIT_EXCHANGE_DB / _BLOBS (or the config file) point the office's commands at PostgreSQL and S3
    locations = resolve_locations(data_dir, configured=configured)
    ex = open_exchange(data_dir, create=False, locations=locations)  # only `serve` makes a data folder
    try:
        yield ex
    except ExchangeError as exc:
        raise UsageError("{message}", message=exc.zh if current().lang == "zh" else exc.en) from None
    finally:
        ex.close()
