"""GDE016/GDE017: a material that is a form ships a Word and a PDF file, and the Word file passes the Word checks.

Files are named relative to the guide's folder and must stay inside it: a guide that names
"/etc/passwd" or "../../x" must not make a server open files outside the package it received.
The Word file goes through the ordinary check runner (`check_entry`), so every Word rule applies.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Callable, Iterator

from hnsubmit.guide.build import R
from hnsubmit.guide.model import Material
from hnsubmit.guide.rules import RuleContext, item_label
from hnsubmit.rules.findings import FileResult, Finding, Severity

# Checks a linked form as `hnsubmit check` would: (path on disk, name in findings) -> its result.
CheckFile = Callable[[Path, str], FileResult]

WORD_KINDS = frozenset({"docx", "doc", "docx-encrypted", "word95", "word2", "word1"})
WORD_SUFFIXES = frozenset({".docx", ".doc", ".docm", ".wps"})
# Names of forms to fill in: …申请表, …登记表(附件), …申请书; not "法定代表人" (代表).
FORM_NAME = re.compile(r"(?<!代)表(?:[（(][^）)]*[)）])?$|申请书|表格")


def is_form(m: Material) -> bool:
    if m.is_form is not None:
        return m.is_form
    return bool(m.blank_form or m.sample_form or (m.name and FORM_NAME.search(m.name)))


def inside_folder(ref: str) -> bool:
    for pure in (PurePosixPath(ref), PureWindowsPath(ref)):
        if pure.is_absolute() or pure.drive or ".." in pure.parts:
            return False
    return True


class FormChecker:
    """Checks the forms of the guides of one source file; remembers each Word file's verdict."""

    def __init__(self, base: Path, display_base: str, policy, check_file: CheckFile | None = None) -> None:
        self.base = base
        self.check_file = check_file
        self.display_base = display_base
        self.policy = policy
        self._word: dict[Path, list[str]] = {}
        self._kind: dict[Path, tuple[str, str]] = {}
        self._refs: dict[str, tuple[bool, Path | None, bool]] = {}

    def _resolve(self, ref: str) -> tuple[bool, Path | None, bool]:
        """(inside the guide's folder, the file, whether it is one), once per name for all the guides of
        the file: a batch names the same few forms on every row."""
        got = self._refs.get(ref)
        if got is None:
            if not inside_folder(ref):
                got = (False, None, False)
            else:
                target = self.base / Path(PureWindowsPath(ref).as_posix())
                got = (True, target, target.is_file())
            self._refs[ref] = got
        return got

    def _identify(self, path: Path) -> tuple[str, str]:
        from hnsubmit.checks.formats.identify import identify_path

        if path not in self._kind:
            fi = identify_path(path)
            self._kind[path] = (fi.kind, fi.detail_zh)
        return self._kind[path]

    def _word_errors(self, path: Path, display: str) -> list[str]:
        if path not in self._word:
            if self.check_file is None:
                return []
            result = self.check_file(path, display)
            self._word[path] = sorted({f.code for f in result.findings if f.severity is Severity.ERROR})
        return self._word[path]

    def check(self, rc: RuleContext) -> Iterator[Finding]:
        for i, m in enumerate(rc.guide.materials or ()):
            if is_form(m):
                yield from self._one(rc, i, m)

    def _one(self, rc: RuleContext, i: int, m: Material) -> Iterator[Finding]:
        base = f"materials[{i}]"
        path = f"{base}.blank_form"
        item = item_label(i, m.name)
        refs = list(m.blank_form or ())
        reasons: list[dict[str, str]] = []
        words: list[tuple[Path, str]] = []
        intended: set[str] = set()
        pdfs = 0
        if not refs:
            reasons.append(R("没有提供空白表格文件(Word 和 PDF)", "no blank form file (Word and PDF) is given"))
        for ref in refs + list(m.sample_form or ()):
            blank = ref in refs
            inside, target, is_file = self._resolve(ref)
            if not inside:
                reasons.append(R(f"路径“{ref}”不在办事指南所在文件夹内", f"“{ref}” lies outside the guide's folder"))
                continue
            if not is_file:
                reasons.append(R(f"找不到文件“{ref}”", f"file “{ref}” not found"))
                intended.add(PurePosixPath(ref.lower()).suffix)  # no need to add "no Word file" too
                continue
            try:
                kind, detail = self._identify(target)
            except OSError as exc:
                reasons.append(R(f"无法读取“{ref}”({exc.strerror})", f"cannot read “{ref}” ({exc.strerror})"))
                continue
            if not blank:
                continue
            if kind in WORD_KINDS:
                words.append((target, f"{self.display_base}/{PureWindowsPath(ref).as_posix()}" if self.display_base else ref))
            elif kind == "pdf":
                pdfs += 1
            else:
                reasons.append(R(f"“{ref}”的内容是{detail},不是 Word 或 PDF", f"“{ref}” is {detail}, neither Word nor PDF"))
        if refs and not words and not intended & WORD_SUFFIXES:
            reasons.append(R("缺少 Word 文件", "no Word file"))
        if refs and not pdfs and ".pdf" not in intended:
            reasons.append(R("缺少 PDF 文件", "no PDF file"))
        if reasons:
            loc = rc.meta.where.get(path) or rc.meta.locate(base)
            yield rc.at("GDE016", path, loc, item=item,
                        reason={"zh": ";".join(r["zh"] for r in reasons), "en": "; ".join(r["en"] for r in reasons)})
        for target, display in words:
            errors = self._word_errors(target, display)
            if errors:
                yield rc.at("GDE017", path, item=item, file=display, codes="、".join(errors))
