"""The table `fix` prints: what was written, what changed, what is still found."""

from __future__ import annotations

from hnsubmit.render.console import console


def render_actions(actions, lang: str, verbose: bool = False) -> None:
    from rich.table import Table

    from hnsubmit.i18n import _

    table = Table(title=_("Fix results"), show_lines=False)
    table.add_column(_("file"))
    table.add_column(_("result"))
    table.add_column(_("changes"))
    table.add_column(_("still found"))
    for a in actions:
        if a.error:
            result = "[red]" + _("failed") + f"[/red]: {a.error}"
        elif a.fixed:
            result = "[green]" + _("written") + f"[/green] {a.output}"
        elif a.left:
            result = "[yellow]" + _("not fixable automatically") + "[/yellow]"
        elif not verbose:
            continue
        else:
            result = _("nothing to fix")
        table.add_row(a.source, result, "\n".join(c.text(lang) for c in a.changes), " ".join(a.left))
    console().print(table)
