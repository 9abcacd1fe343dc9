"""`hnsubmit proof`: the proof copy carries one Word comment per PRF finding, anchored on the wrong
text, the original stays untouched, and the copy re-checks with the same PRF findings plus DOC009;
`hnsubmit proof list` shows the lists in effect and where each entry came from."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import REPO
from factories_proofing import DRAFT_EXPECTED, LEADERS_CSV_FULL, draft_docx
from hnsubmit.checks.proofing.engine import with_lists
from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.policy.model import load_policy

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _anchored_texts(document) -> dict[str, str]:
    """comment id → the body text between its commentRangeStart and commentRangeEnd."""
    open_ids: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    for el in document.element.body.iter():
        if el.tag == W + "commentRangeStart":
            open_ids[el.get(W + "id")] = []
        elif el.tag == W + "commentRangeEnd":
            cid = el.get(W + "id")
            done[cid] = "".join(open_ids.pop(cid, []))
        elif el.tag == W + "t":
            for parts in open_ids.values():
                parts.append(el.text or "")
    return done


def _findings(path: Path, leaders: Path):
    policy = with_lists(load_policy(), leaders=str(leaders))
    return run_check([path], CheckOptions(policy, selection_from(policy))).findings


@pytest.fixture()
def draft(tmp_path):
    leaders = tmp_path / "领导名单.csv"
    leaders.write_text(LEADERS_CSV_FULL, encoding="utf-8")
    return draft_docx(tmp_path / "稿件.docx"), leaders


def test_proof_copy_one_comment_per_finding_on_the_wrong_text(cli, draft, tmp_path):
    import docx

    src, leaders = draft
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    out = tmp_path / "校对稿.docx"
    code, stdout, _ = cli("--lang", "en", "proof", src, "-o", out, "--leaders", leaders)
    assert code == 0 and "15 comments written" in stdout
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before  # the original is untouched

    copy = docx.Document(str(out))
    comments = list(copy.comments)
    assert len(comments) == len(DRAFT_EXPECTED) == 15
    assert {c.author for c in comments} == {"hnsubmit 校对"}
    anchored = _anchored_texts(copy)
    texts = {str(c.comment_id): c.text for c in comments}
    # body and table findings sit on exactly their wrong text; header and text box ones at the start
    on_text = sorted(anchored[cid] for cid in anchored if not texts[cid].startswith(("header", "text box")))
    expected_on_text = sorted(w for c, w in DRAFT_EXPECTED if w not in ("卫计委", "安照"))
    assert on_text == expected_on_text
    assert any(t.startswith("header1") and "PRF002" in t for t in texts.values())
    assert any("PRF001" in t and "再接再厉" in t for t in texts.values())


def test_proof_copy_rechecks_with_the_same_prf_findings_plus_doc009(cli, draft, tmp_path):
    src, leaders = draft
    out = tmp_path / "校对稿.docx"
    assert cli("proof", src, "-o", out, "--leaders", leaders)[0] == 0

    def key(findings):
        return sorted((f.code, f.args["wrong"], f.args["excerpt"], f.location.describe()) for f in findings if f.code.startswith("PRF"))

    original, proofed = _findings(src, leaders), _findings(out, leaders)
    assert key(proofed) == key(original) and len(key(original)) == 15
    assert "DOC009" in {f.code for f in proofed} and "DOC009" not in {f.code for f in original}
    (doc009,) = [f for f in proofed if f.code == "DOC009"]
    assert doc009.args["count"] == 15


def test_proof_refuses_doc_and_overwriting_the_original(cli, draft, tmp_path):
    src, _ = draft
    code, _, err = cli("--lang", "en", "proof", src, "-o", src)
    assert code == 2 and "original" in err
    doc = REPO / "tests" / "data" / "proofing" / "校对样稿.doc"
    code, _, err = cli("--lang", "en", "proof", doc, "-o", tmp_path / "x.docx")
    assert code == 2 and ".docx" in err and not (tmp_path / "x.docx").exists()
    code, _, err = cli("--lang", "en", "proof", tmp_path / "nope.docx")
    assert code == 2 and "Traceback" not in err


def test_proof_list_prints_the_lists_and_their_sources(cli, tmp_path):
    office = tmp_path / "单位词表.csv"
    office.write_text("错误写法,正确写法,类别,说明\n海南洲,海南州,错别字,\n!再接再励\n", encoding="utf-8-sig")
    leaders = tmp_path / "领导名单.csv"
    leaders.write_text("姓名,职务\n李四,副州长\n", encoding="utf-8")
    code, out, _ = cli("--lang", "en", "proof", "list", "--terms", office, "--leaders", leaders)
    assert code == 0
    lines = out.splitlines()
    assert "  builtin:words" in lines and f"  {office}" in lines and f"  {leaders}" in lines
    assert f"PRF001\t海南洲\t海南州\t错别字\t{office}:2" in lines
    assert not any(line.startswith("PRF001\t再接再励\t") for line in lines)  # switched off by !再接再励
    assert any(line.startswith("PRF002\t国家工商行政管理总局\t") and "builtin:organs:" in line for line in lines)
    assert f"李四\t副州长\t{leaders}:2" in lines
    code, out, _ = cli("--lang", "en", "proof", "list")
    assert code == 0 and "No leaders list" in out
