"""Which files a run looks at: recursive, symlinks reported but never followed, clutter skipped."""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

IGNORE_FILE = ".hnsubmitignore"
SUBMISSION_FILE = "submission.toml"
# Files that operating systems and office suites leave behind; never part of a submission.
CLUTTER = ("Thumbs.db", "desktop.ini", ".DS_Store", "~$*", ".~lock.*#", IGNORE_FILE)


@dataclass(frozen=True)
class Entry:
    path: Path
    display: str
    is_symlink: bool = False
    not_regular: str = ""  # why it is not a regular file, when it is not


Pattern = tuple[Path, str]  # (folder of the .hnsubmitignore, pattern relative to it)


def _patterns(directory: Path) -> list[Pattern]:
    return _ignore_file_patterns(directory) + _submission_patterns(directory)


def _ignore_file_patterns(directory: Path) -> list[Pattern]:
    try:
        text = (directory / IGNORE_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [
        (directory, ln.strip().rstrip("/"))
        for ln in text.splitlines()
        if ln.strip() and not ln.lstrip().startswith("#")
    ]


def _submission_patterns(directory: Path) -> list[Pattern]:
    """Files a submission.toml leaves out on purpose (its `ignore` list) are not checked either.

    A malformed submission.toml is the SUB rules' business; here it simply ignores nothing.
    """
    from hnsubmit.tomlcompat import tomllib

    path = directory / SUBMISSION_FILE
    try:
        if path.stat().st_size > 1_000_000:
            return []
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    ignore = data.get("ignore", [])
    # The MP4 renditions for WeChat (`fix --channel wechat`) are judged by WCH008 against
    # [channels.wechat], not by the portal's formats (FMT001); JPEG renditions are checked as usual.
    own = [(directory, "renditions/wechat/*.mp4")]
    if not isinstance(ignore, list):
        return own
    return own + [(directory, p.replace("\\", "/").strip().rstrip("/")) for p in ignore if isinstance(p, str) and p.strip()]


def _inherited(root: Path) -> list[Pattern]:
    """Ignore files of the folders above `root`, up to the top of its git checkout (as git does)."""
    out: list[Pattern] = []
    for parent in root.resolve().parents:
        out.extend(_patterns(parent))
        if (parent / ".git").exists():
            break
    return out


def _ignored(path: Path, name: str, patterns: list[Pattern]) -> bool:
    if name.startswith(".") or any(fnmatch.fnmatch(name, p) for p in CLUTTER):
        return True
    resolved = path.parent.resolve() / path.name if patterns else path
    for base, pattern in patterns:
        try:
            rel = resolved.relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
        if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(name, pattern) or rel.startswith(pattern + "/"):
            return True
    return False


def _classify(path: Path, display: str) -> Entry:
    try:
        st = os.lstat(path)
    except OSError as exc:
        return Entry(path, display, not_regular=exc.strerror or str(exc))
    if stat.S_ISLNK(st.st_mode):
        return Entry(path, display, is_symlink=True)
    if stat.S_ISREG(st.st_mode):
        return Entry(path, display)
    what = (
        "a named pipe" if stat.S_ISFIFO(st.st_mode)
        else "a socket" if stat.S_ISSOCK(st.st_mode)
        else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
        else "not a regular file"
    )
    return Entry(path, display, not_regular=what)


def iter_entries(paths: list[Path]) -> Iterator[Entry]:
    """Every candidate file below `paths`, in a stable order.  Missing paths are the caller's check."""
    for root in paths:
        if root.is_symlink() or not root.is_dir():
            yield _classify(root, str(root))
            continue
        yield from _walk_dir(root, root, _inherited(root) + _patterns(root))


def _walk_dir(root: Path, directory: Path, patterns: list[Pattern]) -> Iterator[Entry]:
    try:
        children = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        yield Entry(directory, str(directory), not_regular=exc.strerror or str(exc))
        return
    for child in children:
        path = Path(child.path)
        if _ignored(path, child.name, patterns):
            continue
        if child.is_dir(follow_symlinks=False):
            yield from _walk_dir(root, path, patterns + _patterns(path))
        else:
            yield _classify(path, str(path))
