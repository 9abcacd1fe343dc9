"""The review console over plain HTTP (issue 16), without a browser: the session cookie's flags (Secure over
TLS), CSRF on every form, the Content-Security-Policy, revocation with the token, one-time links, the
approver's queue and return, previews cached by digest (photo thumbnail, video poster), report downloads,
and the Word body's sanitiser.  Against the real exchange server (`hnsubmit serve`, tests/exchange/harness.py)."""

from __future__ import annotations

import io
import re
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from console_items import docx_bytes, jpeg_bytes, submit_item

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[1]
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from exchange.harness import start_server

    s = start_server(tmp_path_factory.mktemp("console-http") / "data")
    yield s
    s.stop()
    assert "Traceback" not in s.log(), s.log()[-3000:]


def _client(server) -> httpx.Client:
    return httpx.Client(base_url=server.url, follow_redirects=False, timeout=30)


def _sign_in(c: httpx.Client, token: str) -> httpx.Response:
    page = c.get("/console/signin")
    return c.post("/console/signin", data={"token": token, "csrf": CSRF.search(page.text).group(1)})


def _csrf(c: httpx.Client, path: str) -> str:
    r = c.get(path)
    assert r.status_code == 200, r.text[:500]
    return CSRF.search(r.text).group(1)


def test_pages_carry_a_policy_without_scripts_and_the_cookie_is_strict(server):
    assert f"{server.url}/console/" in server.log()  # `hnsubmit serve` says where the console is
    with _client(server) as c:
        r = c.get("/console/")
        assert (r.status_code, r.headers["location"]) == (303, "/console/signin")
        page = c.get("/console/signin")
        csp = page.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["cache-control"] == "no-store"
        assert "<script" not in page.text.lower() and " style=" not in page.text
        r = c.post("/console/signin", data={"token": server.tokens["reviewer"], "csrf": CSRF.search(page.text).group(1)})
        assert (r.status_code, r.headers["location"]) == (303, "/console/")
        cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("hn_console="))
        flags = {f.strip().lower() for f in cookie.split(";")[1:]}
        assert {"httponly", "samesite=strict", "path=/console", "max-age=7200"} <= flags
        assert "secure" not in flags  # plain http (loopback): a Secure cookie would never come back
        queue = c.get("/console/")
        assert queue.status_code == 200 and "待审队列" in queue.text
        assert "<script" not in queue.text.lower()
        assert c.get("/console/static/console.css").headers["content-type"].startswith("text/css")
    with _client(server) as proxied:  # behind the office's HTTPS reverse proxy
        page = proxied.get("/console/signin", headers={"X-Forwarded-Proto": "https"})
        pre = next(h for h in page.headers.get_list("set-cookie") if h.startswith("hn_console_csrf="))
        assert "secure" in pre.lower()
        # this client speaks plain http to the server, as the proxy does, and would not send a Secure cookie back
        proxied.cookies.clear()
        proxied.cookies.set("hn_console_csrf", pre.split(";")[0].partition("=")[2])
        r = proxied.post("/console/signin", data={"token": server.tokens["reviewer"], "csrf": CSRF.search(page.text).group(1)},
                         headers={"X-Forwarded-Proto": "https"})
        cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("hn_console="))
        assert "secure" in {f.strip().lower() for f in cookie.split(";")[1:]}


def test_the_session_file_does_not_hold_the_cookie_value(server):
    with _client(server) as c:
        _sign_in(c, server.tokens["reviewer"])
        value = c.cookies["hn_console"]
    stored = "".join(p.read_text() for p in (server.data_dir / "console" / "sessions").glob("*.json"))
    assert stored and value not in stored and server.tokens["reviewer"] not in stored


def test_a_unit_token_cannot_sign_in(server):
    with _client(server) as c:
        r = _sign_in(c, server.tokens["unit"])
        assert r.status_code == 403 and "单位(信息员)凭据不能登录审核台" in r.text
        assert "hn_console" not in c.cookies
        r = _sign_in(c, "x" * 43)
        assert r.status_code == 401 and "hn_console" not in c.cookies


def test_every_form_needs_its_csrf_token(server):
    sid = submit_item(server, "unit", "共和县CSRF表单测试", docx_bytes(1))
    with _client(server) as c:
        # sign-in: without the token, or with one that is not the cookie's
        c.get("/console/signin")
        assert c.post("/console/signin", data={"token": server.tokens["reviewer"]}).status_code == 403
        assert c.post("/console/signin", data={"token": server.tokens["reviewer"], "csrf": "y" * 43}).status_code == 403
        assert "hn_console" not in c.cookies
        _sign_in(c, server.tokens["reviewer"])
        # an action without the token, with another session's token, then with its own
        r = c.post(f"/console/items/{sid}/action", data={"action": "reject", "reason": "伪造"})
        assert r.status_code == 403 and "表单已过期" in r.text
        with _client(server) as other:
            _sign_in(other, server.tokens["admin"])
            foreign = _csrf(other, "/console/")
        assert c.post(f"/console/items/{sid}/action", data={"action": "reject", "reason": "伪造", "csrf": foreign}).status_code == 403
        with server.client("reviewer") as api:
            assert api.get(f"/api/v1/submissions/{sid}").json()["state"] == "received"
        token = _csrf(c, f"/console/items/{sid}")
        # a rejection without a reason is refused by the service, as over the API
        r = c.post(f"/console/items/{sid}/action", data={"action": "reject", "reason": " ", "csrf": token})
        assert r.status_code == 422 and "退回须说明理由" in r.text
        r = c.post(f"/console/items/{sid}/action", data={"action": "reject", "reason": "标题不规范", "csrf": token})
        assert (r.status_code, r.headers["location"]) == (303, f"/console/items/{sid}?done=reject")
        with server.client("reviewer") as api:
            assert api.get(f"/api/v1/submissions/{sid}").json()["state"] == "rejected"
        # sign-out needs it too
        assert c.post("/console/signout", data={}).status_code == 403
        assert c.get("/console/").status_code == 200
        old = c.cookies["hn_console"]
        r = c.post("/console/signout", data={"csrf": token})
        assert (r.status_code, r.headers["location"]) == (303, "/console/signin")
    with httpx.Client(base_url=server.url, follow_redirects=False, cookies={"hn_console": old}) as replay:
        assert replay.get("/console/").status_code == 303  # the old cookie names no session any more


def test_revoking_the_token_ends_its_sessions(server):
    from hnsubmit.exchange.auth import issue_token
    from hnsubmit.exchange.context import open_exchange, utcnow

    ex = open_exchange(server.data_dir, create=False)
    try:
        secret, token = issue_token(ex.storage, "reviewer", None, "console revocation test", utcnow())
    finally:
        ex.close()
    with _client(server) as c:
        _sign_in(c, secret)
        assert c.get("/console/").status_code == 200
        with server.client("admin") as admin:
            assert admin.delete(f"/api/v1/tokens/{token.token_id}").status_code == 204
        r = c.get("/console/")
        assert (r.status_code, r.headers["location"]) == (303, "/console/signin")


def test_a_one_time_link_signs_in_once(server):
    from hnsubmit.exchange.auth import issue_token
    from hnsubmit.exchange.console.sessions import create_link
    from hnsubmit.exchange.context import open_exchange, utcnow

    ex = open_exchange(server.data_dir, create=False)
    try:
        _secret, token = issue_token(ex.storage, "reviewer", None, "console link test", utcnow())
        nonce = create_link(server.data_dir, token.token_id, utcnow())
    finally:
        ex.close()
    with _client(server) as c:
        page = c.get(f"/console/link/{nonce}")  # a link previewer's GET uses nothing
        assert page.status_code == 200 and "hn_console" not in c.cookies
        assert c.post(f"/console/link/{nonce}", data={}).status_code == 403
        r = c.post(f"/console/link/{nonce}", data={"csrf": CSRF.search(page.text).group(1)})
        assert (r.status_code, r.headers["location"]) == (303, "/console/")
        assert c.get("/console/").status_code == 200
    with _client(server) as again:
        page = again.get(f"/console/link/{nonce}")
        assert page.status_code == 410


def test_secure_cookie_over_tls(tmp_path):
    import trustme
    import uvicorn

    from hnsubmit.exchange.app import create_app
    from hnsubmit.exchange.auth import issue_token
    from hnsubmit.exchange.context import open_exchange, utcnow

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    key_file, cert_file, ca_file = tmp_path / "server.key", tmp_path / "server.pem", tmp_path / "ca.pem"
    cert.private_key_pem.write_to_path(str(key_file))
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    ca.cert_pem.write_to_path(str(ca_file))
    ex = open_exchange(tmp_path / "data")
    secret, _ = issue_token(ex.storage, "reviewer", None, "tls console", utcnow())
    ex.close()
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(tmp_path / "data"), log_level="warning",
                                           ssl_keyfile=str(key_file), ssl_certfile=str(cert_file)))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive()
            time.sleep(0.02)
        import ssl

        verify = ssl.create_default_context(cafile=str(ca_file))
        with httpx.Client(base_url=f"https://127.0.0.1:{port}", verify=verify, follow_redirects=False) as c:
            page = c.get("/console/signin")
            pre = next(h for h in page.headers.get_list("set-cookie") if h.startswith("hn_console_csrf="))
            assert "secure" in pre.lower()
            r = c.post("/console/signin", data={"token": secret, "csrf": CSRF.search(page.text).group(1)})
            cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("hn_console="))
            assert {"secure", "httponly", "samesite=strict"} <= {f.strip().lower() for f in cookie.split(";")[1:]}
    finally:
        server.should_exit = True
        thread.join(15)


def test_previews_are_made_once_and_cached_by_digest(server):
    from exchange.harness import digest_of

    photo = jpeg_bytes(1200, 1600, seed=3)  # portrait
    sid = submit_item(server, "unit", "共和县缩略图缓存测试", docx_bytes(2), [photo])
    with _client(server) as c:
        _sign_in(c, server.tokens["reviewer"])
        page = c.get(f"/console/items/{sid}")
        assert "州政府办公室召开冬春农牧业生产工作会议" in page.text
        r = c.get(f"/console/items/{sid}/files/1/thumb")
        assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
        from PIL import Image

        assert Image.open(io.BytesIO(r.content)).size == (270, 360)
        cached = server.data_dir / "console" / "cache" / "thumbs" / (digest_of(photo).split(":")[1] + ".jpg")
        assert cached.read_bytes() == r.content
        before = cached.stat().st_mtime_ns
        assert c.get(f"/console/items/{sid}/files/1/thumb").content == r.content
        assert cached.stat().st_mtime_ns == before  # served from the cache, not made again
        original = c.get(f"/console/items/{sid}/files/1")
        assert original.content == photo and original.headers["content-type"] == "application/octet-stream"
        assert "attachment" in original.headers["content-disposition"]
        assert c.get(f"/console/items/{sid}/files/9/thumb").status_code == 404
    with _client(server) as anonymous:
        assert anonymous.get(f"/console/items/{sid}/files/1/thumb").status_code == 401
        assert anonymous.get(f"/console/items/{sid}/files/1").status_code == 303


def test_a_video_shows_its_first_frame_and_duration(server):
    video = next((REPO / "examples" / "submissions").rglob("*.wmv")).read_bytes()
    digest = server.upload("unit", video)
    import uuid

    manifest = {
        "title": "共和县宣传片", "unit": "632521", "column": "county-news", "category": "other",
        "liaison": {"name": "李四", "phone": "0974-8512655"},
        "approval": {"approver": "王五", "approved_at": "2026-11-17T09:30:00+08:00"},
        "files": [{"path": "宣传片.wmv", "role": "video", "digest": digest, "size": len(video)}],
    }
    r = server.submit("unit", manifest, str(uuid.uuid4()))
    assert r.status_code == 201, r.text
    sid = r.json()["submission_id"]
    with _client(server) as c:
        _sign_in(c, server.tokens["reviewer"])
        page = c.get(f"/console/items/{sid}")
        assert re.search(r"时长 \d+:\d\d", page.text), page.text
        poster = c.get(f"/console/items/{sid}/files/0/poster")
        assert poster.status_code == 200 and poster.content[:3] == b"\xff\xd8\xff"


def test_weekly_report_page_and_downloads(server):
    with _client(server) as c:
        _sign_in(c, server.tokens["reviewer"])
        page = c.get("/console/reports")
        assert page.status_code == 200 and "<svg" in page.text and "共和县人民政府" in page.text
        week = re.search(r'name="week" type="week" value="([0-9]{4}-W[0-9]{2})"', page.text).group(1)
        csv = c.get(f"/console/reports/weekly.csv?week={week}")
        assert csv.content.startswith(b"\xef\xbb\xbf") and "单位代码" in csv.content.decode("utf-8-sig")
        assert "attachment" in csv.headers["content-disposition"]
        from openpyxl import load_workbook

        xlsx = c.get(f"/console/reports/weekly.xlsx?week={week}")
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert "单位代码" in [cell.value for cell in sheet[3]]
        assert c.get("/console/reports?week=2026-W99").status_code == 422
        # the column freshness report (exchange/columns.py), as the API gives it
        with server.client("reviewer") as api:
            columns = api.get("/api/v1/reports/columns").json()
        assert "栏目更新情况" in page.text and "县区动态" in page.text
        assert page.text.count('class="fresh-') == len(columns["rows"])
        state_words = {"ok": "正常", "due_soon": "即将超期", "overdue": "已超期"}
        county = next(r for r in columns["rows"] if r["column"] == "county-news")
        row = re.search(r'<tr class="fresh-(\w+)"><th scope="row">县区动态</th>.*?</tr>', page.text, re.S)
        assert row.group(1) == county["state"] and state_words[county["state"]] in row.group(0)
        fresh = c.get(f"/console/reports/columns.csv?quarter={columns['quarter']}").content.decode("utf-8-sig")
        assert fresh.splitlines()[0].startswith("栏目,类型,期限(天)") and len(fresh.splitlines()) == 1 + len(columns["rows"])
        assert c.get("/console/reports?quarter=2026-Q9").status_code == 422
        assert c.get("/console/reports/other.csv").status_code == 404


def test_the_approver_sees_the_units_waiting_items_and_returns_one(tmp_path):
    from exchange.harness import start_server
    from hnsubmit.exchange.auth import issue_token
    from hnsubmit.exchange.context import open_exchange, utcnow

    policy = (REPO / "hnsubmit" / "policy" / "default.toml").read_text(encoding="utf-8")
    assert 'mode = "declared"' in policy
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text(policy.replace('mode = "declared"', 'mode = "approver"', 1), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    ex = open_exchange(data)
    try:
        approver, _ = issue_token(ex.storage, "approver", "632521", "共和县审批人", utcnow(), name="王五")
        issue_token(ex.storage, "approver", "632522", "同德县审批人", utcnow(), name="王五")
    finally:
        ex.close()
    s = start_server(data, policy_file)
    try:
        waiting = submit_item(s, "unit", "共和县待审批信息", docx_bytes(1))
        other = submit_item(s, "unit_b", "同德县待审批信息", docx_bytes(1))
        with _client(s) as c:
            _sign_in(c, approver)
            queue = c.get("/console/")
            assert "共和县待审批信息" in queue.text and "同德县待审批信息" not in queue.text
            assert 'id="f-unit"' not in queue.text  # the approver's unit is fixed
            assert c.get(f"/console/items/{other}").status_code == 404  # another unit's item
            item = c.get(f"/console/items/{waiting}")
            assert 'value="return"' in item.text and 'value="reject"' not in item.text
            token = CSRF.search(item.text).group(1)
            r = c.post(f"/console/items/{waiting}/action", data={"action": "return", "reason": "", "csrf": token})
            assert r.status_code == 422
            r = c.post(f"/console/items/{waiting}/action", data={"action": "return", "reason": "请补充会议时间", "csrf": token})
            assert r.status_code == 303
            # a reviewer's action is not the approver's to take
            r = c.post(f"/console/items/{waiting}/action", data={"action": "accept", "csrf": token})
            assert r.status_code == 403
        with s.client("unit") as api:
            detail = api.get(f"/api/v1/submissions/{waiting}").json()
        assert (detail["state"], detail["reason"]) == ("returned", "请补充会议时间")
    finally:
        s.stop()


def test_the_word_body_is_sanitised():
    from hnsubmit.exchange.console.previews import sanitise

    dirty = ('<h1>标题</h1><p onclick="x()">正文<script>alert(1)</script></p><a href="javascript:alert(1)">链接</a>'
             '<img src=x onerror=alert(1)><iframe src="https://example.org"></iframe><a href="https://www.hainanzhou.gov.cn/">门户</a>')
    clean = sanitise(dirty)
    assert "<script" not in clean and "onclick" not in clean and "javascript:" not in clean
    assert "<img" not in clean and "<iframe" not in clean
    assert "<h3>标题</h3>" in clean  # moved below the page's own headings
    assert 'href="https://www.hainanzhou.gov.cn/"' in clean and "noopener" in clean



def test_wechat_renditions_are_shown_beside_their_original(server):
    import uuid

    photo, cover = jpeg_bytes(1600, 1200, seed=11), jpeg_bytes(900, 383, seed=12)
    manifest = {
        "title": "共和县微信版本测试", "unit": "632521", "column": "county-news", "category": "meetings",
        "liaison": {"name": "李四", "phone": "0974-8512655"},
        "approval": {"approver": "王五", "approved_at": "2026-11-17T09:30:00+08:00"},
        "channels": ["portal", "wechat"],
        "files": [{"path": "会场照片1.jpg", "role": "image", "digest": server.upload("unit", photo), "size": len(photo)}],
        "renditions": [{"channel": "wechat", "source": "会场照片1.jpg", "path": "renditions/wechat/会场照片1-cover-2.35.jpg",
                        "kind": "cover-2.35", "digest": server.upload("unit", cover), "size": len(cover)}],
    }
    r = server.submit("unit", manifest, str(uuid.uuid4()))
    assert r.status_code == 201, r.text
    sid = r.json()["submission_id"]
    with _client(server) as c:
        _sign_in(c, server.tokens["reviewer"])
        page = c.get(f"/console/items/{sid}")
        section = page.text[page.text.index('id="h-renditions"'):page.text.index('id="h-body"')]
        assert "由 会场照片1.jpg 制作" in section and "封面 2.35:1" in section and "微信公众号" in section
        assert f"/console/items/{sid}/renditions/0/thumb" in section
        thumb = c.get(f"/console/items/{sid}/renditions/0/thumb")
        from PIL import Image

        assert thumb.status_code == 200 and Image.open(io.BytesIO(thumb.content)).size == (360, 153)
        assert c.get(f"/console/items/{sid}/renditions/0").content == cover
        assert c.get(f"/console/items/{sid}/renditions/1").status_code == 404
        assert c.get(f"/console/items/{sid}/elsewhere/0").status_code == 404
    with _client(server) as other:  # another unit's approver or liaison never gets here: a unit cannot sign in
        assert other.get(f"/console/items/{sid}/renditions/0").status_code == 303


def test_english_on_request_and_no_open_redirect(server):
    with _client(server) as c:
        _sign_in(c, server.tokens["reviewer"])
        r = c.get("/console/lang", params={"to": "en", "next": "/console/reports"})
        assert (r.status_code, r.headers["location"]) == (303, "/console/reports")
        page = c.get("/console/")
        assert '<html lang="en">' in page.text and "<h1>Queue</h1>" in page.text and "received" in page.text
        for target in ("https://evil.example/", "//evil.example/console/", "/console/..//evil", "/api/v1/whoami"):
            r = c.get("/console/lang", params={"to": "zh", "next": target})
            assert r.headers["location"] == "/console/", target
        assert "<h1>待审队列</h1>" in c.get("/console/").text


def test_findings_stored_at_arrival_are_shown_in_the_readers_words(server):
    sid = submit_item(server, "unit", "共和县再接再励推进春耕生产", docx_bytes(1))
    with _client(server) as c:
        _sign_in(c, server.tokens["reviewer"])
        deadline = time.monotonic() + 60
        while True:  # the arrival check runs after the receipt (a background task): wait for it, not for a time
            page = c.get(f"/console/items/{sid}")
            section = page.text[page.text.index('id="h-findings"'):page.text.index('id="h-files"')]
            if "仍在检查" not in section or time.monotonic() > deadline:
                break
            time.sleep(0.3)
    assert '<span class="code">PRF001</span>' in section, section
    assert "再接再励" in section and "再接再厉" in section  # the rule's message, filled in Chinese
    assert 'class="sev sev-' in section and "title" in section  # where: the manifest's field
