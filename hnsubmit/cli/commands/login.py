"""`hnsubmit login|logout|whoami`: the unit's token for an endpoint, kept in the OS keyring."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from hnsubmit.cli.output import console

ENDPOINT_HELP = "The exchange endpoint URL (default: the profile's `endpoint`)."
UNIT_HELP = "The unit code (default: the profile's `unit`)."
CA_HELP = "CA certificates (PEM) for a government internal CA, in addition to the system's trust store."


def target(endpoint: str | None, unit: str | None, ca_bundle: str | None = None) -> tuple[str, str, str | None]:
    """(endpoint, unit, ca_bundle) from the flags, else the profile and HNSUBMIT_* settings."""
    from hnsubmit.cli import state
    from hnsubmit.config import load_settings
    from hnsubmit.client.credentials import normalize_endpoint

    settings = load_settings(state.profile, overrides={"endpoint": endpoint, "unit": unit, "ca_bundle": ca_bundle})
    return (
        normalize_endpoint(str(settings.get("endpoint") or "")),
        str(settings.get("unit") or "").strip(),
        str(settings.get("ca_bundle") or "") or None,
    )


def report_retries() -> None:
    """stamina logs each retry as a WARNING, which would reach stderr raw; say it our way, and only with -v."""
    import stamina.instrumentation

    from hnsubmit.cli import state
    def hook(details) -> None:
        if state.verbose:
            from hnsubmit.i18n import _

            typer.echo(_("retry {num} in {wait:.1f} s after {cause}").format(
                num=details.retry_num, wait=details.wait_for, cause=details.caused_by), err=True)

    stamina.instrumentation.set_on_retry_hooks([hook])


def open_client(endpoint: str | None = None, unit: str | None = None, ca_bundle: str | None = None, retry=None):
    """An ExchangeClient with the unit's token (HNSUBMIT_TOKEN, else the keyring), and the credential."""
    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.client.credentials import get_credential

    ep, un, ca = target(endpoint, unit, ca_bundle)
    cred = get_credential(ep, un)
    report_retries()
    return ExchangeClient(ep, cred.token, ca_bundle=ca, retry=retry), cred


def _read_token(token_stdin: bool):
    from hnsubmit.client.credentials import validate_token
    from hnsubmit.i18n import _

    if token_stdin:
        # bounded: a token is one short line; never echo what was read
        return validate_token(sys.stdin.readline(8192))
    return validate_token(typer.prompt(_("Token (input is hidden)"), hide_input=True, show_default=False))


def login(
    endpoint: Optional[str] = typer.Option(None, "--endpoint", help=ENDPOINT_HELP),
    unit: Optional[str] = typer.Option(None, "--unit", help=UNIT_HELP),
    token_stdin: bool = typer.Option(False, "--token-stdin", help="Read the token from standard input (for scripts)."),
    verify: bool = typer.Option(True, "--verify/--no-verify", help="Ask the server whether the token works first."),
    ca_bundle: Optional[str] = typer.Option(None, "--ca-bundle", help=CA_HELP),
) -> None:
    """Store the unit's token for an endpoint in the OS keyring (the token is read hidden, never shown)."""
    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.client.credentials import store_token
    from hnsubmit.errors import CredentialsError, UsageError
    from hnsubmit.i18n import _

    ep, un, ca = target(endpoint, unit, ca_bundle)
    if not un:
        raise UsageError("No unit given: pass --unit CODE or set `unit` in the profile.")
    token = _read_token(token_stdin)
    if verify:
        with ExchangeClient(ep, token, ca_bundle=ca) as client:
            me = client.whoami()
        server_unit = (me.get("unit") or {}).get("code")
        if me.get("role") == "unit" and server_unit != un:
            raise CredentialsError(
                "This token belongs to unit {other}, not {unit}; nothing was stored.", other=server_unit, unit=un
            )
    backend = store_token(ep, un, token)
    console().print(_("Stored the token of unit {unit} for {endpoint} in the keyring ({backend}).").format(
        unit=un, endpoint=ep, backend=backend))


def logout(
    endpoint: Optional[str] = typer.Option(None, "--endpoint", help=ENDPOINT_HELP),
    unit: Optional[str] = typer.Option(None, "--unit", help=UNIT_HELP),
) -> None:
    """Remove the unit's stored token for an endpoint from the keyring."""
    from hnsubmit.client.credentials import delete_token
    from hnsubmit.i18n import _

    ep, un, _ca = target(endpoint, unit)
    if delete_token(ep, un):
        console().print(_("Removed the token of unit {unit} for {endpoint}.").format(unit=un, endpoint=ep))
    else:
        console().print(_("No token of unit {unit} for {endpoint} was stored.").format(unit=un, endpoint=ep))


def whoami(
    endpoint: Optional[str] = typer.Option(None, "--endpoint", help=ENDPOINT_HELP),
    unit: Optional[str] = typer.Option(None, "--unit", help=UNIT_HELP),
    ca_bundle: Optional[str] = typer.Option(None, "--ca-bundle", help=CA_HELP),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json"),
) -> None:
    """Show which unit and role the server sees for the stored token, and where the token came from."""
    import json

    from hnsubmit.i18n import _

    client, cred = open_client(endpoint, unit, ca_bundle)
    with client:
        me = client.whoami()
    u = me.get("unit") or {}
    if fmt == "json":
        typer.echo(json.dumps({"endpoint": cred.endpoint, "token_source": cred.source, **me}, ensure_ascii=False, indent=2))
        return
    out = console()
    out.print(_("endpoint") + f": {cred.endpoint}")
    out.print(f"{_('token')}: <hidden> ({cred.source})")
    out.print(f"{_('role')}: {me.get('role', '')}")
    if u:
        out.print(f"{_('unit')}: {u.get('code', '')} {u.get('name', '')}")
        out.print(f"{_('columns')}: {', '.join(u.get('columns') or [])}")


def register(app: typer.Typer) -> None:
    app.command("login")(login)
    app.command("logout")(logout)
    app.command("whoami")(whoami)
