"""`hnsubmit outbox list|retry|drop`: the local queue of packages not yet acknowledged by the exchange."""

from __future__ import annotations

import json
from typing import List, Optional

import typer

from hnsubmit.cli.context import open_outbox
from hnsubmit.cli.interrupt import on_interrupt
from hnsubmit.cli.options import allow_http_option, ca_bundle_option
from hnsubmit.cli.send import send_items, state_label, stuck_hint
from hnsubmit.render.console import console

outbox_app = typer.Typer(help="The local queue of packages not yet acknowledged by the exchange.", no_args_is_help=True)


@outbox_app.command("list")
def list_items(
    show_all: bool = typer.Option(False, "--all", "-a", help="Also show items already sent."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json"),
) -> None:
    """Show the items waiting in the outbox (with --all, the sent ones and their receipts too)."""
    from hnsubmit.client.outbox import PENDING
    from hnsubmit.i18n import _

    box = open_outbox()
    items = box.list(None if show_all else PENDING)
    if fmt == "json":
        rows = [
            {
                "id": i.id, "source": i.source, "sha256": i.sha256, "size": i.size, "endpoint": i.endpoint, "unit": i.unit,
                "state": i.state, "attempts": i.attempts, "bytes_sent": i.bytes_sent, "last_error": i.error_text(_),
                "receipt": i.receipt, "created_at": i.created_at, "updated_at": i.updated_at,
            }
            for i in items
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if fmt != "text":
        raise typer.BadParameter(_("{option} takes one of: {choices}").format(option="--format", choices="text, json"))
    if not items:
        console().print(_("The outbox is empty.") if show_all else _("Nothing is waiting in the outbox."))
        return
    from rich.table import Table

    table = Table(title=_("Outbox") + f" ({box.root})")
    for col in (_("id"), _("package")):
        table.add_column(col)
    table.add_column(_("endpoint / unit"), no_wrap=True)
    for col in (_("state"), _("attempts")):
        table.add_column(col)
    table.add_column(_("receipt / last error"), no_wrap=False, min_width=12, overflow="fold")
    for i in items:
        detail = (i.receipt or {}).get("submission_id", "") if i.state == "sent" else i.error_text(_)
        table.add_row(str(i.id), i.name, f"{i.endpoint}\n{i.unit}", state_label(i.state), str(i.attempts), str(detail))
    console().print(table)
    failed = [i for i in items if i.state == "failed"]
    if failed:
        typer.echo(stuck_hint(failed))  # one line, never cut inside the command



def _interrupted(_args) -> str:
    from hnsubmit.i18n import _

    return _("Interrupted: the items are kept in the outbox and the original files are untouched; "
             "continue with `hnsubmit outbox retry`.")


@outbox_app.command("retry")
@on_interrupt(_interrupted)
def retry(
    ids: Optional[List[int]] = typer.Argument(None, help="Item ids (default: every waiting item)."),
    concurrency: int = typer.Option(2, "--concurrency", "-j", min=1, max=16, help="Items sent at the same time."),
    ca_bundle: Optional[str] = ca_bundle_option(),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bars."),
    endpoint: Optional[str] = typer.Option(None, "--endpoint", help="Send the items to this endpoint instead (they move there)."),
    allow_http: bool = allow_http_option(),
) -> None:
    """Send the waiting items again; each is delivered exactly once, uploads continue where they stopped."""

    box = open_outbox()
    chosen = [box.requeue(i) for i in ids] if ids else box.pending()
    if endpoint and chosen:
        from hnsubmit.client.credentials import normalize_endpoint

        moved = normalize_endpoint(endpoint)
        chosen = list({i.id: i for i in (box.retarget(i.id, moved) for i in chosen)}.values())
    if not chosen:
        from hnsubmit.i18n import _

        console().print(_("Nothing is waiting in the outbox."))
        raise typer.Exit(0)
    raise typer.Exit(send_items(box, chosen, concurrency=concurrency, ca_bundle=ca_bundle, quiet=quiet, allow_http=allow_http))


@outbox_app.command("drop")
def drop(
    ids: List[int] = typer.Argument(..., help="Item ids to remove from the outbox."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Remove items from the outbox without sending them (their package copies are deleted)."""
    from hnsubmit.client.outbox import ItemBusy
    from hnsubmit.i18n import _

    box = open_outbox()
    items = [box.get(i) for i in ids]
    unsent = [i for i in items if i.state != "sent"]
    if unsent and not yes:
        names = ", ".join(f"{i.id} ({i.name})" for i in unsent)
        if not typer.confirm(_("Drop {count} unsent item(s): {names}?").format(count=len(unsent), names=names)):
            raise typer.Exit(1)
    for i in items:
        try:
            box.drop(i.id)
        except ItemBusy:
            from hnsubmit.errors import UsageError

            raise UsageError("Outbox item {id} is being sent by another hnsubmit process right now.", id=i.id) from None
        console().print(_("Dropped {id} ({name}).").format(id=i.id, name=i.name))


def register(app: typer.Typer) -> None:
    app.add_typer(outbox_app, name="outbox")
