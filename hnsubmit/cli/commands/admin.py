"""`hnsubmit admin unit|token|fsck`: the office manages units and tokens and checks the blob store, directly on the server's data directory."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from hnsubmit.cli.context import local_exchange
from hnsubmit.cli.options import DATA_HELP

admin_app = typer.Typer(help="Units and tokens of the exchange server (works on its data directory).", no_args_is_help=True)
unit_app = typer.Typer(help="Units (县政府, 州直部门) and the columns they feed.", no_args_is_help=True)
token_app = typer.Typer(help="Bearer tokens: issue (shown once), list, revoke.", no_args_is_help=True)
admin_app.add_typer(unit_app, name="unit")
admin_app.add_typer(token_app, name="token")

def _when(value) -> str:
    from hnsubmit.exchange.weeks import TZ

    return value.astimezone(TZ).strftime("%Y-%m-%d %H:%M") if value else "-"


@unit_app.command("add")
def unit_add(
    code: str = typer.Argument(..., help="Unit code, e.g. 632526 or 632500-xxj."),
    name: str = typer.Argument(..., help="Full name, e.g. 海南州某某局."),
    kind: str = typer.Option("department", "--kind", help="county or department."),
    columns: List[str] = typer.Option([], "--column", help="A column id the unit feeds (repeat)."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """Add a unit with the columns it feeds (its row of the 分工表)."""
    from hnsubmit.exchange.admin import add_unit
    from hnsubmit.i18n import _

    with local_exchange(data) as ex:
        unit = add_unit(ex, code, name, kind, tuple(columns))
    typer.echo(_("Added unit {code} {name}").format(code=unit.code, name=unit.name))


@unit_app.command("list")
def unit_list(
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
    fmt: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """List the units and their columns."""
    import json

    from rich.table import Table

    from hnsubmit.i18n import _
    from hnsubmit.render.console import console
    from hnsubmit.render.words import column_name, kind_name

    with local_exchange(data) as ex:
        units = ex.storage.list_units()
    if fmt == "json":
        typer.echo(json.dumps([{"code": u.code, "name": u.name, "kind": u.kind, "active": u.active, "columns": list(u.columns)}
                               for u in units], ensure_ascii=False, indent=2))
        return
    table = Table(show_lines=False)
    for title in (_("code"), _("name"), _("kind"), _("active"), _("columns")):
        table.add_column(title)
    for u in units:
        table.add_row(u.code, u.name, kind_name(u.kind), _("yes") if u.active else _("no"), "、".join(column_name(c) for c in u.columns))
    console().print(table)


def _set_active(code: str, data: Path | None, active: bool) -> None:
    from hnsubmit.exchange.admin import set_active
    from hnsubmit.i18n import _

    with local_exchange(data) as ex:
        unit = set_active(ex, code, active)
    typer.echo((_("Enabled unit {code}") if active else _("Disabled unit {code}; its tokens stop working")).format(code=unit.code))


@unit_app.command("disable")
def unit_disable(code: str = typer.Argument(...), data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP)) -> None:
    """Disable a unit: its tokens are refused until it is enabled again."""
    _set_active(code, data, False)


@unit_app.command("enable")
def unit_enable(code: str = typer.Argument(...), data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP)) -> None:
    """Enable a disabled unit again."""
    _set_active(code, data, True)


@token_app.command("issue")
def token_issue(
    role: str = typer.Option(..., "--role", help="unit, reviewer or admin."),
    unit: Optional[str] = typer.Option(None, "--unit", help="The unit code (role unit only)."),
    label: str = typer.Option("", "--label", help="Whose token this is, e.g. the liaison's name."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """Issue a token. It is printed ONCE on standard output; the server keeps only its hash."""
    from hnsubmit.exchange.auth import issue_token
    from hnsubmit.exchange.context import utcnow
    from hnsubmit.i18n import _

    with local_exchange(data) as ex:
        secret, token = issue_token(ex.storage, role, unit, label, utcnow())
    typer.echo(_("Issued token {id} (role {role}{unit}). It is shown only now; hand it over safely:").format(
        id=token.token_id, role=token.role, unit=f", {token.unit}" if token.unit else ""), err=True)
    typer.echo(secret)  # stdout carries the secret alone, so `... > file` or a pipe gets exactly it


@token_app.command("list")
def token_list(data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP)) -> None:
    """List tokens (never their secrets)."""
    from rich.table import Table

    from hnsubmit.i18n import _
    from hnsubmit.render.console import console

    with local_exchange(data) as ex:
        tokens = ex.storage.list_tokens()
    table = Table()
    for title in (_("token"), _("role"), _("unit"), _("label"), _("created"), _("last used"), _("revoked")):
        table.add_column(title)
    for t in tokens:
        table.add_row(t.token_id, t.role, t.unit or "-", t.label or "-", _when(t.created_at), _when(t.last_used_at), _when(t.revoked_at))
    console().print(table)


@token_app.command("revoke")
def token_revoke(token_id: str = typer.Argument(..., help="The token id (t_…), from `token list`."),
                 data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP)) -> None:
    """Revoke a token at once."""
    from hnsubmit.exchange.auth import revoke_token
    from hnsubmit.exchange.context import utcnow
    from hnsubmit.i18n import _

    with local_exchange(data) as ex:
        revoke_token(ex.storage, token_id, utcnow())
    typer.echo(_("Revoked token {id}").format(id=token_id))


@admin_app.command("fsck")
def fsck(
    repair: bool = typer.Option(False, "--repair", help="Move damaged blobs to quarantine/ (they then count as missing and are uploaded again)."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
    fmt: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Re-hash every stored blob: list damaged, missing and unreferenced ones and the submissions they affect.

    Exits 1 when a blob is damaged or missing."""
    import json

    from hnsubmit.cli.output import DelayedProgress
    from hnsubmit.exchange.fsck import fsck as run_fsck
    from hnsubmit.i18n import _

    with local_exchange(data) as ex, DelayedProgress(_("Checking blobs")) as progress:
        report = run_fsck(ex, repair=repair, progress=progress)
    if fmt == "json":
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(_("Checked {count} blob files ({size} bytes).").format(count=report.checked, size=report.checked_bytes))
        for d in report.damaged:
            line = _("damaged: {digest} (its bytes hash to {actual})").format(digest=d.digest, actual=d.actual)
            if d.digest in report.quarantined:
                line += " " + _("[quarantined]")
            typer.echo(line)
        for digest in report.missing:
            typer.echo(_("missing: {digest}").format(digest=digest))
        for digest in report.unreferenced:
            typer.echo(_("unreferenced: {digest}").format(digest=digest))
        for digest, ids in report.affected.items():
            typer.echo(_("affects submissions {ids}: {digest}").format(ids=", ".join(ids), digest=digest))
        if report.sound:
            typer.echo(_("The blob store is sound."))
        elif report.damaged and not repair:
            typer.echo(_("Run again with --repair to quarantine the damaged blobs; the units' next push uploads them again."), err=True)
    if not report.sound:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(admin_app, name="admin")
