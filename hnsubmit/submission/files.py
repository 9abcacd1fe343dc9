"""SUB rules on the files of a submission: each listed file exists inside the folder and fits its
role (六(五): text as Word, images JPEG, video WMV), images carry captions, and every file in the
folder is listed or ignored on purpose."""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from pathlib import Path, PurePosixPath

from hnsubmit.policy.model import Policy
from hnsubmit.rules.findings import Finding
from hnsubmit.submission.locate import Locator
from hnsubmit.submission.renditions import is_rendition
from hnsubmit.submission.model import MAX_FILES, ROLES, FileEntry, Submission

SUBMISSION_FILE = "submission.toml"
# A folder with more files than this is not one submission; stop listing rather than walk a disk.
MAX_SCANNED = 2000

WORD = ("docx", "docx-encrypted", "doc")
# Which identified formats fit each role.  A guide's body is the office guide itself (YAML/JSON, or
# the Word template of 附件3); forms go with guides as Word and PDF (seed 003).
ROLE_KINDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("news", "body"): WORD,
    ("guide", "body"): ("office-guide",) + WORD,
    ("*", "image"): ("jpeg",),
    ("*", "video"): ("wmv",),
    ("*", "attachment"): WORD + ("pdf", "jpeg"),
    ("*", "form"): WORD + ("pdf",),
}
KIND_NAMES = {
    "docx": ("Word 文档", "a Word document"), "docx-encrypted": None, "doc": None,
    "office-guide": ("办事指南(YAML/JSON)", "an office guide (YAML/JSON)"),
    "jpeg": ("JPEG 图片", "a JPEG image"), "wmv": ("WMV 视频", "a WMV video"), "pdf": ("PDF 文档", "a PDF document"),
}
ROLE_CHOICES = {"zh": "body(正文)、image(图片)、video(视频)、attachment(附件)、form(表格)", "en": "body, image, video, attachment, form"}
_DRIVE = re.compile(r"^[A-Za-z]:")


def expected_kinds(kind: str, role: str) -> tuple[str, ...]:
    return ROLE_KINDS.get((kind, role)) or ROLE_KINDS.get(("*", role), ())


def describe_kinds(kinds: tuple[str, ...]) -> dict[str, str]:
    names = [KIND_NAMES[k] for k in kinds if KIND_NAMES.get(k)]
    return {"zh": "或".join(n[0] for n in names), "en": " or ".join(n[1] for n in names)}


def path_problem(path: str) -> dict[str, str] | None:
    """Why a listed path cannot name a file inside the submission folder, or None."""
    if path.startswith("/") or _DRIVE.match(path):
        return {"zh": "是绝对路径,应写成相对于本文件夹的路径", "en": "it is an absolute path; write it relative to this folder"}
    parts = path.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return {"zh": "含有 ..、. 或空的路径段,应写成本文件夹内的相对路径", "en": "it has a .., . or empty segment; write a plain path inside this folder"}
    return None


def _name_key(path: str) -> str:
    # Two spellings of one name (NFC/NFD, 全角/半角, case) are one file on Windows and macOS.
    return unicodedata.normalize("NFKC", path).casefold()


def check_files(sub: Submission, directory: Path, loc: Locator, policy: Policy) -> list[Finding]:
    from hnsubmit.policy.kinds import allowed_kinds

    judged = allowed_kinds(policy) | set(policy.formats.attachments) | {"office-guide"}
    out: list[Finding] = []
    if len(sub.files) > MAX_FILES:  # its own rule and hint (issue 12.12), not SUB013's date-format one
        out.append(loc.at("SUB016", "files", count=len(sub.files), limit=MAX_FILES))
    seen: dict[str, FileEntry] = {}
    for entry in sub.files:
        key = _name_key(entry.path)
        if key in seen:
            reason = {"zh": f"与 {seen[key].key} 重复", "en": f"it repeats {seen[key].key}"}
            out.append(loc.at("SUB013", f"{entry.key}.path", field={"zh": "文件路径", "en": "file path"}, reason=reason))
            continue
        seen[key] = entry
        out += _check_entry(sub, entry, directory, loc, judged)
    out += _content(sub, loc)
    out += unlisted(sub, directory, loc)
    return out


def _check_entry(sub: Submission, entry: FileEntry, directory: Path, loc: Locator, judged: set[str]) -> list[Finding]:
    from hnsubmit.checks.formats.identify import identify_path

    out: list[Finding] = []
    key = entry.key
    if entry.role is None or not entry.role.strip():
        out.append(loc.at("SUB002", f"{key}.role", field={"zh": "文件用途", "en": "role"}, key=f"{key}.role"))
    elif entry.role not in ROLES:
        reason = {"zh": f"应为 {ROLE_CHOICES['zh']} 之一", "en": f"expected one of {ROLE_CHOICES['en']}"}
        out.append(loc.at("SUB013", f"{key}.role", field={"zh": "文件用途", "en": "role"}, reason=reason))
    if entry.role == "image" and not (entry.caption or "").strip():
        out.append(loc.at("SUB009", key, file=entry.path))
    problem = path_problem(entry.path)
    if problem:
        return out + [loc.at("SUB007", f"{key}.path", file=entry.path, reason=problem)]
    target = directory / entry.path
    if target.is_symlink():
        return out  # FMT007 reports links; they are never followed
    if not target.exists():
        reason = {"zh": "文件夹中没有这个文件", "en": "there is no such file in the folder"}
        return out + [loc.at("SUB007", f"{key}.path", file=entry.path, reason=reason)]
    if not target.is_file():
        reason = {"zh": "这是一个文件夹或特殊文件,不是普通文件", "en": "it is a folder or a special file, not a regular file"}
        return out + [loc.at("SUB007", f"{key}.path", file=entry.path, reason=reason)]
    expected = expected_kinds(sub.kind, entry.role or "")
    if not expected or target.stat().st_size == 0:
        return out
    info = identify_path(target)
    # A format the portal never accepts is FMT001's finding on the file itself; SUB008 is about a
    # format that is fine in general but wrong for this role (a photo listed as the body).
    if info.kind in judged and info.kind not in expected:
        out.append(
            loc.at("SUB008", f"{key}.role", file=entry.path, role=entry.role,
                   detail={"zh": info.detail_zh, "en": info.detail}, expected=describe_kinds(expected))
        )
    return out


def _content(sub: Submission, loc: Locator) -> list[Finding]:
    roles = {e.role for e in sub.files}
    if sub.kind == "guide" and "body" not in roles:
        need = {"zh": "办事指南须列出一个 role = \"body\" 的指南文件", "en": "an office guide needs one file with role = \"body\" (the guide)"}
        return [loc.at("SUB015", "files", need=need)]
    if sub.kind == "news" and not roles & {"body", "image", "video"}:
        need = {"zh": "信息须至少列出一个正文(body)、图片(image)或视频(video)文件", "en": "a news item needs at least one body, image or video file"}
        return [loc.at("SUB015", "files", need=need)]
    return []


def _ignored(rel: str, patterns: list[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    for pattern in patterns:
        p = pattern.replace("\\", "/").strip().rstrip("/")
        if p and (fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) or rel.startswith(p + "/")):
            return True
    return False


def folder_files(directory: Path) -> list[str]:
    """The files of a submission folder as `check` sees them (clutter and .hnsubmitignore skipped),
    relative and with "/", leaving out sub-folders that are submissions of their own."""
    from hnsubmit.checks.walk import iter_entries

    nested: dict[PurePosixPath, bool] = {}
    out: list[str] = []
    for entry in iter_entries([directory]):
        rel = PurePosixPath(entry.path.relative_to(directory).as_posix())
        if str(rel) == SUBMISSION_FILE:
            continue
        inside_other = False
        for parent in list(rel.parents)[:-1]:
            if parent not in nested:
                nested[parent] = (directory / parent / SUBMISSION_FILE).is_file()
            inside_other = inside_other or nested[parent]
        if not inside_other:
            out.append(str(rel))
        if len(out) >= MAX_SCANNED:
            break
    return out


def unlisted(sub: Submission, directory: Path, loc: Locator) -> list[Finding]:
    """SUB010: a file in the folder that is neither listed nor in `ignore` — a forgotten photo."""
    listed = {_name_key(p) for p in [e.path for e in sub.files] + sub._invalid_paths}
    out = []
    for rel in folder_files(directory):
        if _name_key(rel) in listed or _ignored(rel, sub.ignore) or is_rendition(rel):
            continue  # renditions/wechat/ is made by `fix --channel wechat`, judged by the WCH rules
        out.append(loc.at("SUB010", "files", line=loc.lines.get("ignore") or loc.lines.get("files[0]"), file=rel))
    return out
