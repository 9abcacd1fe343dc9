"""`hnsubmit login|logout|whoami`: the unit's token for an endpoint, kept in the OS keyring."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from hnsubmit.cli.context import current, open_client, report_retries, target
from hnsubmit.cli.options import allow_http_option, ca_bundle_option, client_options, endpoint_option, unit_option, warn_plain_http
from hnsubmit.render.console import console
from hnsubmit.render.terminal import shown


def _read_token(token_stdin: bool):
    from hnsubmit.client.credentials import validate_token
    from hnsubmit.i18n import _

    if token_stdin:
        # bounded: a token is one short line; never echo what was read
        return validate_token(sys.stdin.readline(8192))
    return validate_token(typer.prompt(_("Token (input is hidden)"), hide_input=True, show_default=False))


def login(
    endpoint: Optional[str] = endpoint_option(),
    unit: Optional[str] = unit_option(),
    token_stdin: bool = typer.Option(False, "--token-stdin", help="Read the token from standard input (for scripts)."),
    verify: bool = typer.Option(True, "--verify/--no-verify", help="Ask the server whether the token works first."),
    ca_bundle: Optional[str] = ca_bundle_option(),
    allow_http: bool = allow_http_option(),
) -> None:
    """Store the unit's token for an endpoint in the OS keyring (the token is read hidden, never shown)."""
    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.client.credentials import NoKeyring, store_token
    from hnsubmit.config import save_profile
    from hnsubmit.errors import CredentialsError, UsageError
    from hnsubmit.i18n import _

    from hnsubmit.client.office import OFFICE_KEY

    ep, un, ca = target(endpoint, unit, ca_bundle)
    if not un and not verify:
        raise UsageError("No unit given: pass --unit CODE or set `unit` in the profile.")
    to_file = _file_store_agreed(token_stdin)  # said before the token is asked for
    token = _read_token(token_stdin)
    office = False
    if verify:
        report_retries()  # a server's wait is said in the user's language, never as stamina's raw log line
        with ExchangeClient(ep, token, ca_bundle=ca, **client_options(current().settings, allow_http)) as client:
            warn_plain_http(client)
            me = client.whoami()
        server_unit = (me.get("unit") or {}).get("code")
        # a reviewer's or admin's token belongs to no unit: kept under the office's key (client/office.py)
        office = me.get("role") in ("reviewer", "admin")
        if office:
            un = OFFICE_KEY
        elif not un:
            raise UsageError("No unit given: pass --unit CODE or set `unit` in the profile.")
        elif me.get("role") in ("unit", "approver") and server_unit != un:
            raise CredentialsError(
                "This token belongs to unit {other}, not {unit}; nothing was stored.", other=server_unit, unit=un
            )
    try:
        where = store_token(ep, un, token, to_file=to_file)
    except NoKeyring:  # it looked usable but refused to store (locked, no session bus): the file store, said first
        to_file = _file_store_agreed(token_stdin, checked=True)
        where = store_token(ep, un, token, to_file=True)
    if office:
        console().print(_("Stored the office's token for {endpoint} ({place}): review, report and admin work over the network now.").format(
            endpoint=ep, place=where.removeprefix("file ")))
    elif to_file:
        console().print(_("Stored the token of unit {unit} for {endpoint} in the file {path}.").format(
            unit=un, endpoint=ep, path=where.removeprefix("file ")))
    else:
        console().print(_("Stored the token of unit {unit} for {endpoint} in the keyring ({backend}).").format(
            unit=un, endpoint=ep, backend=where))
    # an office token records the endpoint only: the profile's unit stays the liaison's, if any
    recorded = {"endpoint": ep, **({} if office else {"unit": un}), **({"ca_bundle": ca_bundle} if ca_bundle else {})}
    profile = current().settings.profile
    path = save_profile(profile, recorded)
    console().print(_("Recorded the endpoint and unit in profile {profile} of {path}: push, status and whoami need no flags now.").format(
        profile=profile, path=path))


def _file_store_agreed(token_stdin: bool, checked: bool = False) -> bool:
    """False when a keyring is usable.  Else warn, and (interactively) ask whether the file store may be used;
    `checked`: the keyring is already known to be unusable."""
    from hnsubmit.client.credentials import keyring_problem
    from hnsubmit.client.token_file import token_file_path
    from hnsubmit.config import is_ci
    from hnsubmit.errors import CredentialsError
    from hnsubmit.i18n import N_, _

    if not checked and (is_ci() or keyring_problem() is None):
        return False
    err = console(stderr=True)
    err.print("[yellow]" + _("Warning: no system keyring is usable on this machine.") + "[/yellow]")
    err.print(_("The token will be kept in the file {path}, readable only by you (as git's credential store does).").format(
        path=token_file_path()), markup=False)
    if not token_stdin and not typer.confirm(_("Store the token in this file?"), default=True):
        raise CredentialsError(
            "Nothing was stored.", hint=N_("Set the environment variable HNSUBMIT_TOKEN to the unit's token instead."))
    return True


def logout(
    endpoint: Optional[str] = endpoint_option(),
    unit: Optional[str] = unit_option(),
) -> None:
    """Remove the unit's stored token for an endpoint from the keyring."""
    from hnsubmit.client.credentials import delete_token
    from hnsubmit.i18n import _

    from hnsubmit.client.office import OFFICE_KEY

    ep, un, _ca = target(endpoint, unit)
    if not un:  # no unit anywhere: the office's token (`login` without --unit)
        if delete_token(ep, OFFICE_KEY):
            console().print(_("Removed the office's token for {endpoint}.").format(endpoint=ep))
        else:
            console().print(_("No office token for {endpoint} was stored.").format(endpoint=ep))
        return
    if delete_token(ep, un):
        console().print(_("Removed the token of unit {unit} for {endpoint}.").format(unit=un, endpoint=ep))
    else:
        console().print(_("No token of unit {unit} for {endpoint} was stored.").format(unit=un, endpoint=ep))


def whoami(
    endpoint: Optional[str] = endpoint_option(),
    unit: Optional[str] = unit_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json"),
    allow_http: bool = allow_http_option(),
) -> None:
    """Show which unit and role the server sees for the stored token, and where the token came from."""
    import json

    from hnsubmit.client.office import OFFICE_KEY
    from hnsubmit.i18n import _

    _ep, un, _ca = target(endpoint, unit, ca_bundle)
    # no unit anywhere: the office's token (`login` without --unit)
    client, cred = open_client(endpoint, un or OFFICE_KEY, ca_bundle, allow_http=allow_http)
    with client:
        me = client.whoami()
    u = me.get("unit") or {}
    if fmt == "json":
        typer.echo(json.dumps({"endpoint": cred.endpoint, "token_source": cred.source, **me}, ensure_ascii=False, indent=2))
        return
    out = console()
    out.print(_("endpoint") + f": {cred.endpoint}")
    from hnsubmit.render.words import column_name, role_name, source_label

    out.print(f"{_('token')}: <hidden> ({shown(source_label(cred.source))})")
    out.print(f"{_('role')}: {shown(role_name(me.get('role', '')))}")
    if me.get("name"):  # an approver's registered name (issue 15 §2)
        label = _("registered name")  # outside the f-string, where the extractor finds it
        out.print(f"{label}: {shown(str(me.get('name')))}")
    if u:
        out.print(f"{_('unit')}: {shown(u.get('code', ''))} {shown(u.get('name', ''))}")
        out.print(f"{_('columns')}: {shown('、'.join(column_name(c) for c in u.get('columns') or []))}")


def register(app: typer.Typer) -> None:
    app.command("login")(login)
    app.command("logout")(logout)
    app.command("whoami")(whoami)
