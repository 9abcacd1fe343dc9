"""Where each key of a TOML file stands, so a finding can say "line 12" (tomllib keeps no positions).

A line scanner, not a parser: it only has to agree with tomllib on files tomllib accepted.  It
follows table headers, arrays of tables, dotted keys and inline tables, and skips the inside of
multi-line strings and arrays.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=\s*(.*)$""")
_INLINE_KEY = re.compile(r"""(?:^|[{,])\s*([A-Za-z0-9_-]+|"[^"]*")\s*=""")


def _key_parts(raw: str) -> list[str]:
    return [p.strip().strip("\"'") for p in re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", raw)]


def _open_brackets(value: str) -> int:
    """Net count of [ and { in a value, ignoring those inside strings."""
    depth = 0
    quote = ""
    for ch in value:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
    return depth


def key_lines(text: str) -> dict[str, int]:
    """Map "title", "liaison.phone", "files[0].path", "files[0]" … to 1-based line numbers."""
    lines: dict[str, int] = {}
    prefix = ""
    counters: dict[str, int] = {}
    skip_until = ""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        if skip_until:
            if skip_until in line:
                skip_until = ""
            continue
        if depth > 0:
            depth += _open_brackets(line)
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        m = _HEADER.match(line)
        if m and not _KEY.match(line):
            name = ".".join(_key_parts(m.group(2)))
            if m.group(1) == "[[":
                index = counters.get(name, -1) + 1
                counters[name] = index
                prefix = f"{name}[{index}]"
            else:
                prefix = name
            lines.setdefault(prefix, number)
            continue
        m = _KEY.match(line)
        if not m:
            continue
        key = ".".join(_key_parts(m.group(1)))
        full = f"{prefix}.{key}" if prefix else key
        lines.setdefault(full, number)
        value = m.group(2).strip()
        if value.startswith("{"):
            for inner in _INLINE_KEY.findall(value):
                lines.setdefault(f"{full}.{inner.strip(chr(34))}", number)
        for fence in ('"""', "'''"):
            if value.startswith(fence) and value.count(fence) == 1:
                skip_until = fence
        if not skip_until:
            depth = max(0, _open_brackets(value))
    return lines


def line_of(lines: dict[str, int], field_path: str) -> int | None:
    """The line of `field_path`, or of its nearest enclosing key or table."""
    path = field_path
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None
