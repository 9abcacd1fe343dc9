"""The term and leader lists: built-in CSVs, the office's files on top, each entry knowing its source.

A term list is CSV ``错误写法,正确写法,类别,说明[,例外]`` (UTF-8 with or without BOM, as Excel
saves it).  Later lists add to earlier ones; an entry with the same wrong text replaces the earlier
one, and a wrong text written ``!再接再励`` switches an earlier entry off.  ``例外`` holds contexts,
separated by ``|``, that contain the wrong text and are correct (``万事俱备`` for 俱备).
A leaders list is CSV ``姓名,职务``; several titles of one person are separated by ``、``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from hnsubmit.errors import PolicyError

BUILTIN_PREFIX = "builtin:"
BUILTIN_LISTS = ("words", "organs", "expressions")
# 类别 → rule code; anything else is a wrong word (PRF001)
CATEGORY_CODES = {"机构名称": "PRF002", "机构": "PRF002", "禁用表述": "PRF003", "表述": "PRF003"}
MAX_LIST_BYTES = 20_000_000


@dataclass(frozen=True)
class Term:
    wrong: str
    right: str
    category: str
    note: str
    exceptions: tuple[str, ...]
    source: str  # "builtin:words:12" or "path/to/file.csv:3"

    @property
    def code(self) -> str:
        return CATEGORY_CODES.get(self.category.strip(), "PRF001")


@dataclass(frozen=True)
class Leader:
    name: str
    titles: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Lists:
    terms: tuple[Term, ...]
    leaders: tuple[Leader, ...]
    sources: tuple[str, ...]  # the files read, in order


def _rows(text: str) -> list[list[str]]:
    text = text.lstrip("\ufeff")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def _read(spec: str) -> tuple[str, str]:
    """The text of a list named `spec` (builtin:NAME or a path) and how to name it in sources."""
    if spec.startswith(BUILTIN_PREFIX):
        name = spec[len(BUILTIN_PREFIX):]
        if name not in BUILTIN_LISTS:
            raise PolicyError("The proofing list {source} does not exist", source=spec)
        return (resources.files("hnsubmit.checks.proofing") / "data" / f"{name}.csv").read_text(encoding="utf-8"), spec
    path = Path(spec)
    try:
        if path.stat().st_size > MAX_LIST_BYTES:
            raise PolicyError("The proofing list {source} is larger than 20 MB", source=spec)
        data = path.read_bytes()
    except FileNotFoundError:
        raise PolicyError("The proofing list {source} does not exist", source=spec) from None
    except OSError as exc:
        raise PolicyError("The proofing list {source} cannot be read: {problems}", source=spec, problems=str(exc)) from None
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on a Chinese Windows may save CSV as GBK
        try:
            return data.decode(encoding), spec
        except UnicodeDecodeError:
            continue
    raise PolicyError("The proofing list {source} cannot be read: {problems}", source=spec, problems="not UTF-8 or GB18030")


def _is_header(row: list[str], first: str) -> bool:
    return bool(row) and row[0].lstrip("!") in (first, "错误写法", "姓名", "wrong", "name")


def read_terms(spec: str) -> list[tuple[str, Term | None]]:
    """(wrong text, entry) pairs in file order; entry None means `!wrong`: switch it off."""
    text, source = _read(spec)
    out: list[tuple[str, Term | None]] = []
    for number, row in enumerate(_rows(text), start=1):
        if not row or not row[0] or row[0].startswith("#") or _is_header(row, "错误写法"):
            continue
        wrong = row[0]
        if wrong.startswith("!"):
            out.append((wrong[1:].strip(), None))
            continue
        if len(row) < 2 or not row[1]:
            raise PolicyError("The proofing list {source} has no correct form on line {line}", source=source, line=number)
        cells = row + [""] * (5 - len(row))
        exceptions = tuple(e.strip() for e in cells[4].split("|") if wrong in e)
        out.append((wrong, Term(wrong, cells[1], cells[2], cells[3], exceptions, f"{source}:{number}")))
    return out


def read_leaders(spec: str) -> list[Leader]:
    text, source = _read(spec)
    out = []
    for number, row in enumerate(_rows(text), start=1):
        if not row or not row[0] or row[0].startswith("#") or _is_header(row, "姓名"):
            continue
        if len(row) < 2 or not row[1]:
            raise PolicyError("The leaders list {source} has no title on line {line}", source=source, line=number)
        titles = tuple(t.strip() for t in row[1].replace("，", "、").replace(",", "、").split("、") if t.strip())
        out.append(Leader(row[0].replace(" ", "").replace("\u3000", ""), titles, f"{source}:{number}"))
    return out


def build_lists(term_specs: tuple[str, ...], leaders_spec: str = "") -> Lists:
    merged: dict[str, Term] = {}
    for spec in term_specs:
        for wrong, term in read_terms(spec):
            if term is None:
                merged.pop(wrong, None)
            else:
                merged.pop(wrong, None)  # the newer entry goes last, as listed
                merged[wrong] = term
    leaders = tuple(read_leaders(leaders_spec)) if leaders_spec else ()
    sources = tuple(term_specs) + ((leaders_spec,) if leaders_spec else ())
    return Lists(tuple(merged.values()), leaders, sources)


def as_data(lists: Lists) -> dict:
    """The effective lists as JSON-able data, as the exchange serves them (GET /api/v1/proofing)."""
    return {
        "version": 1,
        "terms": [{"wrong": t.wrong, "right": t.right, "category": t.category, "note": t.note,
                   "exceptions": list(t.exceptions), "source": t.source} for t in lists.terms],
        "leaders": [{"name": l.name, "titles": list(l.titles), "source": l.source} for l in lists.leaders],
    }


def _cell(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def write_csvs(data: dict, terms_path: Path, leaders_path: Path) -> bool:
    """Write served lists (as_data's shape) as the two CSV files this module reads; False (and
    nothing written) when `data` is not that shape."""
    try:
        terms = [[_cell(t["wrong"]), _cell(t["right"]), _cell(t.get("category", "")), _cell(t.get("note", "")),
                  "|".join(_cell(e) for e in t.get("exceptions", [])), _cell(t.get("source", ""))]
                 for t in data["terms"]]
        leaders = [[_cell(l["name"]), "、".join(_cell(x) for x in l["titles"]), _cell(l.get("source", ""))]
                   for l in data.get("leaders", [])]
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    if any(not row[0] or not row[1] or row[0].startswith(("!", "#")) for row in terms) or any(not r[0] or not r[1] for r in leaders):
        return False
    for path, header, rows in ((terms_path, ["错误写法", "正确写法", "类别", "说明", "例外", "来源"], terms),
                               (leaders_path, ["姓名", "职务", "来源"], leaders)):
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
    return True
