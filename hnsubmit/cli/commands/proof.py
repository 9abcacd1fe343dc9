"""`hnsubmit proof FILE.docx -o 校对稿.docx`: the PRF findings as Word comments in a copy;
`hnsubmit proof list`: the effective proofreading lists and where each entry came from."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from hnsubmit.cli.context import current
from hnsubmit.render.console import console


def _policy(policy: Optional[Path], terms: List[Path], leaders: Optional[Path]):
    from hnsubmit.checks.proofing.engine import with_lists
    from hnsubmit.cli.context import resolve_policy

    return with_lists(resolve_policy(policy), [str(t) for t in terms], str(leaders) if leaders else None)


def _list(pol) -> None:
    from hnsubmit.checks.proofing.engine import for_policy
    from hnsubmit.i18n import _

    lists = for_policy(pol).lists
    typer.echo(_("Lists in effect (later ones override earlier ones):"))
    for source in lists.sources:
        typer.echo(f"  {source}")
    typer.echo("")
    typer.echo("\t".join([_("code"), _("wrong"), _("correct"), _("category"), _("source")]))
    for term in lists.terms:
        typer.echo("\t".join([term.code, term.wrong, term.right, term.category, term.source]))
    if lists.leaders:
        typer.echo("")
        typer.echo("\t".join([_("leader"), _("position"), _("source")]))
        for leader in lists.leaders:
            typer.echo("\t".join([leader.name, "、".join(leader.titles), leader.source]))
    else:
        typer.echo("")
        typer.echo(_("No leaders list: PRF007 and PRF008 are not checked (use --leaders or the policy's [proofing] leaders)."))


def proof(
    target: str = typer.Argument(..., help="A Word file to proofread, or `list` to print the lists in effect."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write a copy with every finding as a Word comment (.docx only)."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Policy TOML file instead of the built-in default."),
    terms: List[Path] = typer.Option([], "--terms", help="A term list (CSV) over the built-in proofreading lists; may repeat."),
    leaders: Optional[Path] = typer.Option(None, "--leaders", help="The office's leaders list (CSV 姓名,职务) for PRF007/PRF008."),
) -> None:
    """Proofread a Word file (PRF rules); with -o, a copy with the findings as Word comments."""
    from hnsubmit.errors import UsageError
    from hnsubmit.i18n import N_, _

    pol = _policy(policy, terms, leaders)
    path = Path(target)
    if target == "list" and not path.exists():
        _list(pol)
        return
    from hnsubmit.checks.run import CheckOptions, run_check, selection_from
    from hnsubmit.render.text import render_text

    if not path.is_file():
        raise UsageError("No such file or folder: {path}", path=target)
    options = CheckOptions(policy=pol, selection=selection_from(pol, ["PRF"]))
    report = run_check([path], options)
    render_text(report, current().lang, console(), verbose=current().verbose)
    if output is None:
        return
    if not report.files or report.files[0].kind != "docx":
        raise UsageError("A proof copy is written for .docx files only: {path}", hint=N_("Save the file as .docx in Word or WPS first."), path=target)
    if output.resolve() == path.resolve():
        raise UsageError("The proof copy must not replace the original: {path}", path=str(output))
    from hnsubmit.checks.proofing.annotate import write_proof_copy

    result = write_proof_copy(path, output, list(report.findings), current().lang)
    typer.echo(_("{count} comments written to {path} ({elsewhere} at the start of the body for text in headers, footers or text boxes).").format(
        count=result.comments, path=output, elsewhere=result.elsewhere))


def register(app: typer.Typer) -> None:
    app.command("proof")(proof)
