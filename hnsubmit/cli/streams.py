"""A console that cannot hold a character shows a replacement, never a UnicodeEncodeError.

A liaison's Windows console or a redirected pipe is often GBK (code page 936); file names, rule
messages, Rich boxes and progress bars may hold characters GBK lacks (emoji, some symbols).  Called
first by both entry points (the console script and `python -m hnsubmit`).
"""

from __future__ import annotations

import sys


def tolerate_unencodable() -> None:
    """On a stream that is not UTF-8, write '?' for what it cannot hold.

    stdout is 'strict' (a crash), stderr 'backslashreplace' (a progress bar showing \\U0001f4f7,
    its columns shifted); both become 'replace'.  A UTF-8 stream holds everything and is left alone,
    as is a deliberate choice such as surrogateescape.
    """
    import codecs

    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # None under pythonw, a test's StringIO…
        try:
            utf = codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name.startswith("utf")
        except LookupError:
            utf = False
        if reconfigure is not None and not utf and getattr(stream, "errors", None) in ("strict", "backslashreplace"):
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a closed or detached stream: nothing to protect
                pass
