"""`hnsubmit push DIR|FILE.zip...`: check, pack, queue in the outbox, send exactly once, print the receipts."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import List, Optional

import typer

from hnsubmit.cli import state
from hnsubmit.cli.commands.login import CA_HELP, ENDPOINT_HELP, UNIT_HELP
from hnsubmit.cli.output import console, is_ci


class TransferProgress:
    """Rich progress bars, one per file being uploaded and one overall; silent under CI, --quiet or no terminal."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and not is_ci() and sys.stderr.isatty()
        self.progress = None
        self.overall = None
        self.tasks: dict[tuple[int, str], object] = {}
        self.done: dict[tuple[int, str], int] = {}

    def __enter__(self):
        if self.enabled:
            from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn,
                                       TransferSpeedColumn)

            from hnsubmit.i18n import _

            self.progress = Progress(
                TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn(),
                console=console(stderr=True), transient=True,
            )
            self.progress.start()
            self.overall = self.progress.add_task(_("overall"), total=0)
        return self

    def __exit__(self, *exc) -> None:
        if self.progress is not None:
            self.progress.stop()

    def events(self):
        from hnsubmit.client.push import PushEvents

        if not self.enabled:
            return PushEvents()
        return PushEvents(item_started=self.item_started, blob_started=self.blob_started, blob_progress=self.blob_progress,
                          item_finished=self.item_finished)

    def item_started(self, item, missing_bytes: int) -> None:
        task = self.progress.tasks[self.overall]
        self.progress.update(self.overall, total=(task.total or 0) + missing_bytes)

    def blob_started(self, item, digest: str, path: str, size: int) -> None:
        key = (item.id, digest)
        self.tasks[key] = self.progress.add_task(f"{item.name}: {Path(path).name}", total=size)
        self.done[key] = 0

    def blob_progress(self, item, digest: str, position: int) -> None:
        key = (item.id, digest)
        if key not in self.tasks:
            return
        # a resumed upload starts at the server's offset: count only what moves now toward the overall bar
        delta = position - self.done[key]
        self.done[key] = position
        self.progress.update(self.tasks[key], completed=position)
        if delta > 0:
            self.progress.advance(self.overall, delta)

    def item_finished(self, result) -> None:
        for key in [k for k in self.tasks if k[0] == result.item_id]:
            self.progress.remove_task(self.tasks.pop(key))


def render_results(results) -> None:
    from rich.table import Table

    from hnsubmit.i18n import _

    table = Table(title=_("Push results"))
    table.add_column(_("item"))
    table.add_column(_("receipt / state"), min_width=18)
    for col in (_("bytes sent"), _("files sent")):
        table.add_column(col, justify="right")
    for r in results:
        if r.state == "sent":
            receipt = (r.receipt or {}).get("submission_id", "")
            shown = f"[green]{receipt}[/green]" + ((" (" + _("already received") + ")") if r.replayed else "")
        elif r.state == "busy":
            shown = "[yellow]" + _("being sent by another hnsubmit process") + "[/yellow]"
        else:
            shown = "[red]" + _("failed, kept in the outbox") + "[/red]: " + (r.error.render(_) if r.error else "")
        table.add_row(f"{r.item_id} {r.name}", shown, f"{r.bytes_sent:,}", f"{r.blobs_sent}/{r.blobs_total}")
    console().print(table)
    hints = dict.fromkeys(r.error.render_hint(_) for r in results if r.error is not None)
    for hint in hints:
        if hint:
            console().print("  → " + hint, markup=False)


def send_items(box, items, *, concurrency: int = 2, ca_bundle: str | None = None, quiet: bool = False,
               retries: int | None = None) -> int:
    """Push outbox items grouped by endpoint and unit (one token each); render the table; return the exit code."""
    from hnsubmit.client.api import ExchangeClient, RetryPolicy
    from hnsubmit.client.credentials import get_credential
    from hnsubmit.client.push import exit_code_for, push_items

    from hnsubmit.cli.commands.login import report_retries

    report_retries()
    retry = RetryPolicy(attempts=retries) if retries else RetryPolicy()
    groups: dict[tuple[str, str], list] = {}
    for item in items:
        groups.setdefault((item.endpoint, item.unit), []).append(item)
    results = []
    with TransferProgress(quiet) as progress:
        for (endpoint, unit), group in groups.items():
            cred = get_credential(endpoint, unit)
            with ExchangeClient(endpoint, cred.token, ca_bundle=ca_bundle, retry=retry, pool=max(2, concurrency)) as client:
                results += push_items(client, box, group, concurrency=concurrency, events=progress.events(),
                                      secrets=(cred.token.reveal(),))
    render_results(results)
    return int(exit_code_for(results))


def _server_policy(endpoint: str, ca_bundle: str | None, policy_flag: Optional[Path]):
    """Refresh the server's policy (unauthenticated, quick); offline, the cached copy is used by the resolver."""
    from hnsubmit.client.api import ExchangeClient, RetryPolicy
    from hnsubmit.client.policy_cache import refresh_policy
    from hnsubmit.cli.policy_source import resolve_policy
    from hnsubmit.errors import NetworkError, PolicyError, RefusedError

    note = ""
    if policy_flag is None:
        try:
            with ExchangeClient(endpoint, None, ca_bundle=ca_bundle, retry=RetryPolicy(attempts=2, timeout=20)) as c:
                refresh_policy(c)
        except (NetworkError, RefusedError, PolicyError) as exc:
            from hnsubmit.i18n import _

            note = _("The server's policy could not be fetched ({problem}); checking with the last known copy or the local policy.").format(
                problem=type(exc).__name__)
    return resolve_policy(policy_flag, server=endpoint), note


def push(
    paths: List[Path] = typer.Argument(..., help="Submission folders (with submission.toml) or packed FILE.zip."),
    concurrency: int = typer.Option(2, "--concurrency", "-j", min=1, max=16, help="Items sent at the same time."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check, pack and ask the server what is missing; send nothing."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bars (also under CI)."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Policy TOML file instead of the server's policy."),
    endpoint: Optional[str] = typer.Option(None, "--endpoint", help=ENDPOINT_HELP),
    unit: Optional[str] = typer.Option(None, "--unit", help=UNIT_HELP),
    ca_bundle: Optional[str] = typer.Option(None, "--ca-bundle", help=CA_HELP),
    retries: int = typer.Option(6, "--retries", min=1, max=50, help="Attempts per request on connection errors, 5xx and 429."),
) -> None:
    """Send submissions to the exchange: check first, then upload only what the server lacks, resumably, exactly once."""
    from hnsubmit.checks.run import CheckOptions, run_check, selection_from
    from hnsubmit.cli.commands.login import target
    from hnsubmit.cli.commands.outbox import open_outbox
    from hnsubmit.client.credentials import get_credential
    from hnsubmit.errors import UsageError
    from hnsubmit.errors import ExitCode
    from hnsubmit.i18n import _
    from hnsubmit.rules.findings import Report
    from hnsubmit.submission.bag.build import PackageRefused
    from hnsubmit.client.packages import pack_folder, read_manifest
    from hnsubmit.render.text import render_text

    ep, un, ca = target(endpoint, unit, ca_bundle)
    for p in paths:
        if not p.exists():
            raise UsageError("{path} does not exist.", path=str(p))
        if p.is_file() and p.suffix.lower() != ".zip":
            raise UsageError("{path} is neither a submission folder nor a package .zip.", path=str(p))
    cred = None if dry_run else get_credential(ep, un)  # exit 4 before any work when there is no token
    pol, note = _server_policy(ep, ca, policy)
    if note and not quiet:
        console(stderr=True).print(note, markup=False)
    options = CheckOptions(pol, selection_from(pol))
    box = open_outbox()
    with tempfile.TemporaryDirectory(prefix="hnsubmit-push-") as tmp:
        # the same checks as `check` (and as `pack`): a folder is checked while it is packed, a zip as a package
        packages, refused = [], []  # (zip, manifest, what the user named); failing check reports
        for p in paths:
            if p.is_dir():
                try:
                    pkg, manifest = pack_folder(p, Path(tmp), pol)
                except PackageRefused as exc:
                    refused.append(exc.report)
                    continue
            else:
                report = run_check([p], options)
                if report.failed:
                    refused.append(report)
                    continue
                pkg, manifest = p, read_manifest(p, pol)
            packages.append((pkg, manifest, p))
        if refused:
            render_text(Report(tuple(r for rep in refused for r in rep.files)), state.lang, console(), verbose=state.verbose)
            console().print("[red]" + _("Nothing was sent: fix the findings above first (`hnsubmit fix`).") + "[/red]")
            raise typer.Exit(int(ExitCode.CHECK_FAILED))
        if dry_run:
            raise typer.Exit(_dry_run(packages, ep, un, ca))
        items = []
        for pkg, manifest, src in packages:
            item, _created = box.add(pkg, ep, un or cred.unit or str(manifest.get("unit", "")), source=str(src))
            items.append(box.set_manifest(item.id, manifest))
    code = send_items(box, items, concurrency=concurrency, ca_bundle=ca, quiet=quiet, retries=retries)
    raise typer.Exit(code)


def _dry_run(packages, endpoint: str, unit: str, ca_bundle: str | None) -> int:
    """Show what a push would send; ask the server which files it lacks when a token is at hand."""
    from rich.table import Table

    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.client.credentials import get_credential
    from hnsubmit.errors import CredentialsError
    from hnsubmit.i18n import _
    from hnsubmit.client.packages import blobs_of

    try:
        cred = get_credential(endpoint, unit)
    except CredentialsError:
        cred = None
    table = Table(title=_("Dry run: nothing is sent"))
    for col in (_("item"), _("files"), _("bytes"), _("to upload")):
        table.add_column(col)
    client = ExchangeClient(endpoint, cred.token, ca_bundle=ca_bundle) if cred else None
    try:
        for _pkg, manifest, src in packages:
            blobs = blobs_of(manifest)
            if client is not None:
                missing = set(client.missing([b.digest for b in blobs]))
                upload = f"{sum(b.size for b in blobs if b.digest in missing):,}"
            else:
                upload = _("unknown (no token)")
            table.add_row(str(src), str(len(blobs)), f"{sum(b.size for b in blobs):,}", upload)
    finally:
        if client is not None:
            client.close()
    console().print(table)
    return 0


def register(app: typer.Typer) -> None:
    app.command("push")(push)
