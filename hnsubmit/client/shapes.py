"""The shapes of the answers the client reads field by field (protocol §2, §4, §6).

A JSON object with a list where a string belongs, or a string where the rows of a report belong,
would otherwise reach the command layer and end as an internal error.  `check` compares an answer
with a small spec — for each key the types it may have (a missing key is allowed: the renderers
have defaults) and, for lists, the spec of their items — and names the first field that differs.
"""

from __future__ import annotations

from typing import Any

NoneType = type(None)
TEXT = (str, NoneType)
NUMBER = (int, NoneType)

WHOAMI_UNIT = {"code": str, "name": TEXT, "kind": TEXT, "columns": ((list, NoneType), str)}
WHOAMI = {"role": str, "token_id": TEXT, "unit": ((dict, NoneType), WHOAMI_UNIT), "server": (dict, NoneType)}
SUMMARY = {
    "submission_id": str, "received_at": TEXT, "manifest_digest": TEXT, "unit": TEXT, "state": str,
    "idempotency_key": TEXT, "title": TEXT, "column": TEXT, "category": TEXT, "reason": TEXT, "updated_at": TEXT,
}
TRANSITION = {"from": TEXT, "to": str, "at": TEXT, "by": TEXT, "reason": TEXT}
DETAIL = {**SUMMARY, "manifest": (dict, NoneType), "history": ((list, NoneType), TRANSITION)}
LISTING = {"items": (list, SUMMARY), "total": NUMBER}
REAL = (int, float, NoneType)
REPORT_ROW = {"unit": TEXT, "name": TEXT, "sent": int, "accepted": NUMBER, "rejected": NUMBER, "withdrawn": NUMBER,
              "pending": NUMBER, "met": (bool, NoneType), "approved": NUMBER, "published": NUMBER,
              "awaiting_approval": NUMBER, "adoption_rate": REAL, "weeks_met": NUMBER, "score": REAL}
REPORT = {"week": TEXT, "quarter": TEXT, "weeks": ((list, NoneType), str), "start": TEXT, "end": TEXT,
          "required_per_week": NUMBER, "scoring": (dict, NoneType), "rows": (list, REPORT_ROW)}
UNIT = {"code": str, "name": TEXT, "kind": TEXT, "active": (bool, NoneType), "columns": ((list, NoneType), str)}
FINDING = {"code": str, "severity": TEXT, "path": TEXT, "args": (dict, NoneType)}
REVIEW_VIEW = {"submission": (dict, DETAIL), "reviewer": TEXT, "proofing": ((list, NoneType), FINDING)}
# column freshness and expiry (issue 15 §3, §4)
COLUMN = {"id": str, "name": (dict, NoneType), "description": TEXT, "kind": TEXT, "max_days": NUMBER}
COLUMN_ROW = {"column": str, "name": (dict, NoneType), "kind": TEXT, "max_days": NUMBER, "warning_days": NUMBER,
              "units": ((list, NoneType), {"code": TEXT, "name": TEXT}), "last": (dict, NoneType),
              "days_since": NUMBER, "days_left": NUMBER, "state": TEXT, "quarter_published": NUMBER,
              "quarter_by_unit": (dict, NoneType)}
COLUMN_REPORT = {"as_of": TEXT, "quarter": TEXT, "totals": (dict, NoneType), "rows": (list, COLUMN_ROW)}
EXPIRED_ITEM = {"submission_id": str, "unit": TEXT, "unit_name": TEXT, "title": TEXT, "column": TEXT, "expires": TEXT,
                "days_expired": NUMBER, "published_at": TEXT}
EXPIRED = {"as_of": TEXT, "items": (list, EXPIRED_ITEM)}


def _types(spec: Any) -> tuple[Any, Any]:
    """(allowed types, spec of the items or of the nested object) from a spec entry."""
    if isinstance(spec, tuple) and len(spec) == 2 and (isinstance(spec[1], dict) or spec[1] is str):
        kinds = spec[0] if isinstance(spec[0], tuple) else (spec[0],)
        return kinds, spec[1]
    return (spec if isinstance(spec, tuple) else (spec,)), None


def mismatch(answer: Any, spec: dict[str, Any], where: str = "") -> str | None:
    """The path of the first field of `answer` that does not fit `spec`, or None."""
    if not isinstance(answer, dict):
        return where or "(answer)"
    for key, entry in spec.items():
        if key not in answer:
            continue
        value = answer[key]
        kinds, inner = _types(entry)
        name = f"{where}.{key}" if where else key
        if isinstance(value, bool) and bool not in kinds:  # bool is an int in Python, not in JSON
            return name
        if not isinstance(value, kinds):
            return name
        if inner is None or value is None:
            continue
        if isinstance(value, dict):
            found = mismatch(value, inner, name)
            if found:
                return found
        elif isinstance(value, list):
            for n, item in enumerate(value):
                if inner is str:
                    if not isinstance(item, str):
                        return f"{name}[{n}]"
                    continue
                found = mismatch(item, inner, f"{name}[{n}]")
                if found:
                    return found
    return None
