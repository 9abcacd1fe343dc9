"""`hnsubmit fix PATH...`: write repaired copies (or repair in place) and show what changed."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from hnsubmit.cli.context import current, resolve_policy
from hnsubmit.cli.interrupt import on_interrupt
from hnsubmit.cli.output import DelayedProgress
from hnsubmit.render.console import console
from hnsubmit.render.fix import render_actions


def fix(
    paths: List[Path] = typer.Argument(..., help="Files or folders to repair."),
    outdir: Path = typer.Option(Path("hnsubmit-fixed"), "-o", "--output-dir", help="Folder for the repaired copies."),
    in_place: bool = typer.Option(False, "--in-place", help="Replace the originals (only when you ask for it)."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Policy TOML file instead of the built-in default."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar."),
    channel: Optional[str] = typer.Option(None, "--channel", help="Make a channel's renditions beside the originals instead (wechat: cover crops, smaller images, MP4 video)."),
) -> None:
    """Repair what can be repaired safely: convert formats, strip GPS and personal metadata, fix extensions."""
    from hnsubmit.checks.fix import FixOptions, run_fix, still_failing
    from hnsubmit.checks.run import CheckOptions, selection_from
    from hnsubmit.errors import ExitCode

    pol = resolve_policy(policy)
    if channel is not None:
        _renditions(paths, channel, CheckOptions(pol, selection_from(pol)), quiet)
    options = FixOptions(CheckOptions(pol, selection_from(pol)), outdir=outdir, in_place=in_place)
    with DelayedProgress("fix", quiet=quiet) as progress:
        bar = _FixerBar(progress)  # video transcoding reports its own progress, with an ETA
        try:
            actions = run_fix(list(paths), options, bar.between_files, fixer_progress=bar)
        finally:
            bar.close()
    render_actions(actions, current().lang, current().verbose)
    raise typer.Exit(int(ExitCode.CHECK_FAILED if still_failing(actions) else ExitCode.OK))


def _renditions(paths: List[Path], channel: str, options, quiet: bool) -> None:
    """`fix --channel wechat FOLDER`: the WeChat renditions under FOLDER/renditions/wechat/, originals untouched."""
    from hnsubmit.checks.fix import still_failing
    from hnsubmit.checks.wechat.make import make_renditions, submission_folders
    from hnsubmit.errors import ExitCode, UsageError

    if channel.strip().lower() not in ("wechat", "微信"):
        raise UsageError("Unknown channel {channel}: renditions are made for wechat", channel=channel)
    folders = submission_folders(paths)
    if not folders:
        raise UsageError("--channel wechat needs a submission folder (one with submission.toml)")
    actions = []
    with DelayedProgress("fix", quiet=quiet) as progress:
        bar = _FixerBar(progress)  # the MP4 rendition reports its own progress, with an ETA
        try:
            for i, folder in enumerate(folders):
                bar.between_files(i, len(folders), str(folder))
                actions += make_renditions(folder, options, bar)
        finally:
            bar.close()
    render_actions(actions, current().lang, current().verbose)
    raise typer.Exit(int(ExitCode.CHECK_FAILED if still_failing(actions) else ExitCode.OK))


def _interrupted(args) -> str:
    from hnsubmit.i18n import _

    if args.get("channel"):
        return _("Interrupted: the originals are untouched; each rendition under renditions/wechat/ was either made whole "
                 "or not at all; run the same `hnsubmit fix --channel wechat` again to continue.")
    if args.get("in_place"):
        return _("Interrupted: each file was either repaired whole or left untouched; run the same `hnsubmit fix` again to continue.")
    return _("Interrupted: the original files are untouched; the copies made so far are in {outdir}; "
             "run the same `hnsubmit fix` again to continue.").format(outdir=args.get("outdir") or "")


def register(app: typer.Typer) -> None:
    app.command("fix")(on_interrupt(_interrupted)(fix))


class _FixerBar:
    """A bar with time remaining for one long fixer step (video transcoding), fed with fractions 0..1.

    It joins the file bar when that one is showing, and closes between files, so two live
    displays never fight over the terminal."""

    def __init__(self, files: DelayedProgress) -> None:
        self.files = files
        self._host = None
        self._own = None
        self._task = None

    def between_files(self, done: int, total: int, current: str = "") -> None:
        self.close()
        self.files(done, total, current)

    def __call__(self, fraction: float, label: str) -> None:
        if not self.files.enabled:
            return
        if self._task is None:
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

            from hnsubmit.i18n import _

            self._host = self.files._progress
            if self._host is None:
                self._own = self._host = Progress(
                    TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn(),
                    console=console(stderr=True), transient=True,
                )
                self._own.start()
            self._task = self._host.add_task(_(label), total=100, current="")
        self._host.update(self._task, completed=round(fraction * 100, 1))
        if fraction >= 1:
            self.close()

    def close(self) -> None:
        if self._task is not None and self._host is not None:
            self._host.remove_task(self._task)
        if self._own is not None:
            self._own.stop()
        self._host = self._own = self._task = None
