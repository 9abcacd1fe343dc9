"""Shared command-layer helpers: consoles, progress bars, output files."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Callable

import typer

from hnsubmit.config import is_ci
from hnsubmit.render.console import console
from hnsubmit.render.reporters import REPORTER_BY_NAME

OUTPUT_FORMATS = tuple(REPORTER_BY_NAME)


def parse_output_files(specs: list[str]) -> list[tuple[str, Path]]:
    out = []
    for spec in specs:
        fmt, sep, path = spec.partition("=")
        if not sep or fmt not in OUTPUT_FORMATS or not path:
            from hnsubmit.i18n import _

            raise typer.BadParameter(_("{option} takes FORMAT=PATH with FORMAT one of: {choices}; not {value}").format(
                option="--output-file", choices=", ".join(OUTPUT_FORMATS), value=repr(spec)))
        out.append((fmt, Path(path)))
    return out


def write_text_file(path: Path, text: str) -> None:
    """Write atomically, so a CI artifact is never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class DelayedProgress:
    """A progress bar that appears only when the work takes more than a second, on an interactive stderr."""

    def __init__(self, label: str, quiet: bool = False, delay: float = 1.0) -> None:
        self.label = label
        self.enabled = not quiet and not is_ci() and sys.stderr.isatty()
        self.delay = delay
        self.start = time.monotonic()
        self._progress = None
        self._task = None

    def __call__(self, done: int, total: int, current: str = "") -> None:
        if not self.enabled:
            return
        if self._progress is None:
            if time.monotonic() - self.start < self.delay or done >= total:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                TextColumn("{task.fields[current]}", style="dim"), console=console(stderr=True), transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=total, current="")
        self._progress.update(self._task, completed=done, total=total, current=Path(current).name if current else "")

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> "DelayedProgress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


Progress = Callable[[int, int, str], None]
