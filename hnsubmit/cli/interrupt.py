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


def first_ctrl_c_only() -> None:
    """In the process's main thread: the first Ctrl-C raises KeyboardInterrupt as usual, and every later
    one is ignored, so the way out (the one line, closing files, exit 130) cannot be cut by a second
    press — which would otherwise end the process by the signal (-2) with nothing said. The handler
    switches itself off before it raises: there is no window in which a second press could escape."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return  # someone chose otherwise (an ignoring parent, a test runner): leave it

    def first(signum, frame):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, first)


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
