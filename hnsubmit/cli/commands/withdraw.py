"""`hnsubmit withdraw ID --reason TEXT`: take back a submission (seed 003: expired documents promptly)."""

from __future__ import annotations

import json
from typing import Optional

import typer

from hnsubmit.cli.context import open_client
from hnsubmit.cli.options import allow_http_option, ca_bundle_option, endpoint_option, unit_option
from hnsubmit.render.console import console
from hnsubmit.render.status import state_label


def withdraw(
    submission_id: str = typer.Argument(..., help="The submission id from the receipt (e.g. HN-20261118-7KQ2XM)."),
    reason: str = typer.Option(..., "--reason", help="Why it is withdrawn (kept in the submission's history)."),
    endpoint: Optional[str] = endpoint_option(),
    unit: Optional[str] = unit_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json"),
    allow_http: bool = allow_http_option(),
) -> None:
    """Withdraw one of the unit's submissions, received, under review or already published."""
    from hnsubmit.errors import UsageError
    from hnsubmit.i18n import _

    if not reason.strip():
        raise UsageError("Give the reason for withdrawing with --reason.")
    client, _cred = open_client(endpoint, unit, ca_bundle, allow_http=allow_http)
    with client:
        answer = client.withdraw(submission_id, reason.strip())
    if fmt == "json":
        typer.echo(json.dumps(answer, ensure_ascii=False, indent=2))
        return
    console().print(_("{id} is now: {state}").format(id=answer.get("submission_id", submission_id), state=state_label(answer.get("state", ""))))


def register(app: typer.Typer) -> None:
    app.command("withdraw")(withdraw)
