"""Turn what a reader found (keys as written, raw values) into the model, with findings located in the source.

Readers hand over a plain mapping plus a Locator; this module resolves labels to fields (GDE019),
coerces each value by its kind (GDE003 unknown code, GDE018 invalid value), notes placeholders and
what was present, and keeps where every value came from, so the cross-field rules can point at the
right line, cell or YAML path.  One bad value never hides the rest of the guide.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping, Protocol

from pydantic import BaseModel, ValidationError

from hnsubmit.rules.findings import Finding, Location, finding
from hnsubmit.guide import cells
from hnsubmit.guide import normalise as n
from hnsubmit.guide.enums import codes
from hnsubmit.guide.model import SUBMODELS, OfficeGuide, english, field_kind, label
from hnsubmit.guide.model import aliases as field_aliases

MAX_ITEMS = 500  # items in any one list: a guide with more is a broken export, not a guide
MAX_TEXT = 20_000  # characters in any one value
RawPath = tuple  # keys as written and list indices, e.g. ("申请材料", 2, "材料名称")


class Locator(Protocol):
    def at(self, raw_path: RawPath) -> Location:
        """Where the value at `raw_path` was written."""

    def missing(self, parent: RawPath, name: str) -> Location:
        """Where the element `name` of the record at `parent` would have to be written."""


@dataclass
class Meta:
    """What the builder learned besides the values: presence, placeholders, invalid values, locations."""

    locator: Locator
    present: set[str] = field(default_factory=set)
    placeholders: dict[str, str] = field(default_factory=dict)
    invalid: set[str] = field(default_factory=set)
    where: dict[str, Location] = field(default_factory=dict)
    raw_of: dict[str, RawPath] = field(default_factory=lambda: {"": ()})
    pinned: dict[str, Location] = field(default_factory=dict)  # records parsed out of one cell

    def seen(self, path: str) -> bool:
        """Written at all (valid, invalid or placeholder): such a value is never 'missing'."""
        return path in self.present or path in self.invalid

    def locate(self, path: str) -> Location:
        probe = path
        while probe:
            if probe in self.where:
                return self.where[probe]
            probe = _parent(probe)
        return self.locator.missing((), path)

    def locate_missing(self, path: str) -> Location:
        if path in self.where:  # written, but empty
            return self.where[path]
        parent = _parent(path)
        if parent in self.pinned:
            return self.pinned[parent]
        name = path.rsplit(".", 1)[-1]
        return self.locator.missing(self.raw_of.get(parent, ()), name)


# A batch gives the same values to the same fields row after row (hours, enums, counts, conditions): a
# field's coerced value is kept by (model, field, type, value) when coercing it noted nothing else — no
# finding, placeholder, invalid mark or location — and handed out again (lists as fresh copies).  Kinds
# whose handler only reads the value; days (which also fill a unit) and records are always coerced.
_MEMO_KINDS = frozenset({"text", "file", "code", "uscc", "phone", "url", "count", "bool", "date", "enum",
                         "enums", "files", "items"})
_MEMO_TYPES = frozenset({str, int, float, bool, dt.datetime, dt.date, dt.time})
_FIELD_MEMO: dict[tuple, Any] = {}
_MISS = object()
MEMO_MAX = 10_000  # entries; with MEMO_TEXT, a few MB at most in a long-lived process (the server)
MEMO_TEXT = 1_000  # characters: longer texts are coerced each time
MEMO_HITS = [0]  # values handed out again (for the tests)


def _parent(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path.rsplit(".", 1)[0] if "." in path else ""


def _join(parent: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{parent}[{name}]"
    return f"{parent}.{name}" if parent else name


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    """A label as typed in a header cell: full-width brackets, '*' marks and '(必填)' notes removed."""
    text = unicodedata.normalize("NFKC", str(text)).strip().rstrip(":").lower()
    for mark in ("*", "(必填)", "(选填)", "(可选)", "(必填项)", "★"):
        text = text.replace(mark, "")
    return "".join(text.split())


@lru_cache(maxsize=None)
def key_index(model: type[BaseModel]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in model.model_fields:
        for key in (name, label(model, name), english(model, name), *field_aliases(model, name)):
            out.setdefault(_key(key), name)
    return out


_RESOLVED: dict[tuple, str | None] = {}


def resolve_key(model: type[BaseModel], key: object) -> str | None:
    if key.__class__ is str:  # the usual key: a header or a YAML key, asked for every value of every guide
        got = _RESOLVED.get((model, key), _MISS)
        if got is _MISS:
            if len(_RESOLVED) >= MEMO_MAX:
                _RESOLVED.clear()
            got = _RESOLVED[(model, key)] = key_index(model).get(_key(key))
        return got
    return key_index(model).get(_key(str(key)))


_FIELDS: dict[type, frozenset[str]] = {}


def _fields(model: type[BaseModel]) -> frozenset[str]:
    """model.model_fields' names, without pydantic's property on every value"""
    names = _FIELDS.get(model)
    if names is None:
        names = _FIELDS[model] = frozenset(model.model_fields)
    return names


def suggest(model: type[BaseModel], key: object) -> str | None:
    names = [label(model, f) for f in model.model_fields] + list(model.model_fields)
    close = difflib.get_close_matches(str(key), names, n=1, cutoff=0.5)
    return close[0] if close else None


def describe(path: str) -> dict[str, str]:
    """A field path as a person reads it: "申请材料第3项·材料类型" / "materials[2].kind"."""
    model: type[BaseModel] = OfficeGuide
    zh: list[str] = []
    for part in path.split("."):
        name, _, rest = part.partition("[")
        if name not in model.model_fields:
            zh.append(part)
            continue
        text = label(model, name)
        if rest:
            text += f"第{int(rest.rstrip(']')) + 1}项"
        zh.append(text)
        model = SUBMODELS.get(name, model)
    return {"zh": "·".join(zh), "en": path}


def shown(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


_ZH_PYDANTIC = {
    "string_too_long": ("超过 {max_length} 个字", "longer than {max_length} characters"),
    "less_than_equal": ("不能大于 {le}", "must be at most {le}"),
    "greater_than_equal": ("不能小于 {ge}", "must be at least {ge}"),
    "too_long": ("条目过多", "too many items"),
}


def _reason(err: Mapping[str, Any]) -> dict[str, str]:
    ctx = err.get("ctx") or {}
    if err.get("type") in _ZH_PYDANTIC:
        zh, en = _ZH_PYDANTIC[err["type"]]
        return {"zh": zh.format(**ctx), "en": en.format(**ctx)}
    return {"zh": str(err.get("msg", "")), "en": str(err.get("msg", ""))}


@lru_cache(maxsize=None)
def _enum_type(model: type[BaseModel], name: str) -> type:
    ann = model.model_fields[name].annotation
    # Optional[Annotated[Enum, …]] or Optional[list[Annotated[Enum, …]]]: find the enum class.
    stack = [ann]
    while stack:
        t = stack.pop()
        if isinstance(t, type) and issubclass(t, codes.CodedEnum):
            return t
        stack.extend(getattr(t, "__args__", ()) or ())
        origin = getattr(t, "__origin__", None)
        if origin is not None and isinstance(origin, type) and issubclass(origin, codes.CodedEnum):
            return origin
    raise TypeError(f"{name} is not an enum field")


def R(zh: str, en: str) -> dict[str, str]:  # noqa: N802 - a bilingual reason
    return {"zh": zh, "en": en}


class Builder:
    """Builds one guide; collects findings for `source` (the file as findings name it)."""

    def __init__(self, source: str, locator: Locator) -> None:
        self.source = source
        self.meta = Meta(locator)
        self.findings: list[Finding] = []

    # -- entry -------------------------------------------------------------------------------
    def build(self, raw: Mapping[str, Any]) -> OfficeGuide:
        values = self._record(OfficeGuide, raw, "", ())
        return self._instance(OfficeGuide, values, "")  # type: ignore[return-value]

    # -- findings ----------------------------------------------------------------------------
    def report(self, code: str, path: str, location: Location | None = None, **args: Any) -> None:
        loc = location or self.meta.locate(path)
        self.findings.append(finding(code, self.source, loc, **args))

    def _invalid(self, path: str, value: Any, reason: dict[str, str]) -> None:
        self.meta.invalid.add(path)
        self.report("GDE018", path, field=describe(path), value=shown(value), reason=reason)

    # -- records -----------------------------------------------------------------------------
    def _record(self, model: type[BaseModel], raw: Mapping[str, Any], path: str, rawp: RawPath,
                pin: Location | None = None) -> dict[str, Any]:
        self.meta.raw_of[path] = rawp
        if pin is not None:
            self.meta.pinned[path] = pin
        out: dict[str, Any] = {}
        given: dict[str, Any] = {}
        units: dict[str, str] = {}
        for key, value in raw.items():
            where = pin or self.meta.locator.at(rawp + (key,))
            name = resolve_key(model, key)
            if name is None:
                close = suggest(model, key)
                hint = R(f",是否应为「{close}」?", f"; did you mean “{close}”?") if close else R("", "")
                self.findings.append(finding("GDE019", self.source, where, key=shown(key), suggestion=hint))
                continue
            fpath = _join(path, name)
            if name in given:
                self.meta.where.setdefault(fpath, where)
                self._invalid(fpath, key, R("与前面的同名要素重复", "the element is given twice"))
                continue
            given[name] = value
            self.meta.where[fpath] = where
            coerced = self._field(model, name, value, fpath, rawp + (key,), pin, units)
            if coerced is not None:
                out[name] = coerced
        for unit_field, unit in units.items():  # "20个工作日" also fills the unit, unless given separately
            if unit_field not in given:
                out[unit_field] = codes.TimeUnit(unit)
                upath = _join(path, unit_field)
                self.meta.present.add(upath)
                self.meta.where[upath] = self.meta.where[_join(path, unit_field.removesuffix("_unit"))]
        return out

    def _instance(self, model: type[BaseModel], values: dict[str, Any], path: str) -> BaseModel:
        for _ in range(3):  # each pass drops the values pydantic refuses; the third always succeeds
            try:
                return model.model_validate(values)
            except ValidationError as exc:
                for err in exc.errors():
                    name = err["loc"][0] if err["loc"] else None
                    if name in values:
                        fpath = _join(path, str(name))
                        self._invalid(fpath, values.pop(name), _reason(err))
        return model()

    # -- one value ---------------------------------------------------------------------------
    def _field(self, model, name, value, path, rawp, pin, units) -> Any:
        if value is None or value == [] or value == {} or (isinstance(value, str) and not n.clean_text(value)):
            return None
        self.meta.present.add(path)
        if isinstance(value, str) and len(value) > MAX_TEXT:
            self._invalid(path, value, R(f"超过 {MAX_TEXT} 个字", f"longer than {MAX_TEXT} characters"))
            return None
        kind = field_kind(model, name)
        if kind not in _MEMO_KINDS or value.__class__ not in _MEMO_TYPES or (
                value.__class__ is str and len(value) > MEMO_TEXT):
            return getattr(self, f"_k_{kind}")(model, name, value, path, rawp, pin, units)
        key = (model, name, value.__class__, value)
        got = _FIELD_MEMO.get(key, _MISS)
        if got is not _MISS:
            MEMO_HITS[0] += 1
            return list(got) if got.__class__ is tuple else got
        handler = getattr(self, f"_k_{kind}")
        meta = self.meta
        before = (len(self.findings), len(meta.placeholders), len(meta.invalid), len(meta.where))
        got = handler(model, name, value, path, rawp, pin, units)
        if before == (len(self.findings), len(meta.placeholders), len(meta.invalid), len(meta.where)):
            # nothing noted but the value: the same value of the same field gives it again
            if len(_FIELD_MEMO) >= MEMO_MAX:
                _FIELD_MEMO.clear()
            _FIELD_MEMO[key] = tuple(got) if got.__class__ is list else got
        return got

    def _scalar_text(self, value: Any, path: str) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            if isinstance(value, (list, dict)):
                self._invalid(path, value, R("应为一段文字", "should be a single text"))
                return None
            value = cells.scalar(value)  # dates and the like read from a spreadsheet
        return n.clean_text(str(value))

    def _placeholder(self, path: str, text: str) -> bool:
        if n.is_placeholder(text):
            self.meta.placeholders[path] = text
            return True
        return False

    def _k_text(self, model, name, value, path, *rest) -> Any:
        text = self._scalar_text(value, path)
        if text is not None:
            self._placeholder(path, text)  # kept: the text is the author's; rules judge it
        return text

    def _k_file(self, model, name, value, path, *rest) -> Any:
        return self._scalar_text(value, path)

    def _typed_text(self, value, path, norm) -> Any:
        text = self._scalar_text(value, path)
        if text is None or self._placeholder(path, text):
            return None
        return norm(text)

    def _k_code(self, model, name, value, path, *rest) -> Any:
        return self._typed_text(value, path, n.normalise_code)

    _k_uscc = _k_code

    def _k_phone(self, model, name, value, path, *rest) -> Any:
        return self._typed_text(value, path, lambda t: n.half_width(t))

    def _k_url(self, model, name, value, path, *rest) -> Any:
        return self._typed_text(value, path, lambda t: n.half_width(t).strip())

    def _parsed(self, value, path, parse, reason) -> Any:
        got = parse(value)
        if got is not None:
            return got
        if isinstance(value, str) and self._placeholder(path, value):
            return None
        self._invalid(path, value, reason)
        return None

    def _k_days(self, model, name, value, path, rawp, pin, units) -> Any:
        got = self._parsed(value, path, n.parse_time_limit, R("应为天数,如 20 或“20个工作日”", "should be a number of days, e.g. 20 or 20个工作日"))
        if got is None:
            return None
        days, unit = got
        if unit and f"{name}_unit" in _fields(model):
            units[f"{name}_unit"] = unit
        return days

    def _k_count(self, model, name, value, path, *rest) -> Any:
        return self._parsed(value, path, n.parse_count, R("应为数字", "should be a number"))

    def _k_bool(self, model, name, value, path, *rest) -> Any:
        return self._parsed(value, path, n.parse_bool, R("应为“是”或“否”", "should be 是 (yes) or 否 (no)"))

    def _k_date(self, model, name, value, path, *rest) -> Any:
        return self._parsed(value, path, n.parse_date, R("应为日期,如 2026-01-01", "should be a date such as 2026-01-01"))

    def _enum_type(self, model, name):
        return _enum_type(model, name)

    def _one_enum(self, cls, value, path) -> Any:
        found = codes.lookup(cls, value)
        if found is not None:
            return found
        if isinstance(value, str) and self._placeholder(path, value):
            return None
        self.meta.invalid.add(path)
        self.report("GDE003", path, field=describe(path), value=shown(value), allowed="、".join(codes.allowed_values(cls)))
        return None

    def _k_enum(self, model, name, value, path, *rest) -> Any:
        return self._one_enum(self._enum_type(model, name), value, path)

    def _items(self, value, path, split) -> list[Any] | None:
        if isinstance(value, str):
            items: list[Any] = split(value)
        elif isinstance(value, list):
            items = value
        else:
            items = [value]
        if len(items) > MAX_ITEMS:
            self._invalid(path, f"{len(items)} items", R(f"超过 {MAX_ITEMS} 项", f"more than {MAX_ITEMS} items"))
            return None
        return items

    def _k_enums(self, model, name, value, path, *rest) -> Any:
        items = self._items(value, path, n.split_values)
        if items is None:
            return None
        cls = self._enum_type(model, name)
        out: list[Any] = []
        for i, item in enumerate(items):
            found = self._one_enum(cls, item, _join(path, i))
            if found is not None and found not in out:
                out.append(found)
        if not out:
            self.meta.invalid.add(path)
        return out or None

    def _k_items(self, model, name, value, path, rawp, pin, units) -> Any:
        items = self._items(value, path, n.split_items)
        if items is None:
            return None
        out: list[str] = []
        for i, item in enumerate(items):
            ipath = _join(path, i)
            if not isinstance(value, str):
                self.meta.where[ipath] = pin or self.meta.locator.at(rawp + (i,))
            text = "" if item is None else self._scalar_text(item, ipath)
            if text is None:
                continue
            if not text or n.is_placeholder(text):
                self.meta.placeholders[ipath] = text or "(空)"
            out.append(text)
        return out

    def _k_files(self, model, name, value, path, *rest) -> Any:
        items = self._items(value, path, n.split_files)
        if items is None:
            return None
        out = []
        for i, item in enumerate(items):
            text = self._scalar_text(item, _join(path, i))
            if text:
                out.append(text)
        return out or None

    def _records(self, model, name, value, path, rawp, pin, parse_text) -> Any:
        sub = SUBMODELS[name]
        if isinstance(value, str):
            if parse_text is None:
                self._invalid(path, value, R("应逐项填写(每项一行或一张表)", "should list one record per row"))
                return None
            here = pin or self.meta.locator.at(rawp)
            items, item_pin = parse_text(name, value), here
        elif isinstance(value, Mapping):
            items, item_pin = [value], pin  # a single record where a list was expected
        elif isinstance(value, list):
            items, item_pin = value, pin
        else:
            self._invalid(path, value, R("应为列表", "should be a list"))
            return None
        if len(items) > MAX_ITEMS:
            self._invalid(path, f"{len(items)} items", R(f"超过 {MAX_ITEMS} 项", f"more than {MAX_ITEMS} items"))
            return None
        out = []
        for i, item in enumerate(items):
            ipath = _join(path, i)
            irawp = rawp + (i,) if isinstance(value, list) else rawp
            if isinstance(item, str) and parse_text is not None:
                item = parse_text(name, item)[0] if n.clean_text(item) else {}
                ipin = item_pin or self.meta.locator.at(irawp)
            elif isinstance(item, Mapping):
                ipin = item_pin
            else:
                self.meta.where[ipath] = item_pin or self.meta.locator.at(irawp)
                self._invalid(ipath, item, R("应为一条记录", "should be a record"))
                continue
            self.meta.where.setdefault(ipath, ipin or self.meta.locator.at(irawp))
            self.meta.present.add(ipath)
            values = self._record(sub, item, ipath, irawp, ipin)
            out.append(self._instance(sub, values, ipath))
        return out

    def _k_basis(self, model, name, value, path, rawp, pin, units) -> Any:
        return self._records(model, name, value, path, rawp, pin, cells.parse_lines)

    _k_orgs = _k_procedures = _k_faq = _k_basis

    def _k_materials(self, model, name, value, path, rawp, pin, units) -> Any:
        return self._records(model, name, value, path, rawp, pin, None)

    _k_fees = _k_materials
