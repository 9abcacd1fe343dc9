"""`hnsubmit push DIR|FILE.zip...`: check, pack, queue in the outbox, send exactly once, print the receipts."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import List, Optional

import typer

from hnsubmit.cli.context import current, open_outbox, report_retries, resolve_policy, target
from hnsubmit.cli.options import allow_http_option, ca_bundle_option, client_options, endpoint_option, unit_option, warn_plain_http
from hnsubmit.cli.interrupt import on_interrupt
from hnsubmit.cli.send import send_items
from hnsubmit.render.console import console


def _server_policy(endpoint: str, ca_bundle: str | None, policy_flag: Optional[Path]):
    """Refresh the server's policy (unauthenticated, quick); offline, the cached copy is used by the resolver."""
    from hnsubmit.client.api import ExchangeClient, RetryPolicy
    from hnsubmit.client.policy_cache import refresh_policy
    from hnsubmit.errors import NetworkError, PolicyError, RefusedError

    note = ""
    if policy_flag is None:
        try:
            options = client_options(current().settings, retry=RetryPolicy(attempts=2, timeout=20))
            with ExchangeClient(endpoint, None, ca_bundle=ca_bundle, **options) as c:
                refresh_policy(c)
        except (NetworkError, RefusedError, PolicyError) as exc:
            from hnsubmit.i18n import _

            note = _("The server's policy could not be fetched ({problem}); checking with the last known copy or the local policy.").format(
                problem=exc.render(_))  # the error said in words, as the boundary would say it
    return resolve_policy(policy_flag, server=endpoint), note


def _with_approvers(pol, endpoint: str, ca_bundle: str | None, cred, allow_http: bool):
    """In approver mode (issue 15 §2), the policy with the unit's registered approvers from the exchange, so the
    check before sending says SUB017 instead of the server refusing after the upload; unchanged if it cannot ask."""
    from hnsubmit.client.api import ExchangeClient, RetryPolicy
    from hnsubmit.errors import HnsubmitError

    try:
        options = client_options(current().settings, allow_http, retry=RetryPolicy(attempts=2, timeout=20))
        with ExchangeClient(endpoint, cred.token, ca_bundle=ca_bundle, **options) as c:
            answer = c.approvers()
    except HnsubmitError:  # an older exchange, or none reachable: it checks the name itself when the item arrives
        return pol
    # a unit token is told its own unit's approvers: none listed means none registered (refused too)
    names: dict[str, list[str]] = {cred.unit: []} if cred.unit else {}
    for a in answer.get("approvers", []):
        names.setdefault(str(a.get("unit") or ""), []).append(str(a.get("name")))
    approval = pol.approval.model_copy(update={"approvers": {**pol.approval.approvers, **names}})
    return pol.model_copy(update={"approval": approval})


def push(
    paths: List[Path] = typer.Argument(..., help="Submission folders (with submission.toml) or packed FILE.zip."),
    concurrency: int = typer.Option(2, "--concurrency", "-j", min=1, max=16, help="Items sent at the same time."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check, pack and ask the server what is missing; send nothing."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bars (also under CI)."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Policy TOML file instead of the server's policy."),
    endpoint: Optional[str] = endpoint_option(),
    unit: Optional[str] = unit_option(),
    ca_bundle: Optional[str] = ca_bundle_option(),
    retries: int = typer.Option(6, "--retries", min=1, max=50, help="Attempts per request on connection errors, 5xx and 429."),
    allow_http: bool = allow_http_option(),
) -> None:
    """Send submissions to the exchange: check first, then upload only what the server lacks, resumably, exactly once."""
    from hnsubmit.checks.run import CheckOptions, run_check, selection_from
    from hnsubmit.client.packages import pack_folder, read_manifest
    from hnsubmit.errors import ExitCode, UsageError
    from hnsubmit.i18n import _
    from hnsubmit.render.text import render_text
    from hnsubmit.rules.findings import Report
    from hnsubmit.submission.bag.build import PackageRefused

    ep, un, ca = target(endpoint, unit, ca_bundle)
    report_retries()  # a wait the server asks for is said in the user's language, never as a raw log line
    for p in paths:
        if not p.exists():
            raise UsageError("{path} does not exist.", path=str(p))
        if p.is_file() and p.suffix.lower() != ".zip":
            raise UsageError("{path} is neither a submission folder nor a package .zip.", path=str(p))
    cred = None if dry_run else current().credentials.get(ep, un)  # exit 4 before any work when there is no token
    if not dry_run:  # exit 2 before anything is queued: the token would cross the network in clear
        from hnsubmit.client.api import refuse_plain_http

        refuse_plain_http(ep, client_options(current().settings, allow_http)["allow_http"])
    pol, note = _server_policy(ep, ca, policy)
    if note and not quiet:
        console(stderr=True).print(note, markup=False)
    if cred is not None and pol.approval.mode == "approver":
        pol = _with_approvers(pol, ep, ca, cred, allow_http)  # SUB017 before anything is uploaded
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
            render_text(Report(tuple(r for rep in refused for r in rep.files)), current().lang, console(), verbose=current().verbose)
            console().print("[red]" + _refused_line(refused) + "[/red]")
            raise typer.Exit(int(ExitCode.CHECK_FAILED))
        if dry_run:
            raise typer.Exit(_dry_run(packages, ep, un, ca, allow_http))
        items = []
        for pkg, manifest, src in packages:
            item, _created = box.add(pkg, ep, un or cred.unit or str(manifest.get("unit", "")), source=str(src))
            items.append(box.set_manifest(item.id, manifest))
    code = send_items(box, items, concurrency=concurrency, ca_bundle=ca, quiet=quiet, retries=retries, allow_http=allow_http)
    raise typer.Exit(code)


def _dry_run(packages, endpoint: str, unit: str, ca_bundle: str | None, allow_http: bool = False) -> int:
    """Show what a push would send; ask the server which files it lacks when a token is at hand."""
    from rich.table import Table

    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.client.packages import blobs_of
    from hnsubmit.errors import CredentialsError
    from hnsubmit.i18n import _

    try:
        cred = current().credentials.get(endpoint, unit)
    except CredentialsError:
        cred = None
    table = Table(title=_("Dry run: nothing is sent"))
    for col in (_("item"), _("files"), _("bytes"), _("to upload")):
        table.add_column(col)
    client = ExchangeClient(endpoint, cred.token, ca_bundle=ca_bundle, **client_options(current().settings, allow_http)) if cred else None
    warn_plain_http(client)
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


def _refused_line(reports) -> str:
    """Point at `hnsubmit fix` only when fix can repair one of the failing findings."""
    from hnsubmit.i18n import _
    from hnsubmit.rules.registry import get_rule

    if any(get_rule(f.code).fixable for rep in reports for r in rep.files for f in r.findings if f.severity.value == "error"):
        return _("Nothing was sent: fix the findings above first (`hnsubmit fix`).")
    return _("Nothing was sent: correct the findings above first, as their hints say.")


def _interrupted(_args) -> str:
    from hnsubmit.i18n import _

    return _("Interrupted: nothing was sent and the original files are untouched; run the same `hnsubmit push` again.")


def register(app: typer.Typer) -> None:
    app.command("push")(on_interrupt(_interrupted)(push))
