"""`hnsubmit admin unit|token|fsck`: the office manages units and tokens (at a distance with an admin token, or on the
server's data folder with --data) and checks the blob store (on the data folder only)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from hnsubmit.cli.context import local_exchange
from hnsubmit.cli.office import data_option, endpoint_option, open_office
from hnsubmit.cli.options import DATA_HELP, allow_http_option, ca_bundle_option

admin_app = typer.Typer(help="Units and tokens of the exchange server (over the network with an admin token, or on its data directory).", no_args_is_help=True)
unit_app = typer.Typer(help="Units (县政府, 州直部门) and the columns they feed.", no_args_is_help=True)
token_app = typer.Typer(help="Bearer tokens: issue (shown once), list, revoke.", no_args_is_help=True)
admin_app.add_typer(unit_app, name="unit")
admin_app.add_typer(token_app, name="token")
column_app = typer.Typer(help="The portal's columns: each one's type and the most days it may go without a published item (栏目更新).",
                         no_args_is_help=True)
admin_app.add_typer(column_app, name="column")

def _when(value) -> str:
    from hnsubmit.render.words import local_time

    return local_time(value) if value else "-"


@unit_app.command("add")
def unit_add(
    code: str = typer.Argument(..., help="Unit code, e.g. 632526 or 632500-xxj."),
    name: str = typer.Argument(..., help="Full name, e.g. 海南州某某局."),
    kind: str = typer.Option("department", "--kind", help="county or department."),
    columns: List[str] = typer.Option([], "--column", help="A column id the unit feeds (repeat)."),
    data: Optional[Path] = data_option(),
    endpoint: Optional[str] = endpoint_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    allow_http: bool = allow_http_option(),
) -> None:
    """Add a unit with the columns it feeds (its row of the 分工表)."""
    from hnsubmit.i18n import _

    with open_office(data, endpoint, ca_bundle, allow_http) as office:
        unit = office.add_unit(code, name, kind, list(columns))
    typer.echo(_("Added unit {code} {name}").format(code=unit["code"], name=unit["name"]))


@unit_app.command("list")
def unit_list(
    data: Optional[Path] = data_option(),
    fmt: str = typer.Option("text", "--format", help="text or json."),
    endpoint: Optional[str] = endpoint_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    allow_http: bool = allow_http_option(),
) -> None:
    """List the units and their columns."""
    import json

    from rich.table import Table

    from hnsubmit.i18n import _
    from hnsubmit.render.console import console
    from hnsubmit.render.terminal import shown
    from hnsubmit.render.words import column_name, kind_name

    with open_office(data, endpoint, ca_bundle, allow_http) as office:
        units = office.units()
    if fmt == "json":
        typer.echo(json.dumps([{k: u.get(k) for k in ("code", "name", "kind", "active", "columns")} for u in units],
                              ensure_ascii=False, indent=2))
        return
    table = Table(show_lines=False)
    for title in (_("code"), _("name"), _("kind"), _("active"), _("columns")):
        table.add_column(title)
    for u in units:
        table.add_row(shown(u["code"]), shown(u.get("name") or ""), kind_name(u.get("kind")), _("yes") if u.get("active") else _("no"),
                      shown("、".join(column_name(c) for c in u.get("columns") or [])))
    console().print(table)


def _set_active(code: str, active: bool, data, endpoint, ca_bundle, allow_http) -> None:
    from hnsubmit.i18n import _

    with open_office(data, endpoint, ca_bundle, allow_http) as office:
        unit = office.set_unit_active(code, active)
    typer.echo((_("Enabled unit {code}") if active else _("Disabled unit {code}; its tokens stop working")).format(code=unit["code"]))


@unit_app.command("disable")
def unit_disable(code: str = typer.Argument(...), data: Optional[Path] = data_option(),
                 endpoint: Optional[str] = endpoint_option(),
                 ca_bundle: Optional[str] = ca_bundle_option(),
                 allow_http: bool = allow_http_option()) -> None:
    """Disable a unit: its tokens are refused until it is enabled again."""
    _set_active(code, False, data, endpoint, ca_bundle, allow_http)


@unit_app.command("enable")
def unit_enable(code: str = typer.Argument(...), data: Optional[Path] = data_option(),
                endpoint: Optional[str] = endpoint_option(),
                ca_bundle: Optional[str] = ca_bundle_option(),
                allow_http: bool = allow_http_option()) -> None:
    """Enable a disabled unit again."""
    _set_active(code, True, data, endpoint, ca_bundle, allow_http)


@unit_app.command("columns")
def unit_columns(
    code: str = typer.Argument(...),
    columns: List[str] = typer.Option([], "--column", help="A column id the unit feeds (repeat); replaces the unit's columns."),
    data: Optional[Path] = data_option(),
    endpoint: Optional[str] = endpoint_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    allow_http: bool = allow_http_option(),
) -> None:
    """Set the columns a unit feeds (its row of the 分工表), replacing the ones it had."""
    from hnsubmit.errors import UsageError
    from hnsubmit.i18n import _
    from hnsubmit.render.words import column_name

    if not columns:
        raise UsageError("Name at least one column with --column (see `hnsubmit admin unit list`).")
    with open_office(data, endpoint, ca_bundle, allow_http) as office:
        unit = office.set_unit_columns(code, list(columns))
    typer.echo(_("Unit {code} feeds: {columns}").format(code=unit["code"], columns="、".join(column_name(c) for c in unit["columns"])))


@token_app.command("issue")
def token_issue(
    role: str = typer.Option(..., "--role", help="unit, approver, reviewer or admin."),
    unit: Optional[str] = typer.Option(None, "--unit", help="The unit code (roles unit and approver only)."),
    label: str = typer.Option("", "--label", help="Whose token this is, e.g. the liaison's name."),
    name: Optional[str] = typer.Option(None, "--name", help="Role approver: the leader's registered name (姓名), which "
                                       "a submission's [approval] approver must match."),
    data: Optional[Path] = data_option(),
    endpoint: Optional[str] = endpoint_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    allow_http: bool = allow_http_option(),
) -> None:
    """Issue a token. It is printed ONCE on standard output; the server keeps only its hash."""
    from hnsubmit.i18n import _

    with open_office(data, endpoint, ca_bundle, allow_http) as office:
        secret, token = office.issue_token(role, unit, label, name)
    typer.echo(_("Issued token {id} (role {role}{unit}). It is shown only now; hand it over safely:").format(
        id=token["token_id"], role=token["role"], unit=f", {token['unit']}" if token.get("unit") else ""), err=True)
    typer.echo(secret)  # stdout carries the secret alone, so `... > file` or a pipe gets exactly it


@token_app.command("list")
def token_list(data: Optional[Path] = data_option(),
               endpoint: Optional[str] = endpoint_option(),
               ca_bundle: Optional[str] = ca_bundle_option(),
               allow_http: bool = allow_http_option()) -> None:
    """List tokens (never their secrets)."""
    from rich.table import Table

    from hnsubmit.i18n import _
    from hnsubmit.render.console import console
    from hnsubmit.render.terminal import shown

    with open_office(data, endpoint, ca_bundle, allow_http) as office:
        tokens = office.tokens()
    table = Table()
    for title in (_("token"), _("role"), _("unit"), _("label"), _("created"), _("last used"), _("revoked")):
        table.add_column(title)
    for t in tokens:
        # an approver's registered name (issue 15 §2) goes with its label
        label = " / ".join(x for x in (t.get("name") or "", t.get("label") or "") if x) or "-"
        table.add_row(shown(t["token_id"]), shown(t["role"]), shown(t.get("unit") or "-"), shown(label),
                      _when(t.get("created_at")), _when(t.get("last_used_at")), _when(t.get("revoked_at")))
    console().print(table)


@token_app.command("revoke")
def token_revoke(token_id: str = typer.Argument(..., help="The token id (t_…), from `token list`."),
                 data: Optional[Path] = data_option(),
                 endpoint: Optional[str] = endpoint_option(),
                 ca_bundle: Optional[str] = ca_bundle_option(),
                 allow_http: bool = allow_http_option()) -> None:
    """Revoke a token at once."""
    from hnsubmit.i18n import _

    with open_office(data, endpoint, ca_bundle, allow_http) as office:
        office.revoke_token(token_id)
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


@admin_app.command("migrate")
def migrate(
    db: Optional[str] = typer.Option(None, "--db", help="postgresql://USER@HOST:PORT/DB (default: HNSUBMIT_EXCHANGE_DB "
                                     "or the server config file)."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """Bring the database's schema to this version's (PostgreSQL; a SQLite file upgrades itself when opened)."""
    from hnsubmit.cli.extras import require_server

    require_server()
    from hnsubmit.exchange.province import migrate_schema
    from hnsubmit.i18n import _

    version, applied = migrate_schema(data, db)
    for step, note in applied:
        typer.echo(_("applied schema step {step}: {note}").format(step=step, note=note))
    typer.echo(_("The database's schema is at version {version}.").format(version=version))


@admin_app.command("export")
def export(
    to_db: str = typer.Option(..., "--to-db", help="Where the metadata goes: postgresql://… or sqlite:///PATH."),
    to_blobs: str = typer.Option(..., "--to-blobs", help="Where the blobs go: s3://BUCKET/PREFIX?endpoint=… or file:///PATH."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """Copy this exchange (every row, every blob) into an empty store elsewhere, then verify the copy:
    every blob re-hashed there, every table's row count compared. The source is not changed."""
    _transfer(data, to_db, to_blobs, outward=True)


@admin_app.command("import")
def import_(
    from_db: str = typer.Option(..., "--from-db", help="Where the metadata comes from: postgresql://… or sqlite:///PATH."),
    from_blobs: str = typer.Option(..., "--from-blobs", help="Where the blobs come from: s3://… or file:///PATH."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """Copy an exchange from elsewhere (e.g. PostgreSQL + S3) into this empty one (e.g. a data folder), verified
    the same way as export."""
    _transfer(data, from_db, from_blobs, outward=False)


def _transfer(data: Path | None, db: str, blobs: str, outward: bool) -> None:
    from hnsubmit.cli.extras import require_server

    require_server()
    from hnsubmit.cli.output import DelayedProgress
    from hnsubmit.exchange.province import transfer
    from hnsubmit.i18n import _

    with DelayedProgress(_("Copying the exchange")) as progress:
        report = transfer(data, db, blobs, outward=outward, progress=progress)
    for table, count in report.rows.items():
        typer.echo(_("{table}: {count} rows, the same count on both sides").format(table=table, count=count))
    typer.echo(_("{count} blobs ({size} bytes) copied and re-hashed at the destination.").format(
        count=report.blobs, size=report.blob_bytes))


@column_app.command("list")
def column_list(
    data: Optional[Path] = data_option(),
    endpoint: Optional[str] = endpoint_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    allow_http: bool = allow_http_option(),
) -> None:
    """List the columns with their type and limit in days."""
    from rich.table import Table

    from hnsubmit.i18n import _, current_lang
    from hnsubmit.render.columns import KINDS
    from hnsubmit.render.console import console
    from hnsubmit.render.terminal import shown

    with open_office(data, endpoint, ca_bundle, allow_http) as office:
        columns = office.columns()
    table = Table()
    for title in (_("column"), _("name"), _("Type"), _("Limit (days)")):
        table.add_column(title)
    for c in columns:
        names = c.get("name") if isinstance(c.get("name"), dict) else {}
        kind = c.get("kind")
        table.add_row(shown(c.get("id") or ""), shown(str(names.get("zh" if current_lang() == "zh" else "en") or "")),
                      _(KINDS[kind]) if kind in KINDS else shown(str(kind or "")), str(c.get("max_days") or "-"))
    console().print(table)


@column_app.command("set")
def column_set(
    column_id: str = typer.Argument(..., help="The column id, e.g. county-news (see `admin column list`)."),
    kind: Optional[str] = typer.Option(None, "--type", help="news (news and dynamic columns, default 14 days), notice "
                                       "(notices and policy documents, 180 days) or other (365 days)."),
    max_days: Optional[int] = typer.Option(None, "--max-days", min=1, max=3660,
                                           help="The most days the column may go without a published item."),
    data: Optional[Path] = data_option(),
    endpoint: Optional[str] = endpoint_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    allow_http: bool = allow_http_option(),
) -> None:
    """Set a column's type and its limit in days; a type alone takes that type's default limit."""
    from hnsubmit.exchange.freshness import KINDS
    from hnsubmit.i18n import _

    if kind is not None and kind not in KINDS:
        raise typer.BadParameter(_("{option} takes one of: {choices}").format(option="--type", choices=", ".join(KINDS)))
    if kind is None and max_days is None:
        raise typer.BadParameter(_("Give --type, --max-days or both."))
    with open_office(data, endpoint, ca_bundle, allow_http) as office:
        column = office.set_column(column_id, kind, max_days)
    typer.echo(_("Column {column}: type {kind}, at most {days} days without a published item").format(
        column=column.get("id"), kind=column.get("kind"), days=column.get("max_days")))


def register(app: typer.Typer) -> None:
    app.add_typer(admin_app, name="admin")
