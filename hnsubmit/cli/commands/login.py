"""`hnsubmit login|logout|whoami`: the unit's token for an endpoint, kept in the OS keyring."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from hnsubmit.cli.context import open_client, target
from hnsubmit.cli.options import CA_HELP, ENDPOINT_HELP, UNIT_HELP
from hnsubmit.render.console import console


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
