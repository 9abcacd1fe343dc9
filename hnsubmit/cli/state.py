"""Global options, set once by the root callback and read by the commands."""

from __future__ import annotations

lang: str = "zh"
profile: str | None = None
verbose: bool = False
