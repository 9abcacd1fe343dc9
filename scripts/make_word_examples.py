"""Regenerate the Word examples under examples/positive/word and examples/negative/word.

Run: .venv/bin/python scripts/make_word_examples.py.  Every file is made by python-docx, with the
markup Word writes for what python-docx has no API for (tests/factories_word.py says how), and
rewritten with fixed timestamps so a rerun gives the same bytes; none is a copy of a third-party
file.  Expected codes are in examples/expected.d/word.toml.
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT.parent / "tests"))

import factories_word as fw  # noqa: E402


def main() -> None:
    pos, neg = ROOT / "positive" / "word", ROOT / "negative" / "word"
    for d in (pos, neg):
        d.mkdir(parents=True, exist_ok=True)

    fw.clean_docx(pos / "图文报道.docx")

    d = fw.new_document()
    fw.add_tracked_change(d)
    fw.save(d, neg / "带修订的通知.docx")

    d = fw.new_document()
    d.add_comment(d.paragraphs[1].runs, text="请核实会议日期。", author="王科员", initials="王")
    fw.save(d, neg / "带批注的稿件.docx")

    d = fw.new_document()
    fw.add_hidden(d.paragraphs[2], "(此段待领导审定后删除)")
    fw.save(d, neg / "隐藏文字.docx")

    d = fw.new_document()
    fw.attach_template(d)
    fw.save(d, neg / "外部模板.docx")

    fw.personal_docx(neg / "作者信息.docx")

    d = fw.new_document()
    fw.restrict_editing(d)
    fw.save(d, neg / "限制编辑.docx")

    fw.save(fw.new_document([]), neg / "空白正文.docx")

    d = fw.new_document()
    fw.add_picture(d, None, caption="图为会议现场。")
    fw.add_picture(d, "IMG_2031.jpg", seed=2)
    fw.save(d, neg / "图片无替代文字.docx")

    d = fw.new_document()
    fw.embed_workbook(d)
    fw.save(d, neg / "嵌入Excel表格.docx")

    fw.save(fw.new_document(), neg / "含DTD声明.docx", {"word/document.xml": fw.with_doctype})

    # the package points at word/document.xml, which is not there
    buf = io.BytesIO()
    fw.new_document().save(buf)
    fw.rewrite_zip(buf.getvalue(), neg / "缺少正文部件.docx", {"word/document.xml": None})

    with tempfile.TemporaryDirectory() as tmp:
        plain = fw.save(fw.new_document(), Path(tmp) / "plain.docx")
        fw.encrypt_docx(plain, neg / "加密文档.docx")
    # (the encrypted copy differs on every run: msoffcrypto draws fresh random salts and keys)
    print("Word examples regenerated under", pos, "and", neg)


if __name__ == "__main__":
    main()
