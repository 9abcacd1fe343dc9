"""The table `fix` prints: what was written, what changed, what is still found, then one totals line.

Paths are shown relative to where the user stands and shortened in the middle (the file name at the
end is what tells files apart), so the table reads at 80 columns.
"""

from __future__ import annotations

import os

from hnsubmit.render.console import console

ELLIPSIS = "…"


def shown_path(path: str | os.PathLike | None, cwd: str | None = None) -> str:
    """`path` relative to the working directory when that is shorter, else as it is."""
    from hnsubmit.render.view import printable

    if not path:
        return ""
    text = str(path)
    try:
        rel = os.path.relpath(text, cwd or os.getcwd())
    except ValueError:  # another drive (Windows)
        rel = text
    # a name that is not UTF-8 (GBK from an old share) is shown escaped, never written raw
    return printable(rel if len(rel) < len(text) or not os.path.isabs(text) else text)


def shorten_middle(text: str, width: int) -> str:
    """`text` in at most `width` terminal cells, cut in the middle; the end (the file name) keeps more."""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    room = max(width - 1, 2)
    tail_room = room - room * 2 // 5
    head, tail = "", ""
    for ch in reversed(text):
        if cell_len(ch + tail) > tail_room:
            break
        tail = ch + tail
    for ch in text:
        if cell_len(head + ch) > room - cell_len(tail):
            break
        head += ch
    return head + ELLIPSIS + tail


def render_actions(actions, lang: str, verbose: bool = False, width: int | None = None) -> None:
    from rich.table import Table

    from hnsubmit.i18n import _

    out = console()
    budget = max(16, ((width or out.width) - 40) // 2)  # cells for one path: two of them and the changes fit 80
    table = Table(title=_("Fix results"), show_lines=False)
    table.add_column(_("file"), no_wrap=True)  # already shortened to the budget
    table.add_column(_("result"), no_wrap=True)
    table.add_column(_("changes"), overflow="fold")
    table.add_column(_("still found"), overflow="fold")
    written = failed = manual = clean = 0
    for a in actions:
        source = shorten_middle(shown_path(a.source), budget)
        if a.error:
            failed += 1
            result = "[red]" + _("failed") + "[/red]"
        elif a.fixed:
            written += 1
            result = "[green]" + _("written") + "[/green]\n→ " + shorten_middle(shown_path(a.output), budget - 2)
        elif a.left:
            manual += 1
            result = "[yellow]" + _("not fixable automatically") + "[/yellow]"
        else:
            clean += 1
            if not verbose:
                continue
            result = _("nothing to fix")
        changes = [a.error] if a.error else [c.text(lang) for c in a.changes]  # why it failed goes where the room is
        table.add_row(source, result, "\n".join(changes), " ".join(a.left))
    if table.row_count:
        out.print(table)
    out.print(_("{written} written, {manual} to fix by hand, {failed} failed, {clean} needed nothing ({total} files).").format(
        written=written, manual=manual, failed=failed, clean=clean, total=len(actions)), markup=False)
