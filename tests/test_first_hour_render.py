"""Issue 12, items 13 and 14: the fix table reads at 80 columns (paths relative to where the user stands,
shortened in the middle, a totals line); a hint shared by 300 findings is printed once, with the count."""

from __future__ import annotations

import shutil

from rich.cells import cell_len

from conftest import EXAMPLES

PNG_AS_JPG = EXAMPLES / "negative" / "截图-其实是PNG.jpg"
NEWS = EXAMPLES / "positive" / "news-2026-11-20"


def test_fix_table_is_relative_shortened_with_totals_at_80_columns(cli, tmp_path, monkeypatch):
    deep = tmp_path / "县区信息报送材料" / "2026年12月" / "第一周" / "共和县冬春农牧业生产工作会议"
    shutil.copytree(NEWS, deep)
    shutil.copyfile(PNG_AS_JPG, deep / "会场照片-其实是PNG格式的一张很长名字的截图.jpg")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    # absolute paths, as a file manager pastes them
    code, out, err = cli("fix", tmp_path / "县区信息报送材料", "-o", tmp_path / "修复后", "-q")
    assert code == 0, out + err
    assert str(tmp_path) not in out  # relative to where the user stands
    assert "修复后/" in out and "…" in out  # shortened in the middle
    assert "截图.jpg" in out  # the end of a name survives
    assert "共 4 个文件:已写入修复后的副本 1 个,需手工处理 0 个,失败 0 个,无需修复 3 个。" in out
    assert max(cell_len(line) for line in out.splitlines()) <= 80


def test_shorten_middle_keeps_both_ends_within_the_width():
    from hnsubmit.render.fix import shorten_middle

    text = "县区信息报送材料/2026年12月/第一周/会场照片.jpg"
    short = shorten_middle(text, 24)
    assert cell_len(short) <= 24 and short.startswith("县区") and short.endswith("照片.jpg") and "…" in short
    assert shorten_middle("正文.docx", 24) == "正文.docx"


def test_a_hint_shared_by_300_files_is_printed_once_with_the_count(cli, tmp_path):
    folder = tmp_path / "照片"
    folder.mkdir()
    for n in range(300):
        shutil.copyfile(PNG_AS_JPG, folder / f"照片{n:03}.jpg")
    code, out, err = cli("check", folder)
    assert code == 1
    hints = [line for line in out.splitlines() if line.strip().startswith("→")]
    assert len(hints) == 2, hints  # FMT001 and FMT002, once each
    flat = "".join(out.split())
    assert "FMT001共300处相同" in flat and "FMT002共300处相同" in flat
    assert out.count("FMT001 错误") == 300  # every finding is still listed
    code, out, err = cli("-v", "check", folder)
    assert len([line for line in out.splitlines() if line.strip().startswith("→")]) == 600  # -v: every hint
