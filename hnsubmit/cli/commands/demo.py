"""`hnsubmit demo`: the README's main job end to end on the bundled examples, against an embedded exchange.

check → fix → check the repaired copies → start the exchange on 127.0.0.1 (temporary data dir) →
the office creates a unit and issues its token → pack and push the example submissions →
each unit's approver (分管领导) approves its items with their own token (the demo's exchange is in
approver mode, issue 15 §2) → a reviewer accepts one and rejects one with a reason → `status` and the
weekly report (督查通报).
Nothing outside the temporary folders is touched: not the keyring, not the user's outbox.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Optional

import typer

from hnsubmit.cli.context import current
from hnsubmit.render.console import console

DEMO_UNIT = {  # the office registers a unit on its new exchange, as it would for a department not in the seed
    "code": "632500-ybj", "name": "海南州医疗保障局", "kind": "department",
    "columns": ["department-news", "notices", "guides", "public-services"],
}


KEEP_CONSOLE_HELP = "Keep the embedded exchange running after the demo, for its review console in a browser (until Ctrl-C)."


def find_examples(given: Path | None) -> Path:
    from hnsubmit.errors import UsageError

    for candidate in (given, Path.cwd() / "examples", Path(__file__).resolve().parents[2] / "examples"):
        if candidate is not None and (candidate / "positive").is_dir():
            return candidate
    raise UsageError("The examples folder was not found; pass it with --examples DIR")


def submission_folders(root: Path) -> list[Path]:
    """Every folder with a submission.toml under examples/submissions (not its negative examples)."""
    base = root / "submissions"
    return sorted(p.parent for p in base.rglob("submission.toml") if "negative" not in p.parts) if base.is_dir() else []


def _titles(folders: list[Path]) -> set[str]:
    from hnsubmit.tomlcompat import tomllib

    return {str(tomllib.loads((f / "submission.toml").read_text(encoding="utf-8")).get("title", "")) for f in folders}


def demo(
    examples: Optional[Path] = typer.Option(None, "--examples", help="The examples folder (default: ./examples)."),
    outdir: Path = typer.Option(Path("hnsubmit-fixed"), "-o", "--output-dir", help="Where fixed copies go."),
    keep_console: bool = typer.Option(False, "--keep-console", help=KEEP_CONSOLE_HELP),
) -> None:
    """Run the main job on the bundled examples: check, fix, pack and push them to an embedded exchange, review, report."""
    from hnsubmit.cli.extras import require_server

    require_server()  # before step 1: the embedded exchange of step 4 needs it
    from hnsubmit.checks.fix import FixOptions, run_fix
    from hnsubmit.checks.run import CheckOptions, run_check, selection_from
    from hnsubmit.exchange.embedded import start_embedded
    from hnsubmit.i18n import _
    from hnsubmit.policy.model import default_policy
    from hnsubmit.render.fix import render_actions
    from hnsubmit.render.text import render_text

    root = find_examples(examples)
    pol = default_policy()
    options = CheckOptions(pol, selection_from(pol))
    out = console()
    out.rule(_("1. check: the examples as a liaison would send them"))
    render_text(run_check([root / "positive", root / "negative"], options), current().lang, out, verbose=True)
    out.rule(_("2. fix: repaired copies in {path}").format(path=outdir))
    actions = run_fix([root / "negative"], FixOptions(options, outdir=outdir))
    render_actions(actions, current().lang, current().verbose)
    out.rule(_("3. check the repaired copies"))
    if outdir.exists():
        render_text(run_check([outdir], options), current().lang, out, verbose=True)

    folders = submission_folders(root)
    if not folders:
        out.print(_("No example submissions found under {path}; the push part is skipped.").format(path=root / "submissions"))
        return
    with tempfile.TemporaryDirectory(prefix="hnsubmit-demo-") as tmp:
        work = Path(tmp)
        if (root / "office-guides").is_dir():
            from hnsubmit.cli.demo_guides import wrap_guides

            # the batch of office guides: each example guide file wrapped as a guide submission
            folders += wrap_guides(root / "office-guides", work / "guides", _titles(folders))
        out.rule(_("4. the portal office starts its exchange (embedded, 127.0.0.1, temporary data)"))
        # the office's policy in approver mode (issue 15 §2): the units' leaders approve with their own tokens
        exchange_pol = pol.model_copy(update={"approval": pol.approval.model_copy(update={"mode": "approver"})})
        with start_embedded(work / "exchange", exchange_pol) as exchange:
            code = _exchange_part(exchange, folders, work, pol, options)
            if keep_console:
                _wait_for_interrupt()
    raise typer.Exit(int(code))


def _exchange_part(exchange, folders, work: Path, pol, options) -> int:
    from hnsubmit.checks.run import run_check
    from hnsubmit.client.api import ExchangeClient, ServerRefused
    from hnsubmit.client.outbox import Outbox
    from hnsubmit.client.packages import pack_folder
    from hnsubmit.client.push import exit_code_for
    from hnsubmit.i18n import _
    from hnsubmit.render.push import render_results
    from hnsubmit.render.status import quota_line, render_list
    from hnsubmit.render.text import render_text

    out = console()
    out.print(_("Exchange running at {url} (data in a temporary folder).").format(url=exchange.url))
    with ExchangeClient(exchange.url, exchange.admin) as admin:
        try:
            admin.create_unit(**DEMO_UNIT)
            out.print(_("Office: registered unit {code} {name}.").format(code=DEMO_UNIT["code"], name=DEMO_UNIT["name"]))
        except ServerRefused as exc:
            if exc.code != "conflict":
                raise
        manifests_units = sorted({str(read_manifest_unit(f)) for f in folders})
        tokens = {}
        for unit in manifests_units:
            tokens[unit], _info = admin.issue_token("unit", unit, label="demo liaison")
        out.print(_("Office: issued a token to each sending unit ({units}); each secret is shown once to its liaison, here: <hidden>.").format(
            units=", ".join(manifests_units)))
        reviewer, reviewer_info = admin.issue_token("reviewer", None, label="demo reviewer")
        approvers = {}  # unit → (approver's token, registered name): the leader each example names
        for unit, name in sorted({(read_manifest_unit(f), read_manifest_approver(f)) for f in folders}):
            approvers.setdefault(unit, (admin.issue_token("approver", unit, label="demo approver", name=name)[0], name))
        out.print(_("Office: registered each unit's approver (分管领导) by name: {names}.").format(
            names=", ".join(f"{unit} {name}" for unit, (_t, name) in approvers.items())))

    out.rule(_("5. the liaison checks, packs and pushes the example submissions"))
    report = run_check(folders, options)
    render_text(report, current().lang, out, verbose=False)
    if report.failed:
        out.print("[red]" + _("The example submissions do not pass check; nothing is pushed.") + "[/red]")
        return 1
    box = Outbox(work / "outbox")
    packed: list[tuple[Path, dict, str]] = []  # (package, manifest, source)
    for folder in folders:
        pkg, manifest = pack_folder(folder, work / "packages", pol)
        packed.append((pkg, manifest, folder.name))
    results = _push_all(box, exchange.url, packed, tokens)
    render_results(results)
    code = exit_code_for(results)
    sent = [r for r in results if r.state == "sent"]

    out.rule(_("6. the same push again: nothing new is uploaded, the same receipts come back"))
    render_results(_push_all(box, exchange.url, packed, tokens))

    out.rule(_("6b. each unit's approver approves its items with their own token (approver mode)"))
    _approve_all(exchange.url, approvers)

    out.rule(_("7. the office reviews: accepts one, rejects one with a reason"))
    with ExchangeClient(exchange.url, reviewer) as office:
        if sent:
            first = sent[0].receipt["submission_id"]
            office.review(first, "start")
            office.review(first, "accept")
            out.print(_("Reviewer accepted {id} ({name}).").format(id=first, name=sent[0].name))
        if len(sent) > 1:
            second = sent[1].receipt["submission_id"]
            reason = "图片说明不完整,请补充拍摄时间和地点后重新报送。"
            office.review(second, "reject", reason)
            out.print(_("Reviewer rejected {id} ({name}): {reason}").format(id=second, name=sent[1].name, reason=reason))
        weekly = office.weekly_report()
        freshness = office.column_report()  # issue 15 §3: every column, as the office sees it

    out.rule(_("8. hnsubmit status: what the unit sent, each state and the reviewer's reason"))
    liaison = str(sent[0].receipt.get("unit")) if sent else next(iter(tokens))
    for unit, token in [(liaison, tokens[liaison])] if liaison in tokens else tokens.items():
        with ExchangeClient(exchange.url, token) as client:
            listing = client.submissions(limit=50)
            own = client.weekly_report()
        from hnsubmit.render.words import unit_called

        render_list(listing.get("items", []), _("Submissions of unit {unit} ({total} in all)").format(
            unit=unit_called(unit, own), total=listing.get("total", 0)))
        text, met = quota_line(own, unit)
        out.print(("[green]" if met else "[yellow]") + text + ("[/green]" if met else "[/yellow]"))

    out.rule(_("9. the weekly supervision report (督查通报)"))
    from hnsubmit.render.weekly import render_weekly

    render_weekly(weekly, current().lang)
    out.rule(_("9b. column updates (栏目更新): each column's last published item and days left"))
    from hnsubmit.render.columns import render_table as render_columns

    render_columns(freshness)
    _console_link(exchange, reviewer_info)
    return int(code)


def _console_link(exchange, reviewer_info: dict) -> None:
    """Step 10 (issue 16): the review console's address and a one-time sign-in link for the demo reviewer."""
    from hnsubmit.exchange.console.sessions import create_link
    from hnsubmit.exchange.context import utcnow
    from hnsubmit.i18n import _

    out = console()
    out.rule(_("10. the review console in the browser"))
    nonce = create_link(exchange.data_dir, str(reviewer_info["token_id"]), utcnow())
    out.print(_("Review console: {url}").format(url=f"{exchange.url}/console/"), soft_wrap=True)
    out.print(_("One-time sign-in link for the demo reviewer: {url}").format(url=f"{exchange.url}/console/link/{nonce}"),
              soft_wrap=True)
    out.print(_("The exchange stops when the demo ends; run `hnsubmit demo --keep-console` to keep it open for the browser."))


def _wait_for_interrupt() -> None:
    import time

    from hnsubmit.i18n import _

    console().print(_("The exchange and its console stay open; press Ctrl-C to stop."))
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        pass


def _push_all(box, url: str, packed, tokens) -> list:
    """Queue every package in the (temporary) outbox and push each unit's items with its own token."""
    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.client.push import push_items

    by_unit: dict[str, list] = {}
    for pkg, manifest, source in packed:
        unit = str(manifest["unit"])
        item, _created = box.add(pkg, url, unit, source=source)
        by_unit.setdefault(unit, []).append(box.set_manifest(item.id, manifest))
    results = []
    for unit, items in by_unit.items():
        with ExchangeClient(url, tokens[unit], pool=4) as client:
            results += push_items(client, box, items, concurrency=2, secrets=(tokens[unit].reveal(),))
    return results


def _approve_all(url: str, approvers: dict) -> None:
    """Each unit's approver lists the items awaiting approval and accepts them (`hnsubmit approve accept`)."""
    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.i18n import _

    out = console()
    for unit, (token, name) in approvers.items():
        with ExchangeClient(url, token) as approver:
            waiting = approver.submissions(state="awaiting_approval", limit=1000).get("items", [])
            for item in waiting:
                done = approver.approve(item["submission_id"], "accept")
            if waiting:
                out.print(_("Approver {name} ({unit}) approved {count} item(s); e.g. {id}: {record}.").format(
                    name=name, unit=unit, count=len(waiting), id=done["submission_id"],
                    record=_("{name} (approver token {token}), {time}").format(
                        name=done["approval"]["name"], token=done["approval"]["token_id"],
                        time=local_time(done["approval"]["at"]))))


def local_time(value) -> str:
    from hnsubmit.render.words import local_time as words_local_time

    return words_local_time(value)


def read_manifest_approver(folder: Path) -> str:
    from hnsubmit.tomlcompat import tomllib

    data = tomllib.loads((folder / "submission.toml").read_text(encoding="utf-8"))
    return str((data.get("approval") or {}).get("approver", ""))


def read_manifest_unit(folder: Path) -> str:
    from hnsubmit.tomlcompat import tomllib

    data = tomllib.loads((folder / "submission.toml").read_text(encoding="utf-8"))
    return str(data.get("unit", ""))


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
