"""The exchange serves the office's proofreading lists (GET /api/v1/proofing, ETag), the client
caches them beside the policy, and a unit checks with them — online and later offline."""

from __future__ import annotations

import httpx
import pytest

from factories_proofing import _docx
from hnsubmit.checks.run import CheckOptions, run_check, selection_from


@pytest.fixture(scope="module")
def office_server(tmp_path_factory):
    from exchange.harness import start_server

    folder = tmp_path_factory.mktemp("office")
    (folder / "海南州词表.csv").write_text("错误写法,正确写法,类别,说明\n海南洲,海南州,错别字,本州名称\n!再接再励\n", encoding="utf-8-sig")
    (folder / "领导名单.csv").write_text("姓名,职务\n李四,副州长\n", encoding="utf-8")
    policy = folder / "office.policy.toml"
    policy.write_text('[proofing]\nterms = ["builtin:words", "builtin:organs", "builtin:expressions", "海南州词表.csv"]\n'
                      'leaders = "领导名单.csv"\n', encoding="utf-8")
    server = start_server(folder / "data", policy_file=policy)
    yield server
    server.stop()
    assert "Traceback" not in server.log()


def _prf(path, policy):
    return {(f.code, f.args["wrong"]) for f in run_check([path], CheckOptions(policy, selection_from(policy))).findings
            if f.code.startswith("PRF")}


def test_server_serves_its_lists_with_an_etag(office_server):
    first = httpx.get(office_server.url + "/api/v1/proofing")
    assert first.status_code == 200
    data = first.json()
    terms = {t["wrong"]: t for t in data["terms"]}
    assert terms["海南洲"]["right"] == "海南州" and terms["海南洲"]["source"].endswith("海南州词表.csv:2")
    assert "再接再励" not in terms and "按部就搬" in terms  # the office switched one built-in entry off
    assert data["leaders"] == [{"name": "李四", "titles": ["副州长"], "source": data["leaders"][0]["source"]}]
    again = httpx.get(office_server.url + "/api/v1/proofing", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_unit_checks_with_the_office_lists_online_and_offline(office_server, tmp_path):
    from hnsubmit.cli.context import resolve_policy
    from hnsubmit.client.api import ExchangeClient
    from hnsubmit.client.policy_cache import cached_policy, refresh_policy

    draft = _docx(tmp_path / "稿件.docx", ["李四州长出席会议，海南洲各单位再接再励。"])
    office = {("PRF007", "李四州长"), ("PRF001", "海南洲")}
    from hnsubmit.client.proofing_cache import cached_lists

    with ExchangeClient(office_server.url, None) as client:
        online = refresh_policy(client)
    assert cached_lists(office_server.url) is not None, office_server.log()[-3000:]
    assert online.proofing.served == str(cached_lists(office_server.url))
    assert _prf(draft, online) == office  # 再接再励 is off in the office's lists
    assert "海南州词表.csv" not in online.to_dict()["proofing"]["terms"]  # a server path is never used here
    offline = cached_policy(office_server.url)
    assert _prf(draft, offline) == office
    assert _prf(draft, resolve_policy(None, server=office_server.url)) == office
    with ExchangeClient(office_server.url, None) as client:  # revalidated (304): the same copy
        assert _prf(draft, refresh_policy(client)) == office


def test_server_policy_without_cached_lists_uses_builtin_lists_only(tmp_path):
    from hnsubmit.client.proofing_cache import with_server_lists
    from hnsubmit.policy.model import policy_from_dict

    served = policy_from_dict({"proofing": {"terms": ["builtin:words", "/srv/office/词表.csv"], "leaders": "/srv/office/领导.csv"}},
                              "server http://nowhere.invalid")
    policy = with_server_lists("http://nowhere.invalid", served)
    draft = _docx(tmp_path / "稿件.docx", ["李四州长出席会议，各单位再接再励。"])
    assert _prf(draft, policy) == {("PRF001", "再接再励")}
