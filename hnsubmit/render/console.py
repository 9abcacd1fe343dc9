"""The Rich console every renderer draws on (no highlighting, no soft wrap: output stays as written)."""

from __future__ import annotations


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)
