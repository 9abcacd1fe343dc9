"""Ctrl-C in a long command: one line saying what was kept and which command continues, then exit 130.

A command is wrapped with `on_interrupt(message)`; deeper code that knows more (the outbox holds the
items now) raises `Interrupted` with its own line instead.
"""

from __future__ import annotations

import functools
from typing import Any, Callable


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, with the one line to show (already in the user's language); still a KeyboardInterrupt."""

    def __init__(self, line: str) -> None:
        super().__init__(line)
        self.line = line


def on_interrupt(message: Callable[[dict[str, Any]], str]):
    """Wrap a command: on Ctrl-C print `message(arguments)` (or the Interrupted's own line) and exit 130."""

    def wrap(func):
        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any):
            import typer

            from hnsubmit.errors import ExitCode

            try:
                return func(*args, **kwargs)
            except Interrupted as exc:
                line = exc.line
            except KeyboardInterrupt:
                line = message(kwargs)
            typer.echo(line, err=True)
            raise typer.Exit(int(ExitCode.INTERRUPTED))

        return command

    return wrap
