"""Library entry points for office guides: analyse one file, check files and folders, export what push uploads.

`analyse` is what the `office-guide` validator runs inside `hnsubmit check` and what
`hnsubmit.checks.guides.check_guides` (the `hnsubmit guide check` engine) runs per file.  Linked forms
are judged through the `check_file` callback the caller passes in, so nothing here imports the check
runner.  Nothing here prints or exits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePath, PureWindowsPath
from typing import Callable, Iterator, Mapping

from pydantic import BaseModel

from hnsubmit.checks.context import TextSegment
from hnsubmit.guide.build import Builder, Meta
from hnsubmit.guide.forms import CheckFile, FormChecker, inside_folder
from hnsubmit.guide.model import OfficeGuide, field_kind
from hnsubmit.guide.profiles import get_profile
from hnsubmit.guide.rules import RuleContext, run_rules
from hnsubmit.guide.source import ReadResult
from hnsubmit.rules.findings import FileResult, Finding, Location, Severity

Progress = Callable[[int, int, str], None]
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(frozen=True)
class GuideOutcome:
    index: int
    label: str  # "第7行", "[2]" or "" for a single guide
    guide: OfficeGuide
    findings: tuple[Finding, ...]

    @property
    def name(self) -> str:
        return self.guide.item_name or ""


@dataclass(frozen=True)
class Analysis:
    """One source file: its guides with their findings, file-level findings, and the text for the TXT scan."""

    source: str
    guides: tuple[GuideOutcome, ...]
    findings: tuple[Finding, ...]
    texts: tuple[TextSegment, ...]
    owners: Mapping[Location, int]

    def all_findings(self) -> list[Finding]:
        return list(self.findings) + [f for g in self.guides for f in g.findings]

    def owner(self, location: Location) -> int | None:
        """Which guide a finding at `location` belongs to (None: the file as a whole)."""
        for probe in (location, dataclasses.replace(location, offset=None)):
            if probe in self.owners:
                return self.owners[probe]
        return None


def source_kind(path: Path) -> str:
    """How to read a guide file: "xlsx", "docx" (both ZIP) or "yaml" (YAML and JSON)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError:
        return "yaml"
    if head in ZIP_MAGIC:
        import zipfile

        try:
            with zipfile.ZipFile(path) as zf:
                return "docx" if any(n.startswith("word/") for n in zf.namelist()) else "xlsx"
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
            return "docx" if path.suffix.lower() in (".docx", ".docm") else "xlsx"
    return "yaml"


def read_source(path: Path, display: str, kind: str | None = None) -> ReadResult:
    kind = kind or source_kind(path)
    if kind == "xlsx":
        from hnsubmit.guide.xlsx_reader import read_xlsx

        return read_xlsx(path, display)
    if kind == "docx":
        from hnsubmit.guide.docx_reader import read_docx

        return read_docx(path, display)
    from hnsubmit.guide.yaml_reader import read_yaml

    return read_yaml(path, display)


@lru_cache(maxsize=None)
def _prose_fields(model: type[BaseModel]) -> tuple[str, ...]:
    # codes are not prose, and long digit runs would pass for card numbers
    return tuple(name for name in model.model_fields if field_kind(model, name) not in ("code", "uscc"))


def _texts(model: BaseModel, meta: Meta, path: str = "") -> Iterator[tuple[str, Location]]:
    """Every text value of a guide with where it stands, for the sensitive-content scan."""
    for name in _prose_fields(type(model)):
        value = getattr(model, name)
        if value is None:
            continue
        here = f"{path}.{name}" if path else name
        if isinstance(value, str):
            yield value, meta.locate(here)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    yield item, meta.locate(f"{here}[{i}]")
                elif isinstance(item, BaseModel):
                    yield from _texts(item, meta, f"{here}[{i}]")


def _display_parent(display: str) -> str:
    parent = PurePath(display).parent.as_posix()
    return "" if parent == "." else parent


def analyse(path: Path, display: str, profile: str | None, policy, kind: str | None = None,
            check_file: CheckFile | None = None,
            scan: "Callable[[list[TextSegment]], list[Finding]] | None" = None) -> Analysis:
    """Read, build and judge every guide in one file (GDE findings only; the TXT scan runs on `texts`).

    `check_file(path, display)` checks a linked Word form as `hnsubmit check` would; without it, forms are
    judged by their kind and place only.

    With `scan` (a text scan over one guide's texts), the file is judged guide by guide and keeps
    findings, not records (issue 19, P8): each guide's texts are scanned as it is built and its findings
    join its own outcome, the raw row and the built model are let go (outcome.guide is None, the name
    kept), and `texts` stays empty; owners then holds each guide's anchor only."""
    prof = get_profile(profile)
    read = read_source(path, display, kind)
    forms = FormChecker(path.parent, _display_parent(display), policy, check_file)
    outcomes, texts, owners = [], [], {}
    raws = read.guides
    for i in range(len(raws)):
        raw = raws[i]
        if scan is not None:
            raws[i] = None  # type: ignore[call-overload]  (the row's cells go once its guide is built)
        builder = Builder(display, raw.locator)
        guide = builder.build(raw.data)
        rc = RuleContext(guide, builder.meta, prof, display)
        found = builder.findings + run_rules(rc) + list(forms.check(rc))
        if scan is not None:
            found += scan([TextSegment(text, loc) for text, loc in _texts(guide, builder.meta)])
            owners.setdefault(raw.anchor, i)
            outcomes.append(_Kept(i, raw.label, guide.item_name or "", tuple(found)))
            continue
        for text, loc in _texts(guide, builder.meta):
            texts.append(TextSegment(text, loc))
            owners.setdefault(loc, i)
        for f in found:
            owners.setdefault(f.location, i)
        owners.setdefault(raw.anchor, i)
        outcomes.append(GuideOutcome(i, raw.label, guide, tuple(found)))
    return Analysis(display, tuple(outcomes), tuple(read.findings), tuple(texts), owners)


@dataclass(frozen=True)
class _Kept:
    """A guide judged without keeping its record: what `guide check` reports of it."""

    index: int
    label: str
    name: str
    findings: tuple[Finding, ...]
    guide: None = None


# -- check over files and folders -------------------------------------------------------------


@dataclass(frozen=True)
class GuideResult:
    source: str  # the file, as findings name it
    label: str
    name: str
    profile: str
    findings: tuple[Finding, ...]
    guide: OfficeGuide | None = None
    source_path: Path | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


@dataclass(frozen=True)
class GuideReport:
    guides: tuple[GuideResult, ...]
    files: tuple[FileResult, ...]  # file-level findings (unreadable file, unlinked rows, FMT…)
    profile: str
    strict: bool = False

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings] + [f for g in self.guides for f in g.findings]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def failed(self) -> bool:
        worst = {Severity.ERROR} | ({Severity.WARNING} if self.strict else set())
        return any(f.severity in worst for f in self.findings)


def with_profile(policy, profile: str | None):
    """The policy with its office-guide profile replaced by `profile` (the --profile flag)."""
    if not profile:
        return policy
    get_profile(profile)
    return policy.model_copy(update={"guide": policy.guide.model_copy(update={"profile": profile})})


# -- export ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    guide: GuideResult
    files: tuple[Path, ...]


def guide_json(guide: OfficeGuide) -> dict:
    """The normalised record push uploads: names for coded values, no empty elements."""
    return guide.model_dump(mode="json", exclude_none=True)


def _safe_name(name: str) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" ._")
    return cleaned[:80] or "办事指南"


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _copy_forms(result: GuideResult, outdir: Path) -> list[Path]:
    """Forms travel with the export, at the same relative paths the JSON names."""
    copied = []
    if result.guide is None or result.source_path is None:
        return copied
    base = result.source_path.parent
    for m in result.guide.materials or ():
        for ref in list(m.blank_form or ()) + list(m.sample_form or ()):
            rel = Path(PureWindowsPath(ref).as_posix())
            if not inside_folder(ref) or not (base / rel).is_file():
                continue
            target = outdir / rel
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(base / rel, target)
            copied.append(target)
    return copied


def export_guides(
    report: GuideReport,
    outdir: Path,
    *,
    write_json: bool = True,
    write_docx: bool = True,
    include_failed: bool = False,
    date: dt.date | None = None,
) -> tuple[list[Exported], list[GuideResult]]:
    """Write each guide without errors as normalised JSON and a printable DOCX; return (exported, skipped)."""
    from hnsubmit.guide.docx_writer import write_guide_docx

    outdir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    exported, skipped = [], []
    # A file-level error (an unlinked material row, a truncated batch) may have cut a guide short.
    broken = {r.path for r in report.files if any(f.severity is Severity.ERROR for f in r.findings)}
    for result in report.guides:
        failed = result.count(Severity.ERROR) or result.source in broken
        if result.guide is None or (failed and not include_failed):
            skipped.append(result)
            continue
        stem = _safe_name(result.name or PurePath(result.source).stem)
        candidate, n = stem, 2
        while candidate in used:
            candidate, n = f"{stem}-{n}", n + 1
        used.add(candidate)
        written: list[Path] = []
        if write_json:
            target = outdir / f"{candidate}.json"
            text = json.dumps(guide_json(result.guide), ensure_ascii=False, indent=2) + "\n"
            _write_atomic(target, text.encode("utf-8"))
            written.append(target)
        if write_docx:
            target = outdir / f"{candidate}.docx"
            write_guide_docx(result.guide, target, date=date)
            written.append(target)
        written += _copy_forms(result, outdir)
        exported.append(Exported(result, tuple(written)))
    return exported, skipped


def blank_template(fmt: str, target: Path, profile: str | None = None) -> Path:
    """`hnsubmit guide new`: a blank guide in `fmt` ("yaml", "docx" or "xlsx"), required elements marked."""
    prof = get_profile(profile)
    if fmt == "docx":
        from hnsubmit.guide.docx_writer import write_guide_docx

        return write_guide_docx(None, target, blank=True, required=prof.required)
    if fmt == "xlsx":
        from hnsubmit.guide.xlsx_template import write_guides_xlsx

        return write_guides_xlsx([], target, required=prof.required)
    if fmt == "yaml":
        from hnsubmit.guide.yaml_template import blank_yaml

        target.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(target, blank_yaml(prof).encode("utf-8"))
        return target
    from hnsubmit.errors import UsageError

    raise UsageError("Unknown template format {fmt}.", hint="Use docx, yaml or xlsx.", fmt=fmt)


__all__ = [
    "Analysis", "GuideOutcome", "GuideReport", "GuideResult", "analyse", "blank_template",
    "export_guides", "guide_json", "read_source", "with_profile",
]
