"""Read submission.toml, validate it against the model and the SUB rules, locate every finding."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hnsubmit.rules.findings import Finding
from hnsubmit.policy.model import Policy, default_policy
from hnsubmit.submission.fields import check_fields, unknown_keys
from hnsubmit.submission.files import SUBMISSION_FILE, check_files
from hnsubmit.submission.lines import key_lines
from hnsubmit.submission.locate import Locator
from hnsubmit.submission.model import FileEntry, Submission, label
from hnsubmit.tomlcompat import tomllib

# A description of one item is a few kilobytes; anything far larger is not one.
MAX_BYTES = 1024 * 1024
_AT_LINE = re.compile(r"at line (\d+)")

# pydantic error types → what to tell a liaison (the English message of pydantic is too technical).
_REASONS = {
    "string_type": ("应为文本(加引号)", "expected text (in quotes)"),
    "string_too_short": ("不能为空", "must not be empty"),
    "string_too_long": ("超过 {max_length} 个字符", "longer than {max_length} characters"),
    "date_type": ("应为日期,如 2026-11-20", "expected a date, e.g. 2026-11-20"),
    "date_parsing": ("应为日期,如 2026-11-20", "expected a date, e.g. 2026-11-20"),
    "date_from_datetime_parsing": ("应为日期,如 2026-11-20", "expected a date, e.g. 2026-11-20"),
    "date_from_datetime_inexact": ("应为日期,不含时间", "expected a date without a time"),
    "datetime_type": ("应为日期时间,如 2026-11-20T17:30:00+08:00", "expected a date and time, e.g. 2026-11-20T17:30:00+08:00"),
    "datetime_parsing": ("应为日期时间,如 2026-11-20T17:30:00+08:00", "expected a date and time, e.g. 2026-11-20T17:30:00+08:00"),
    "datetime_from_date_parsing": ("应为日期时间,如 2026-11-20T17:30:00+08:00", "expected a date and time, e.g. 2026-11-20T17:30:00+08:00"),
    "list_type": ("应为列表,如 [\"portal\"]", "expected a list, e.g. [\"portal\"]"),
    "model_type": ("应为表(如 [liaison] 一节)", "expected a table (e.g. a [liaison] section)"),
    "model_attributes_type": ("应为表(如 [[files]] 一节)", "expected a table (e.g. a [[files]] section)"),
    "literal_error": ("只能是 news(信息)或 guide(办事指南)", "must be news or guide"),
}


def load_submission(
    directory: str | Path,
    *,
    display: str | None = None,
    policy: Policy | None = None,
    now: dt.datetime | None = None,
) -> tuple[Submission | None, list[Finding]]:
    """Read `directory`/submission.toml.  Returns the submission (None when unreadable) and every
    SUB finding, located by TOML key and line.  Never raises on bad input."""
    directory = Path(directory)
    path = directory / SUBMISSION_FILE
    loc = Locator(display or str(path))
    text, problem = _read(path)
    if problem:
        return None, [loc.at("SUB001", reason=problem)]
    loc.lines = key_lines(text)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _AT_LINE.search(str(exc))
        reason = {"zh": f"TOML 语法错误:{exc}", "en": f"TOML syntax error: {exc}"}
        return None, [loc.at("SUB001", line=int(m.group(1)) if m else None, reason=reason)]
    findings = unknown_keys(raw, loc)
    sub, invalid, problems = _validate(raw, loc)
    findings += problems
    if sub is None:
        return None, findings
    findings += check_fields(sub, loc, invalid, now)
    findings += check_files(sub, directory, loc, policy or default_policy())
    return sub, findings


def _read(path: Path) -> tuple[str, dict[str, str] | None]:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return "", {"zh": "文件夹中没有 submission.toml", "en": "the folder has no submission.toml"}
    except OSError as exc:
        return "", {"zh": f"无法读取:{exc.strerror or exc}", "en": f"it cannot be read: {exc.strerror or exc}"}
    if len(data) > MAX_BYTES:
        return "", {"zh": "文件超过 1 MB,不像报送说明", "en": "it is larger than 1 MB, too large for a submission description"}
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return "", {"zh": "不是 UTF-8 编码(请用“UTF-8”另存)", "en": "it is not UTF-8 (save it as UTF-8)"}


def _field_path(loc_tuple: tuple) -> str:
    out = ""
    for part in loc_tuple:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _problem(err: dict, field_path: str, loc: Locator) -> Finding:
    if err["type"] == "missing":
        return loc.at("SUB002", field_path, field=label(field_path), key=field_path)
    zh, en = _REASONS.get(err["type"], ("取值无效", err.get("msg", "invalid value")))
    ctx = err.get("ctx") or {}
    reason = {"zh": zh.format(**ctx) if ctx else zh, "en": en.format(**ctx) if ctx else en}
    return loc.at("SUB013", field_path, field=label(field_path), reason=reason)


def _drop(raw: dict, loc_tuple: tuple) -> None:
    """Remove the value an error points at (a list goes whole), so the rest can still be judged."""
    obj: Any = raw
    for i, part in enumerate(loc_tuple):
        if not isinstance(obj, dict) or part not in obj:
            return
        if i == len(loc_tuple) - 1 or isinstance(obj[part], list):
            del obj[part]
            return
        obj = obj[part]


def _validate(raw: dict, loc: Locator) -> tuple[Submission | None, set[str], list[Finding]]:
    """Validate the top level, then each [[files]] entry on its own, so one bad entry keeps its index."""
    top = copy.deepcopy({k: v for k, v in raw.items() if k != "files"})
    problems: list[Finding] = []
    invalid: set[str] = set()
    sub = None
    for _ in range(2):
        try:
            sub = Submission.model_validate(top)
            break
        except ValidationError as exc:
            for err in exc.errors():
                # a bad item of a list of strings makes the whole list invalid (and is dropped whole)
                lists = err["loc"] and err["loc"][0] in ("channels", "ignore")
                path = _field_path(err["loc"][:1] if lists else err["loc"])
                if path in invalid:
                    continue
                invalid.add(path)
                problems.append(_problem(err, path, loc))
                _drop(top, err["loc"])
    if sub is None:
        return None, invalid, problems
    files = raw.get("files", [])
    if not isinstance(files, list):
        problems.append(loc.at("SUB013", "files", field=label("files"), reason=dict(zip(("zh", "en"), _REASONS["model_attributes_type"]))))
        return sub, invalid, problems
    for i, item in enumerate(files):
        try:
            entry = FileEntry.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(_problem(err, _field_path(("files", i) + tuple(err["loc"])), loc))
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                sub._invalid_paths.append(item["path"].replace("\\", "/"))
            continue
        entry._index = i
        sub.files.append(entry)
    return sub, invalid, problems
