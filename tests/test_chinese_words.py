"""Issue 12 items 8–11: people's words in Chinese output — rule titles as names, severities, places
in a file, columns, categories, weeks, local times, who did what."""

from __future__ import annotations


def test_explain_accepts_words_of_a_rule_title(cli):
    for words in ("批注", "文档含批注", "Document has comments"):
        code, out, err = cli("explain", words)
        assert code == 0, err
        assert out.startswith("DOC009"), out


def test_explain_names_every_rule_when_the_words_fit_several(cli):
    code, out, err = cli("explain", "修订批注文档不存在的词")
    assert code == 2 and "未知的规则" in err
    code, out, err = cli("explain", "文档含")
    assert code == 2
    assert "DOC008" in err and "DOC009" in err and "explain DOC" in err


def test_severity_is_in_chinese_in_explain_and_rules(cli):
    code, out, err = cli("explain", "DOC009")
    assert code == 0 and "级别: 错误" in out and "error" not in out
    code, out, err = cli("rules", "--family", "DOC")
    assert code == 0 and "错误" in out and "error" not in out
    code, out, err = cli("rules", "--family", "DOC", "--lang", "en")
    assert "error" in out


# -- the office's review and the liaison's status say the same thing the same way ------------------

import re  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def data(tmp_path):
    from hnsubmit.exchange.context import open_exchange

    open_exchange(tmp_path / "exchange").close()
    return tmp_path / "exchange"


def _history_times(data, sid):
    from hnsubmit.exchange.context import open_exchange
    from hnsubmit.exchange.weeks import TZ

    ex = open_exchange(data)
    try:
        return [t.at.astimezone(TZ).strftime("%Y-%m-%d %H:%M") for t in ex.storage.history(sid)]
    finally:
        ex.close()


def test_review_show_names_the_leader_and_the_reviewer_apart_and_speaks_peoples_words(cli, data):
    from test_exchange_commands import _submit

    sid = _submit(data)
    assert cli("review", "start", sid, "--data", data)[0] == 0
    code, out, err = cli("review", "show", sid, "--data", data, env={"COLUMNS": "200"})
    assert code == 0, err
    assert "审核领导: 钱七" in out  # the unit's approving leader
    assert "审核人: 州政府办公室" in out and out.count("审核人") == 1  # the office's reviewer
    assert "县区动态" in out and "county-news" not in out  # column
    assert "经济社会发展工作情况" in out and "development" not in out  # category
    assert "兴海县人民政府" in out
    assert "已接收 → 审核中(州政府办公室)" in out and "admin:local" not in out
    for moment in _history_times(data, sid):  # Beijing time to the minute
        assert moment in out
    assert not re.search(r"\d\d:\d\d:\d\d|\.\d{6}|\+00:00", out)


def test_review_list_shows_local_time_and_column_names(cli, data):
    from test_exchange_commands import _submit

    sid = _submit(data)
    code, out, err = cli("review", "list", "--data", data, env={"COLUMNS": "200"})
    assert code == 0 and sid in out
    assert _history_times(data, sid)[0] in out and "县区动态" in out


def test_status_detail_and_list_speak_the_same_words(capsys, monkeypatch):
    """What the API hands the liaison's `status` (UTC ISO text with microseconds, codes)."""
    from hnsubmit.render.status import render_detail, render_list

    monkeypatch.setenv("COLUMNS", "200")
    item = {"submission_id": "HN-20261202-ABCDEF", "title": "兴海县开展防汛演练", "state": "in_review",
            "unit": "632524", "column": "county-news", "category": "other",
            "received_at": "2026-12-02T01:05:09.123456+00:00", "manifest_digest": "sha256:00",
            "history": [{"from": None, "to": "received", "at": "2026-12-02T01:05:09.123456+00:00", "by": "unit:632524"},
                        {"from": "received", "to": "in_review", "at": "2026-12-02T02:00:00.5+00:00", "by": "reviewer:t_1"}]}
    render_detail(item)
    render_list([item], "列表")
    out = capsys.readouterr().out
    assert "2026-12-02 09:05" in out and "2026-12-02 10:00" in out  # Asia/Shanghai, to the minute
    assert not re.search(r"\.\d{6}|T01:|\+00:00", out)
    assert "县区动态" in out and "county-news" not in out
    assert "其他新闻报道、影音和文件材料" in out and "other" not in out
    assert "已接收 → 审核中(州政府办公室)" in out and "兴海县人民政府" in out


def test_weeks_in_peoples_words():
    from hnsubmit.i18n import set_lang
    from hnsubmit.render.status import quota_line
    from hnsubmit.render.words import week_label

    assert week_label("2026-W49") == "2026年第49周(11月30日—12月6日)"
    assert week_label("2027-W01") == "2027年第1周(1月4日—1月10日)"
    text, met = quota_line({"week": "2026-W49", "rows": [{"unit": "632521", "sent": 1}]}, "632521")
    assert "2026年第49周(11月30日—12月6日)" in text and "W49" not in text and not met
    set_lang("en")
    try:
        assert week_label("2026-W49") == "week 49 of 2026 (30 Nov – 6 Dec)"
    finally:
        set_lang("zh")


def test_report_weekly_and_the_demo_share_headings(cli, data):
    from hnsubmit.i18n import _
    from hnsubmit.render.reports import columns

    code, out, err = cli("report", "weekly", "--week", "2026-W49", "--data", data, env={"COLUMNS": "250"})
    assert code == 0, err
    headings = [_(h) for _k, h in columns({"week": "2026-W49", "rows": []})]
    assert "单位代码" in headings and "采用率" in headings and "得分" in headings
    assert all(h in out for h in headings)
    assert "2026年第49周(11月30日—12月6日)" in out


def test_admin_unit_list_shows_kinds_and_columns_by_name(cli, data):
    code, out, err = cli("admin", "unit", "list", "--data", data, env={"COLUMNS": "250"})
    assert code == 0, err
    assert "县政府" in out and "州直部门" in out and "县区动态" in out
    assert not re.search(r"\bcounty\b|\bdepartment\b|county-news", out)


# -- places in a file ------------------------------------------------------------------------------

def test_places_in_a_file_are_said_in_chinese():
    from hnsubmit.render.where import where
    from hnsubmit.rules.findings import Location

    cases = {
        Location(part="body", paragraph=2): "正文 第 2 段",
        Location(line=3): "第 3 行",
        Location(field_path="办事指南!F7", table_cell="sheet 办事指南, row 5, column 法定办结时限"):
            "工作表“办事指南”第 5 行“法定办结时限”列 办事指南!F7",
        Location(part="table", paragraph=4, table_cell="table 1, row 2, column 3"): "表格 第 4 段 表 1 第 2 行第 3 列",
        Location(part="header1 text box"): "页眉1文本框",
        Location(part="comment (deleted text)"): "批注(已删除文字)",
        Location(part="word/document.xml", offset=120): "word/document.xml 第 120 字节处",
        Location(page=2, part="EXIF GPS IFD"): "EXIF GPS IFD 第 2 页",
    }
    for location, said in cases.items():
        assert where(location, "zh") == said
        assert where(location, "en") == location.describe()


def test_check_shows_places_in_the_users_language(cli):
    from conftest import EXAMPLES

    path = EXAMPLES / "negative" / "word" / "带批注的稿件.docx"
    code, out, err = cli("check", path, "-q")
    assert code == 1 and "[批注]" in out and "[comment]" not in out
    code, out, err = cli("check", path, "-q", "--lang", "en")
    assert "[comment]" in out


def test_config_show_says_where_each_setting_came_from(cli, monkeypatch):
    monkeypatch.setenv("HNSUBMIT_UNIT", "632521")
    code, out, err = cli("config", "show", env={"COLUMNS": "200"})
    assert code == 0, err
    # no token stored for this endpoint and unit: config show says so, in Chinese, rather than where it would look
    assert "环境变量 HNSUBMIT_UNIT" in out and out.count("默认值") >= 3 and "尚未保存" in out
    assert "environment" not in out and "keyring" not in out and "none stored" not in out
    code, out, err = cli("config", "show", "--format", "json")
    assert '"source": "environment HNSUBMIT_UNIT"' in out  # the JSON keeps the raw record


def test_transfer_bars_say_bytes_in_the_users_language():
    from rich.progress import Progress

    from hnsubmit.i18n import set_lang
    from hnsubmit.render.push import byte_columns

    progress = Progress(disable=True)
    progress.add_task("x", total=500, completed=200)
    size, _speed = byte_columns()
    assert size.render(progress.tasks[0]).plain == "200/500 字节"
    set_lang("en")
    try:
        assert size.render(progress.tasks[0]).plain == "200/500 bytes"
    finally:
        set_lang("zh")


def test_whoami_names_the_role_the_token_source_and_the_columns(cli, exchange_server, monkeypatch):
    monkeypatch.setenv("HNSUBMIT_TOKEN", exchange_server.tokens["unit"])
    code, out, err = cli("whoami", "--endpoint", exchange_server.url, "--unit", "632521", env={"COLUMNS": "200"})
    assert code == 0, err
    assert "报送单位" in out and "环境变量 HNSUBMIT_TOKEN" in out and "县区动态" in out
    assert "environment" not in out and "county-news" not in out and "role: unit" not in out


def test_status_names_the_unit(cli, exchange_server, monkeypatch):
    monkeypatch.setenv("HNSUBMIT_TOKEN", exchange_server.tokens["unit"])
    code, out, err = cli("status", "--endpoint", exchange_server.url, "--unit", "632521", env={"COLUMNS": "200"})
    assert code == 0, err
    assert "共和县人民政府(632521)" in out and "年第" in out and "周(" in out
