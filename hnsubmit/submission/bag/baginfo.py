"""bag-info.txt of a package: written from submission.toml by `pack`, checked against it on arrival,
so the office can see unit, liaison, approver, category and column without unzipping."""

from __future__ import annotations

from typing import Any, Mapping

from hnsubmit import __version__
from hnsubmit.rules.findings import Finding, Location, finding
from hnsubmit.submission.bag.layout import BAG_INFO_FIELDS
from hnsubmit.submission.model import Submission, label


def _value(sub: Submission, field_path: str) -> str:
    obj: Any = sub
    for part in field_path.split("."):
        obj = getattr(obj, part, None)
    return "" if obj is None else str(obj)


def bag_info_for(sub: Submission) -> dict[str, str]:
    """The bag-info.txt fields; Bagging-Date is the approval date so the same input gives the same bytes."""
    at = sub.approved_at_local()
    info = {label_: _value(sub, path) for label_, path in BAG_INFO_FIELDS}
    info.update(
        {
            "Source-Organization": sub.unit_name or sub.unit or "",
            "Contact-Phone": sub.liaison.phone or "",
            "External-Description": sub.title or "",
            "Hnsubmit-Kind": sub.kind,
            "Hnsubmit-Approved-At": at.isoformat(timespec="seconds") if at else "",
            "Hnsubmit-Channels": ", ".join(sub.channels),
            "Bagging-Date": at.date().isoformat() if at else "1980-01-01",
            "Bag-Software-Agent": f"hnsubmit {__version__}",
        }
    )
    return {k: v for k, v in info.items() if v}


def _first(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def check_bag_info(info: Mapping[str, Any], sub: Submission | None, display: str) -> list[Finding]:
    """PKG010: a field hnsubmit needs is missing from bag-info.txt, or disagrees with submission.toml."""
    out: list[Finding] = []
    where = Location(part="bag-info.txt")
    for name, path in BAG_INFO_FIELDS:
        have = _first(info.get(name, ""))
        if not have:
            reason = {"zh": "缺少该字段", "en": "the field is missing"}
            out.append(finding("PKG010", display, where, field=name, meaning=label(path), reason=reason))
        elif sub is not None:
            want = _value(sub, path)
            if want and have != want:
                reason = {"zh": f"写的是“{have}”,submission.toml 中是“{want}”", "en": f"it says '{have}' but submission.toml says '{want}'"}
                out.append(finding("PKG010", display, where, field=name, meaning=label(path), reason=reason))
    return out
