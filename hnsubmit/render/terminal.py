"""Server-provided text (titles, reasons, file names, ids, who did what) made safe for the terminal.

The client's `safe_text.printable` escapes control characters and bidi overrides, so an ESC sequence
in a title cannot clear or rewrite the reviewer's screen; here Rich's markup is escaped on top, so a
title like "[red]…" is shown as written, and any value (a number, null, a list from a broken server)
becomes a string a table can hold.
"""

from __future__ import annotations

from hnsubmit.client.safe_text import printable


def shown(value: object, limit: int = 500) -> str:
    """For a Rich markup string or table cell: printable, with [brackets] escaped."""
    from rich.markup import escape

    return escape(printable(value, limit))


def plain(value: object, limit: int = 2000) -> str:
    """For text printed with markup=False: printable, line breaks kept (a multi-line reason)."""
    return printable(value, limit, newlines=True)
