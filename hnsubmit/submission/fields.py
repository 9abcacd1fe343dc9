"""SUB rules on the fields of submission.toml: required fields, approval (五(二)), category (三),
channels, unit code and phone.  Also puts category and channels into their canonical codes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hnsubmit.rules.findings import Finding
from hnsubmit.submission import categories
from hnsubmit.submission.locate import Locator
from hnsubmit.submission.model import CHINA, Submission, known_keys, label
from hnsubmit.submission.phone import phone_problem
from hnsubmit.submission.unitcode import unit_code_problem

REQUIRED = ("title", "unit", "column", "category", "liaison.name", "liaison.phone")
APPROVAL = ("approval.approver", "approval.approved_at")
# A liaison's clock and the approver's may disagree by a few minutes; more than that is a wrong date.
CLOCK_SKEW = dt.timedelta(minutes=10)

# The exchange server's column ids (docs/protocol.md §2); which ids exist is the server's to say.
COLUMN_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
CHANNEL_ALIASES = {
    "portal": "portal", "门户": "portal", "门户网站": "portal", "网站": "portal",
    "wechat": "wechat", "微信": "wechat", "政务微信": "wechat", "海南政务": "wechat",
}
CHANNEL_CHOICES = {"zh": "portal(门户网站)、wechat(“海南政务”微信)", "en": "portal (the portal), wechat (the 海南政务 WeChat account)"}


def _value(sub: Submission, field_path: str) -> Any:
    obj: Any = sub
    for part in field_path.split("."):
        obj = getattr(obj, part, None)
    return obj


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def unknown_keys(raw: dict, loc: Locator) -> list[Finding]:
    """SUB014: a key the model does not know, usually a typo that hides a required field."""
    known = known_keys()
    out: list[Finding] = []

    def report(table: dict, allowed: set[str], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                path = f"{prefix}.{key}" if prefix else key
                out.append(loc.at("SUB014", path, key=path))

    report(raw, known[""], "")
    for name in ("liaison", "approval"):
        if isinstance(raw.get(name), dict):
            report(raw[name], known[name], name)
    if isinstance(raw.get("files"), list):
        for i, item in enumerate(raw["files"]):
            if isinstance(item, dict):
                report(item, known["files"], f"files[{i}]")
    return out


def check_fields(sub: Submission, loc: Locator, invalid: set[str], now: dt.datetime | None = None) -> list[Finding]:
    out: list[Finding] = []
    for path in REQUIRED:
        if path not in invalid and _blank(_value(sub, path)):
            out.append(loc.at("SUB002", path, field=label(path), key=path))
    for path in APPROVAL:
        if path not in invalid and _blank(_value(sub, path)):
            out.append(loc.at("SUB003", path, field=label(path), key=path))
    out += _approval_time(sub, loc, now or dt.datetime.now(CHINA))
    out += _attribution(sub, loc, invalid)
    out += _expiry(sub, loc, invalid, now or dt.datetime.now(CHINA))
    if not _blank(sub.category):
        found = categories.lookup(sub.category)
        if found is None:
            out.append(loc.at("SUB005", "category", value=sub.category, choices=categories.choices()))
        else:
            sub.category = found.code
    if not _blank(sub.column) and "column" not in invalid and not COLUMN_ID.match(sub.column):
        reason = {"zh": "应写栏目代码(小写字母、数字和连字符),如 county-news(县区动态)、guides(办事指南)",
                  "en": "write the column id (lower-case letters, digits and hyphens), e.g. county-news or guides"}
        out.append(loc.at("SUB013", "column", field=label("column"), reason=reason))
    out += _channels(sub, loc, invalid)
    out += _cover(sub, loc, invalid)
    if not _blank(sub.unit) and "unit" not in invalid:
        reason = unit_code_problem(sub.unit)
        if reason:
            out.append(loc.at("SUB011", "unit", value=sub.unit, reason=reason))
    if not _blank(sub.liaison.phone) and "liaison.phone" not in invalid:
        reason = phone_problem(sub.liaison.phone)
        if reason:
            out.append(loc.at("SUB012", "liaison.phone", value=sub.liaison.phone, reason=reason))
    return out


def _approval_time(sub: Submission, loc: Locator, now: dt.datetime) -> list[Finding]:
    at = sub.approved_at_local()
    if at is None:
        return []
    shown = at.strftime("%Y-%m-%d %H:%M")
    if at > now.astimezone(CHINA) + CLOCK_SKEW:
        reason = {"zh": "审核时间晚于当前时间", "en": "it is later than now"}
        return [loc.at("SUB004", "approval.approved_at", value=shown, reason=reason)]
    if sub.written is not None and at.date() < sub.written:
        reason = {"zh": f"早于成稿日期 {sub.written.isoformat()}", "en": f"it is before the date written, {sub.written.isoformat()}"}
        return [loc.at("SUB004", "approval.approved_at", value=shown, reason=reason)]
    return []


# 001 第十七条: 公开的信息应当…标注来源、发布时间 (the 2015 inspection counted an undated item as not updated)
ATTRIBUTION = ("source", "written")
WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+[^\s]*$")


def _attribution(sub: Submission, loc: Locator, invalid: set[str]) -> list[Finding]:
    """SUB018: a news item without its source or date written; SUB019: a reprint without its original."""
    out: list[Finding] = []
    if sub.kind == "news":
        for path in ATTRIBUTION:
            if path not in invalid and _blank(_value(sub, path)):
                out.append(loc.at("SUB018", path, field=label(path), key=path))
    if sub.reprint and "reprint" not in invalid:
        if _blank(sub.source) and "source" not in invalid:
            reason = {"zh": "未写原发单位(source)", "en": "the original publisher (source) is not named"}
            out.append(loc.at("SUB019", "reprint", reason=reason))
        if "source_url" not in invalid:
            url = (sub.source_url or "").strip()
            if not url:
                reason = {"zh": "未写原文地址(source_url)", "en": "the address of the original (source_url) is not given"}
                out.append(loc.at("SUB019", "reprint", reason=reason))
            elif not WEB_ADDRESS.match(url):
                reason = {"zh": f"原文地址“{url[:80]}”不是以 http:// 或 https:// 开头的网址",
                          "en": f"the address of the original, '{url[:80]}', is not an http:// or https:// address"}
                out.append(loc.at("SUB019", "source_url", reason=reason))
    return out


def _expiry(sub: Submission, loc: Locator, invalid: set[str], now: dt.datetime) -> list[Finding]:
    """SUB020: an expiry date that is past already, or not after the date written."""
    if sub.expires is None or "expires" in invalid:
        return []
    shown = sub.expires.isoformat()
    if sub.expires < now.astimezone(CHINA).date():
        reason = {"zh": "已经过了失效日期,过期的信息不应再报送", "en": "it is past already; an expired item should not be sent"}
        return [loc.at("SUB020", "expires", value=shown, reason=reason)]
    if sub.written is not None and sub.expires <= sub.written:
        reason = {"zh": f"不晚于成稿日期 {sub.written.isoformat()}", "en": f"it is not after the date written, {sub.written.isoformat()}"}
        return [loc.at("SUB020", "expires", value=shown, reason=reason)]
    return []


def _channels(sub: Submission, loc: Locator, invalid: set[str]) -> list[Finding]:
    if "channels" in invalid:
        return []
    if not sub.channels:
        return [loc.at("SUB006", "channels", value="[]", choices=CHANNEL_CHOICES)]
    out, canonical = [], []
    for value in sub.channels:
        code = CHANNEL_ALIASES.get(value.strip().lower())
        if code is None:
            out.append(loc.at("SUB006", "channels", value=value, choices=CHANNEL_CHOICES))
        elif code not in canonical:
            canonical.append(code)
    if not out:
        sub.channels = canonical
    return out


def _cover(sub: Submission, loc: Locator, invalid: set[str]) -> list[Finding]:
    """SUB013 for a cover that is not one of the listed images, or a focus point that is not [x, y] in 0..1."""
    out: list[Finding] = []
    if not _blank(sub.cover) and "cover" not in invalid:
        sub.cover = sub.cover.replace("\\", "/")
        images = {e.path for e in sub.files if e.role == "image"}
        if sub.cover not in images:
            reason = {"zh": "应为 [[files]] 中列出的一张图片(role = \"image\")的路径",
                      "en": "write the path of an image listed in [[files]] (role = \"image\")"}
            out.append(loc.at("SUB013", "cover", field=label("cover"), reason=reason))
    focus = sub.cover_focus
    if focus is not None and "cover_focus" not in invalid:
        numbers = [v for v in focus if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if len(focus) != 2 or len(numbers) != 2 or not all(0 <= v <= 1 for v in numbers):
            reason = {"zh": "应为两个 0 到 1 之间的数 [横向, 纵向](从左上角量起的比例),如 [0.5, 0.3]",
                      "en": "write two numbers from 0 to 1, [across, down] from the top left, e.g. [0.5, 0.3]"}
            out.append(loc.at("SUB013", "cover_focus", field=label("cover_focus"), reason=reason))
            sub.cover_focus = None
    return out
