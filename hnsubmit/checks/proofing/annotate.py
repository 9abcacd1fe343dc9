"""The proof copy: a .docx with every PRF finding as a Word comment anchored on the wrong text, so
the liaison fixes the draft in Word or WPS.  The original is never written.

A finding in the body or a table is anchored on exactly the wrong characters (runs are split at
its edges, keeping their formatting).  Word cannot hold a comment in a header, footer or footnote,
and a text box's runs are out of python-docx's reach, so such a finding is anchored on the start
of the first body paragraph and its comment says where the text is.  Comment texts name the
suggestion, never the wrong text, so the copy re-checks with the same PRF findings (plus DOC009).
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from hnsubmit.rules.findings import Finding
from hnsubmit.rules.registry import get_rule, localise_args

AUTHOR = "hnsubmit 校对"
INITIALS = "HN"
_TEXT_ONLY = {"rPr", "t", "tab", "br", "cr", "noBreakHyphen", "softHyphen"}


@dataclass(frozen=True)
class ProofResult:
    comments: int
    anchored: int  # on the wrong text itself
    elsewhere: int  # at the start of the body, the comment naming the place


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _splittable(run) -> bool:
    return all(_local(child.tag) in _TEXT_ONLY for child in run._r)


def _split(run, at: int):
    """Cut `run` after `at` characters; the new run (same formatting) holds the rest."""
    from docx.text.run import Run

    text = run.text
    clone = copy.deepcopy(run._r)
    run._r.addnext(clone)
    run.text = text[:at]
    rest = Run(clone, run._parent)
    rest.text = text[at:]
    return rest


def _isolate(paragraph, start: int, end: int) -> list:
    """The runs covering exactly characters [start, end) of the paragraph's runs' text."""
    out = []
    pos = 0
    for run in list(paragraph.runs):
        text = run.text
        a, b = pos, pos + len(text)
        pos = b
        if not text or b <= start or a >= end:
            continue
        if not _splittable(run):
            out.append(run)
            continue
        if min(end, b) - a < len(text):
            _split(run, min(end, b) - a)
        if max(start, a) - a > 0:
            run = _split(run, max(start, a) - a)
        out.append(run)
    return out


def _paragraphs(container) -> Iterable:
    """Body and table paragraphs in document order (tables inside tables too)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item
        elif isinstance(item, Table):
            for row in item.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell appears once per grid column
                        continue
                    seen.add(id(cell._tc))
                    yield from _paragraphs(cell)


def comment_text(f: Finding, lang: str, place: str = "") -> str:
    rule = get_rule(f.code)
    args: Mapping[str, Any] = localise_args(f.args, lang)
    suggestion = args.get("suggestion", "")
    note = args.get("note", "") if f.code in ("PRF004", "PRF006", "PRF007", "PRF008") else ""
    head = f"{place}：" if place and lang == "zh" else (f"{place}: " if place else "")
    if lang == "zh":
        body = f"{f.code} {rule.render('title', 'zh')}。建议：{suggestion}" + (f"（{note}）" if note else "")
    else:
        body = f"{f.code} {rule.render('title', 'en')}. Suggestion: {suggestion}" + (f" ({note})" if note else "")
    return head + body


def write_proof_copy(source: Path, target: Path, findings: list[Finding], lang: str = "zh") -> ProofResult:
    """Copy `source` to `target` with one comment per PRF finding; `source` is only read."""
    import docx

    shutil.copyfile(source, target)
    document = docx.Document(str(target))
    paragraphs = [(p, "".join(r.text for r in p.runs)) for p in _paragraphs(document)]
    used: set[tuple[int, int]] = set()
    anchored = elsewhere = 0
    first = next((p for p, text in paragraphs if text.strip()), None)
    pending = []
    for f in findings:
        if not f.code.startswith("PRF"):
            continue
        spot = _locate(f, paragraphs, used)
        if spot is None:
            pending.append(f)
            continue
        index, start = spot
        paragraph, text = paragraphs[index]
        runs = _isolate(paragraph, start, start + len(f.args.get("wrong", "")))
        paragraphs[index] = (paragraph, "".join(r.text for r in paragraph.runs))
        document.add_comment(runs, text=comment_text(f, lang), author=AUTHOR, initials=INITIALS)
        anchored += 1
    for f in pending:
        place = f.args.get("place", {})
        where = place.get(lang, "") if isinstance(place, Mapping) else str(place)
        if first is None:
            first = document.add_paragraph("")
        runs = [r for r in first.runs if r.text] or [first.add_run("")]
        document.add_comment(runs[0], text=comment_text(f, lang, where), author=AUTHOR, initials=INITIALS)
        elsewhere += 1
    document.save(str(target))
    return ProofResult(anchored + elsewhere, anchored, elsewhere)


def _locate(f: Finding, paragraphs: list[tuple[Any, str]], used: set[tuple[int, int]]) -> tuple[int, int] | None:
    """(paragraph index, start) of the finding's wrong text, matched with its context."""
    part = (f.location.part or "body").lower()
    if part not in ("body", "table") and not part.startswith("table"):
        return None
    wrong = f.args.get("wrong", "")
    if not wrong:
        return None
    before, after = f.args.get("before", ""), f.args.get("after", "")
    for probe, lead in ((before + wrong + after, len(before)), (before + wrong, len(before)), (wrong + after, 0), (wrong, 0)):
        for index, (_, text) in enumerate(paragraphs):
            at = text.find(probe)
            while at != -1:
                spot = (index, at + lead)
                if spot not in used:
                    used.add(spot)
                    return spot
                at = text.find(probe, at + 1)
    return None
