"""Horizontal bar charts as inline SVG, drawn on the server: no script, no library, readable by a screen reader
(role="img" with the chart's title as its label; each bar carries its value as text too)."""

from __future__ import annotations

from html import escape
from typing import Sequence

ROW = 26
LABEL_WIDTH = 170
BAR_WIDTH = 360
VALUE_WIDTH = 70


def bar_chart(title: str, rows: Sequence[tuple], marker: float | None = None,
              marker_label: str = "", unit: str = "") -> str:
    """An SVG of one bar per (label, value) or (label, value, css class); `marker` draws a dashed line at that
    value (a required minimum: bars below it are drawn as low)."""
    top = 8
    height = top + ROW * max(len(rows), 1) + 24
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    largest = max([row[1] for row in rows] + [marker or 0, 1])
    scale = BAR_WIDTH / largest
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
    ]
    for i, row in enumerate(rows):
        label, value = row[0], row[1]
        y = top + i * ROW
        shown = label if len(label) <= 12 else label[:11] + "…"
        w = max(value * scale, 0)
        css = row[2] if len(row) > 2 else ("chart-bar-low" if marker is not None and value < marker else "")
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" class="chart-label">{escape(shown)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{w:.1f}" height="{ROW - 8}" '
            f'class="chart-bar {escape(css)}"><title>{escape(label)}: {value:g}{escape(unit)}</title></rect>'
            f'<text x="{LABEL_WIDTH + w + 6:.1f}" y="{y + 17}" class="chart-value">{value:g}{escape(unit)}</text>'
        )
    if marker is not None:
        x = LABEL_WIDTH + marker * scale
        bottom = top + ROW * max(len(rows), 1)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" class="chart-marker"/>'
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" class="chart-value">{escape(marker_label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
