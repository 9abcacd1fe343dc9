"""The weekly supervision table (督查通报) as `report weekly` and the demo both show it: the table of
render/reports.py, whose headings are the report's CSV and Excel files' too."""

from __future__ import annotations


def render_weekly(report: dict, lang: str | None = None) -> None:
    """The week's table (the language is gettext's, already chosen; `lang` is kept for older callers)."""
    from hnsubmit.render.reports import render_table

    render_table(report)
