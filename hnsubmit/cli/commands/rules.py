"""`hnsubmit rules` lists every rule; `hnsubmit explain CODE|slug|title` prints one."""

from __future__ import annotations

import json

import typer

from hnsubmit.cli.context import current
from hnsubmit.render.console import console


def rules(
    fmt: str = typer.Option("text", "--format", "-f", help="text or json"),
    family: str = typer.Option("", "--family", help="Only one family: FMT, DOC, JPG, WMV, TXT, GDE, SUB, PKG."),
) -> None:
    """List the rules with their code, severity and title."""
    from hnsubmit.rules.registry import all_rules

    chosen = [r for r in all_rules().values() if not family or r.family == family.upper()]
    if fmt == "json":
        out = [
            {
                "code": r.code, "slug": r.slug, "family": r.family, "severity": r.severity.value,
                "fixable": r.fixable, "clause": r.clause, "title": dict(r.title), "message": dict(r.message),
                "hint": dict(r.hint),
            }
            for r in chosen
        ]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if fmt != "text":
        from hnsubmit.i18n import _

        raise typer.BadParameter(_("{option} takes one of: {choices}").format(option="--format", choices="text, json"))
    from rich.table import Table

    from hnsubmit.i18n import _
    from hnsubmit.render.text import severity_label

    table = Table(show_header=True, header_style="bold")
    for col in (_("code"), _("slug"), _("severity"), _("fixable"), _("title")):
        table.add_column(col)
    for r in chosen:
        table.add_row(r.code, r.slug, severity_label(r.severity.value), "✓" if r.fixable else "", r.render("title", current().lang))
    console().print(table)


def explain(code: str = typer.Argument(..., help="Rule code (e.g. FMT001), slug (format-not-allowed) or words of its title (批注).")) -> None:
    """Explain one rule: what it checks, why, and how to fix it."""
    from hnsubmit.errors import UsageError
    from hnsubmit.i18n import N_, _
    from hnsubmit.render.text import severity_label
    from hnsubmit.rules.registry import find_rule, rules_titled, suggest

    lang = current().lang
    rule = find_rule(code)
    titled = rules_titled(code) if rule is None else []
    if rule is None and len(titled) == 1:
        rule = titled[0]
    if rule is None and titled:
        raise UsageError(
            "Several rules have {words} in their title: {rules}", hint=N_("Name one by its code, e.g. `hnsubmit explain {code}`."),
            words=code, rules="; ".join(f"{r.code} {r.render('title', lang)}" for r in titled[:10]), code=titled[0].code,
        )
    if rule is None:
        close = suggest(code)
        raise UsageError(
            "Unknown rule {code}.", hint=N_("Did you mean: {close}?") if close else "", code=code, close=", ".join(close)
        )
    out = console()
    out.print(f"[bold]{rule.code}[/bold] {rule.slug} — {rule.render('title', lang)}", highlight=False)
    yes_no = _("yes") if rule.fixable else _("no")
    out.print(_("severity") + ": " + severity_label(rule.severity.value) + "    " + _("fixable") + ": " + yes_no)
    if rule.clause:
        out.print(_("clause") + ": " + rule.clause, markup=False)
    out.print()
    out.print(rule.render("explanation", lang), markup=False, highlight=False)
    out.print()
    out.print(_("How to fix") + ": " + rule.render("hint", lang), markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("rules")(rules)
    app.command("explain")(explain)
