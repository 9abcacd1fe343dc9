"""What `push` and `outbox retry` show: transfer bars while sending, then a table of results."""

from __future__ import annotations

import sys
from pathlib import Path

from hnsubmit.client.push import PushEvents
from hnsubmit.config import is_ci
from hnsubmit.render.console import console
from hnsubmit.render.terminal import shown as safe


def byte_columns() -> tuple:
    """Rich's size and speed columns, with Rich's word "bytes" (sizes under 1 kB) in the user's language."""
    import re

    from rich.progress import DownloadColumn, TransferSpeedColumn
    from rich.text import Text

    from hnsubmit.i18n import _

    def said(text: Text) -> Text:
        return Text(re.sub(r"\bbytes?\b", _("bytes"), text.plain), style=text.style)

    class Size(DownloadColumn):
        def render(self, task) -> Text:
            return said(super().render(task))

    class Speed(TransferSpeedColumn):
        def render(self, task) -> Text:
            return said(super().render(task))

    return Size(), Speed()


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
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            from hnsubmit.i18n import _

            self.progress = Progress(
                TextColumn("{task.description}"), BarColumn(), *byte_columns(), TimeRemainingColumn(),
                console=console(stderr=True), transient=True,
            )
            self.progress.start()
            self.overall = self.progress.add_task(_("overall"), total=0)
        return self

    def __exit__(self, *exc) -> None:
        if self.progress is not None:
            self.progress.stop()

    def events(self):
        if not self.enabled:
            return PushEvents()
        return PushEvents(item_started=self.item_started, blob_started=self.blob_started, blob_progress=self.blob_progress,
                          item_finished=self.item_finished)

    def item_started(self, item, missing_bytes: int) -> None:
        task = self.progress.tasks[self.overall]
        self.progress.update(self.overall, total=(task.total or 0) + missing_bytes)

    def blob_started(self, item, digest: str, path: str, size: int) -> None:
        key = (item.id, digest)
        self.tasks[key] = self.progress.add_task(safe(f"{item.name}: {Path(path).name}"), total=size)
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
            shown = f"[green]{safe(receipt, 40)}[/green]" + ((" (" + _("already received") + ")") if r.replayed else "")
        elif r.state == "busy":
            shown = "[yellow]" + _("being sent by another hnsubmit process") + "[/yellow]"
        else:
            shown = "[red]" + _("failed, kept in the outbox") + "[/red]: " + (safe(r.error.render(_), 1000) if r.error else "")
        table.add_row(safe(f"{r.item_id} {r.name}"), shown, f"{r.bytes_sent:,}", f"{r.blobs_sent}/{r.blobs_total}")
    console().print(table)
    hints = dict.fromkeys(r.error.render_hint(_) for r in results if r.error is not None)
    for hint in hints:
        if hint:
            console().print("  → " + hint, markup=False)
