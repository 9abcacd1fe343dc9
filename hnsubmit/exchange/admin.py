"""Unit administration shared by the admin endpoints and `hnsubmit admin unit`: add, disable, enable, columns."""

from __future__ import annotations

import re

from hnsubmit.exchange.context import Exchange
from hnsubmit.exchange.problems import ExchangeError, not_found
from hnsubmit.exchange.store.storage import DuplicateKey, Unit

_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")


def add_unit(ex: Exchange, code: str, name: str, kind: str, columns: tuple[str, ...]) -> Unit:
    if not _CODE.match(code):
        raise ExchangeError(422, "invalid_request", f"单位代码无效:{code}", f"Not a valid unit code: {code}")
    if kind not in ("county", "department"):
        raise ExchangeError(422, "invalid_request", "单位类型须为 county 或 department。", "kind must be county or department.")
    _known_columns(ex, columns)
    unit = Unit(code, name.strip(), kind, True, tuple(dict.fromkeys(columns)))
    try:
        ex.storage.add_unit(unit)
    except DuplicateKey:
        raise ExchangeError(409, "conflict", f"单位 {code} 已存在。", f"The unit {code} exists.") from None
    return unit


def _known_columns(ex: Exchange, columns: tuple[str, ...]) -> None:
    known = [c.id for c in ex.storage.list_columns()]
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise ExchangeError(422, "unknown_column", f"没有这些栏目:{'、'.join(unknown)}", f"No such columns: {', '.join(unknown)}",
                            details={"columns": known})


def set_columns(ex: Exchange, code: str, columns: tuple[str, ...]) -> Unit:
    """The columns a unit feeds (its row of the 分工表), replaced as a whole."""
    _known_columns(ex, columns)
    unit = ex.storage.set_unit_columns(code, tuple(dict.fromkeys(columns)))
    if unit is None:
        raise not_found("单位", "unit")
    return unit


def set_active(ex: Exchange, code: str, active: bool) -> Unit:
    unit = ex.storage.set_unit_active(code, active)
    if unit is None:
        raise not_found("单位", "unit")
    return unit
