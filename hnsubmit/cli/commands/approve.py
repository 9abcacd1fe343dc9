"""`hnsubmit approve list|show|accept|return`: the unit's approver (分管领导) approves items with their own token.

With the office's policy `[approval] mode = "approver"`, an item a liaison pushes waits (待审批) until
one of the unit's approvers accepts it, which sends it on to the office's queue, or returns it to the
liaison with a reason (南政办〔2015〕86号 五(二): 未经审核的信息不得上报).  The approver works on their own
machine, over the network, with the token the office issued them (`hnsubmit login` stores it), exactly
as `push` and `status` do.  The logic is the server's (exchange/submissions.py `approve`).
"""

from __future__ import annotations

import json
from typing import Optional

import typer

from hnsubmit.cli.context import open_client
from hnsubmit.cli.options import allow_http_option, ca_bundle_option, endpoint_option, unit_option

approve_app = typer.Typer(help="The unit's approver: list the items awaiting approval, show one, accept it or return it "
                               "with a reason.", no_args_is_help=True)
_FORMAT_HELP = "text or json"


def _format(fmt: str) -> str:
    from hnsubmit.i18n import _

    if fmt not in ("text", "json"):
        raise typer.BadParameter(_("{option} takes one of: {choices}").format(option="--format", choices="text, json"))
    return fmt


def _client(endpoint, unit, ca_bundle, allow_http):
    return open_client(endpoint, unit, ca_bundle, allow_http=allow_http)


def _echo_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@approve_app.command("list")
def approve_list(
    state: str = typer.Option("awaiting_approval", "--state",
                              help="awaiting_approval (default), returned, received, in_review, published, rejected or withdrawn."),
    endpoint: Optional[str] = endpoint_option(),
    unit: Optional[str] = unit_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    fmt: str = typer.Option("text", "--format", "-f", help=_FORMAT_HELP),
    allow_http: bool = allow_http_option(),
) -> None:
    """List the unit's items awaiting approval (or in another state), newest first."""
    from hnsubmit.i18n import _
    from hnsubmit.render.review import render_review_list

    _format(fmt)
    client, _cred = _client(endpoint, unit, ca_bundle, allow_http)
    with client:
        listing = client.submissions(state=state, limit=1000)
    items = listing.get("items", [])
    if fmt == "json":
        _echo_json(listing)
        return
    from hnsubmit.render.words import unit_name

    render_review_list(items, {str(i.get("unit")): unit_name(i.get("unit")) for i in items}, {})
    typer.echo(_("{n} submission(s)").format(n=len(items)), err=True)


@approve_app.command("show")
def approve_show(
    submission_id: str = typer.Argument(..., help="The submission id (e.g. HN-20261118-7KQ2XM)."),
    endpoint: Optional[str] = endpoint_option(),
    unit: Optional[str] = unit_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    fmt: str = typer.Option("text", "--format", "-f", help=_FORMAT_HELP),
    allow_http: bool = allow_http_option(),
) -> None:
    """Show one item: metadata, files and the history of its states, as `review show` does."""
    from hnsubmit.render.review import render_submission

    _format(fmt)
    client, _cred = _client(endpoint, unit, ca_bundle, allow_http)
    with client:
        detail = client.submission(submission_id)
    if fmt == "json":
        _echo_json(detail)
        return
    render_submission(detail, {}, {})


def _act(submission_id: str, action: str, reason: Optional[str], endpoint, unit, ca_bundle, fmt, allow_http) -> None:
    from hnsubmit.client.api import ServerCredentials
    from hnsubmit.errors import CredentialsError
    from hnsubmit.i18n import N_, _
    from hnsubmit.render.console import console
    from hnsubmit.render.review import render_submission
    from hnsubmit.render.words import state_name

    _format(fmt)
    client, _cred = _client(endpoint, unit, ca_bundle, allow_http)
    with client:
        try:
            detail = client.approve(submission_id, action, reason)
        except ServerCredentials as exc:
            if exc.status != 403 or exc.code != "forbidden":
                raise
            # a liaison's or the office's token: say whose token approves, not just "forbidden"
            raise CredentialsError(
                "This token may not approve items: only an approver token, issued by the office to one of the "
                "unit's responsible leaders, may.",
                hint=N_("On the leader's own computer: `hnsubmit login --endpoint URL --unit CODE` with the approver "
                        "token the office issued (`hnsubmit admin token issue --role approver --unit CODE --name NAME`)."),
            ) from None
    if fmt == "json":
        _echo_json(detail)
        return
    render_submission(detail, {}, {})
    console().print(_("{id} is now: {state}").format(id=detail.get("submission_id", submission_id),
                                                     state=state_name(detail.get("state"))), markup=False)


@approve_app.command("accept")
def approve_accept(
    submission_id: str = typer.Argument(..., help="The submission id (e.g. HN-20261118-7KQ2XM)."),
    endpoint: Optional[str] = endpoint_option(),
    unit: Optional[str] = unit_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    fmt: str = typer.Option("text", "--format", "-f", help=_FORMAT_HELP),
    allow_http: bool = allow_http_option(),
) -> None:
    """Approve an item: it goes on to the office's queue, and the approval is recorded with your token."""
    _act(submission_id, "accept", None, endpoint, unit, ca_bundle, fmt, allow_http)


@approve_app.command("return")
def approve_return(
    submission_id: str = typer.Argument(..., help="The submission id (e.g. HN-20261118-7KQ2XM)."),
    reason: str = typer.Option(..., "--reason", help="Why, for the liaison (required)."),
    endpoint: Optional[str] = endpoint_option(),
    unit: Optional[str] = unit_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    fmt: str = typer.Option("text", "--format", "-f", help=_FORMAT_HELP),
    allow_http: bool = allow_http_option(),
) -> None:
    """Return an item to the liaison with a reason; it does not reach the office."""
    from hnsubmit.errors import UsageError

    if not reason.strip():
        raise UsageError("Give the reason for returning it with --reason.")
    _act(submission_id, "return", reason.strip(), endpoint, unit, ca_bundle, fmt, allow_http)


def register(app: typer.Typer) -> None:
    app.add_typer(approve_app, name="approve")
