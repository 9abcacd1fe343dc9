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
