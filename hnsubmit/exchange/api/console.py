"""The review console's HTTP surface (issue 16): `/console/…`, server-rendered HTML for the office's reviewers,
the units' approvers and the admins.

Sign-in turns a reviewer, approver or admin token into a session cookie (HttpOnly, SameSite=Strict, Secure
over TLS, two hours, ended with its token: exchange/console/sessions.py).  Every form that changes
something carries the session's CSRF token (the sign-in form a pre-session one, double-submitted with a
cookie); every page is sent with a Content-Security-Policy that allows no script at all.  What a page shows
and does comes from exchange/console/views.py, which calls the same services as the JSON API.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Optional
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from hnsubmit.exchange.console import charts, exports, previews, sessions, views
from hnsubmit.exchange.console.templating import gettext_for, render
from hnsubmit.exchange.context import Exchange, utcnow
from hnsubmit.exchange.problems import ExchangeError
from hnsubmit.i18n import N_

router = APIRouter(prefix="/console", include_in_schema=False)

SESSION_COOKIE = "hn_console"
PRE_COOKIE = "hn_console_csrf"  # the sign-in form's CSRF value before there is a session
LANG_COOKIE = "hn_console_lang"
STATIC = Path(__file__).resolve().parents[1] / "console" / "static"
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
MAX_FORM = 16_384
NOTICES = {"accept": N_("Accepted: the item is published."), "reject": N_("Rejected: the unit sees your reason."),
           "withdraw": N_("Withdrawn."), "approve": N_("Approved: the item goes on to the office's queue."),
           "return": N_("Returned: the liaison sees your reason.")}
CANNOT = N_("The console could not do this")
XLSX_TITLE = N_("Portal submissions by unit, %(week)s")
COLUMNS_TITLE = N_("Column freshness of the portal as of %(day)s")


def _lang(request: Request) -> str:
    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "zh"


def _secure(request: Request) -> bool:
    """Over TLS, or behind an HTTPS reverse proxy that says so (docs/deployment.md: nginx
    `proxy_set_header X-Forwarded-Proto $scheme`). Believing the header can only add the Secure flag, which
    a client faking it would only lose its own sign-in to, so it is read from any peer."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _headers(response: Response, cache: str = "no-store") -> Response:
    response.headers.update(SECURITY_HEADERS)
    response.headers["Cache-Control"] = cache
    return response


def _set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/console", httponly=True, samesite="strict",
                        secure=_secure(request))


def _page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    lang = _lang(request)
    here = request.url.path + (("?" + request.url.query) if request.url.query else "")
    html = render(template, lang, here=here, **context)
    return _headers(HTMLResponse(html, status_code=status))


def _to_signin(request: Request) -> Response:
    return _headers(RedirectResponse("/console/signin", status_code=303))


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_FORM or "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
        return {}
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


class _Signed:
    def __init__(self, request: Request, session: sessions.Session, who) -> None:
        self.request, self.session, self.who = request, session, who
        self.ex: Exchange = request.app.state.exchange
        self.lang = _lang(request)
        self.gettext = gettext_for(self.lang)
        self._words: views.Words | None = None

    @property
    def words(self) -> views.Words:
        """The units' and columns' names (two queries): only for pages, not for a thumbnail or a download."""
        if self._words is None:
            self._words = views.Words(self.ex, self.lang, self.gettext)
        return self._words

    def context(self, page: str) -> dict:
        label = self.words.role(self.who.role) + (f" · {self.words.unit(self.who.unit.code)}" if self.who.unit else "")
        return {"who": self.who, "who_label": label, "csrf": self.session.csrf, "page": page, "words": self.words}


def _resolve(request: Request) -> Optional[_Signed]:
    ex: Exchange = request.app.state.exchange
    found = sessions.resolve(ex.storage, ex.data_dir, request.cookies.get(SESSION_COOKIE), utcnow())
    if not found:
        return None
    signed = _Signed(request, *found)
    signed.words  # the names a page shows, read here in the worker thread: no storage call on the event loop
    return signed


async def _signed(request: Request) -> Optional[_Signed]:
    return await run_in_threadpool(_resolve, request)


def _error_page(request: Request, exc: ExchangeError, signed: Optional[_Signed] = None, back: str = "") -> HTMLResponse:
    lang = _lang(request)
    ctx = signed.context("") if signed else {}
    heading = gettext_for(lang)(CANNOT)
    return _page(request, "error.html", status=exc.status, heading=heading,
                 message=exc.zh if lang == "zh" else exc.en, back=back, **ctx)


def _csrf_refused(request: Request, signed: Optional[_Signed] = None) -> HTMLResponse:
    return _error_page(request, ExchangeError(
        403, "csrf", "表单已过期或不是从审核台提交的,请刷新页面后重试。",
        "The form has expired or was not sent from the console; reload the page and try again."), signed)


# -- sign-in and sign-out ----------------------------------------------------------------------
@router.get("")
def console_root() -> Response:
    return _headers(RedirectResponse("/console/", status_code=308))


def _signin_page(request: Request, error: str = "", status: int = 200) -> HTMLResponse:
    pre = request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(32)
    response = _page(request, "signin.html", status=status, csrf=pre, error=error)
    _set_cookie(request, response, PRE_COOKIE, pre, 1800)
    return response


@router.get("/signin")
async def signin_form(request: Request) -> Response:
    if await _signed(request):
        return _headers(RedirectResponse("/console/", status_code=303))
    return _signin_page(request)


@router.post("/signin")
async def signin(request: Request) -> Response:
    form = await _form(request)
    pre = request.cookies.get(PRE_COOKIE)
    if not pre or not sessions.csrf_ok(pre, form.get("csrf")):
        return _csrf_refused(request)
    ex: Exchange = request.app.state.exchange
    secret = form.get("token", "").strip()
    lang = _lang(request)
    try:
        session, _who = await run_in_threadpool(sessions.sign_in, ex.storage, ex.data_dir, secret, utcnow())
    except ExchangeError as exc:
        if exc.status == 401:
            address = request.client.host if request.client else ""
            wait = request.app.state.auth_throttle.failed(address, secret)
            if wait:
                exc = ExchangeError(429, "too_many_failures", f"凭据验证失败次数过多,请 {wait:.0f} 秒后再试。",
                                    f"Too many failed authentications; retry in {wait:.0f} s.")
        return _signin_page(request, exc.zh if lang == "zh" else exc.en, status=exc.status)
    await run_in_threadpool(sessions.drop_expired, ex.data_dir, utcnow())
    return _started(request, session)


def _started(request: Request, session: sessions.Session) -> Response:
    response = _headers(RedirectResponse("/console/", status_code=303))
    _set_cookie(request, response, SESSION_COOKIE, session.session_id, int(sessions.SESSION_LIFETIME.total_seconds()))
    response.delete_cookie(PRE_COOKIE, path="/console")
    return response


@router.get("/link/{nonce}")
async def link_form(request: Request, nonce: str) -> Response:
    ex: Exchange = request.app.state.exchange
    valid = await run_in_threadpool(sessions.link_valid, ex.data_dir, nonce, utcnow())
    pre = request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(32)
    response = _page(request, "link.html", status=200 if valid else 410, valid=valid, nonce=quote(nonce, safe=""),
                     csrf=pre)
    _set_cookie(request, response, PRE_COOKIE, pre, 1800)
    return response


@router.post("/link/{nonce}")
async def link_use(request: Request, nonce: str) -> Response:
    form = await _form(request)
    pre = request.cookies.get(PRE_COOKIE)
    if not pre or not sessions.csrf_ok(pre, form.get("csrf")):
        return _csrf_refused(request)
    ex: Exchange = request.app.state.exchange
    found = await run_in_threadpool(sessions.use_link, ex.storage, ex.data_dir, nonce, utcnow())
    if found is None:
        return _page(request, "link.html", status=410, valid=False, nonce="", csrf="")
    return _started(request, found[0])


@router.post("/signout")
async def signout(request: Request) -> Response:
    signed = await _signed(request)
    form = await _form(request)
    if signed is None:
        return _to_signin(request)
    if not sessions.csrf_ok(signed.session.csrf, form.get("csrf")):
        return _csrf_refused(request, signed)
    await run_in_threadpool(sessions.end, signed.ex.data_dir, signed.session.session_id)
    response = _to_signin(request)
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response


@router.get("/lang")
def set_language(request: Request, to: str = "zh", next: str = "/console/") -> Response:
    target = next if next.startswith("/console/") and "//" not in next and "\\" not in next else "/console/"
    response = _headers(RedirectResponse(target, status_code=303))
    _set_cookie(request, response, LANG_COOKIE, "en" if to == "en" else "zh", 365 * 86400)
    return response


@router.get("/static/console.css")
def stylesheet() -> Response:
    return _headers(FileResponse(STATIC / "console.css", media_type="text/css"), cache="public, max-age=3600")


@router.get("/static/favicon.svg")
def favicon() -> Response:
    return _headers(FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml"), cache="public, max-age=86400")


# -- the queue ---------------------------------------------------------------------------------
@router.get("/")
async def queue_page(request: Request, unit: str = "", column: str = "", state: str = "", week: str = "",
                     page: int = 1) -> Response:
    signed = await _signed(request)
    if signed is None:
        return _to_signin(request)
    who, ex = signed.who, signed.ex
    if not state:
        state = views.default_state(who)
    shown_state = state if state in views.STATES else None

    def build() -> dict:
        return views.queue(ex, who, unit=unit[:40] or None, column=column[:64] or None, state=shown_state,
                           week=week[:8] or None, page=max(1, min(page, 1_000_000)))

    try:
        q = await run_in_threadpool(build)
    except ExchangeError as exc:
        return _error_page(request, exc, signed)
    words = signed.words

    def link(**changes) -> str:
        params = {"unit": q["unit"] if who.unit is None else None, "column": q["column"],
                  "state": q["state"] or "all", "week": q["week"], "page": q["page"]}
        params.update(changes)
        return "/console/?" + urlencode({k: v for k, v in params.items() if v})

    units = [u for u in words.units.values() if u.active]
    columns = [{"id": c.id, "name": words.column(c.id)} for c in words.columns.values()]
    states = [(s, words.state(s)) for s in views.STATES]
    return _page(request, "queue.html", q=q, units=units, columns=columns, states=states, link=link,
                 fixed_unit=who.unit is not None, time=views.local_time,
                 week_name=views.week_label(q["week"], signed.lang) if q["week"] else "", **signed.context("queue"))


# -- an item -----------------------------------------------------------------------------------
@router.get("/items/{submission_id}")
async def item_page(request: Request, submission_id: str, done: str = "") -> Response:
    signed = await _signed(request)
    if signed is None:
        return _to_signin(request)
    try:
        it = await run_in_threadpool(views.item, signed.ex, signed.who, submission_id[:64], signed.words)
        findings = await run_in_threadpool(views.findings, signed.ex, signed.who, it["id"], signed.lang,
                                           signed.gettext, getattr(request.app.state, "arrival", None))
    except ExchangeError as exc:
        return _error_page(request, exc, signed)
    notice = signed.gettext(NOTICES[done]) if done in NOTICES else ""
    words_role = lambda role: signed.gettext(views.FILE_ROLES[role]) if role in views.FILE_ROLES else role  # noqa: E731
    return _page(request, "item.html", it=it, findings=findings, notice=notice, words_role=words_role,
                 **signed.context("item"))


@router.post("/items/{submission_id}/action")
async def item_action(request: Request, submission_id: str) -> Response:
    signed = await _signed(request)
    form = await _form(request)
    if signed is None:
        return _to_signin(request)
    if not sessions.csrf_ok(signed.session.csrf, form.get("csrf")):
        return _csrf_refused(request, signed)
    action = form.get("action", "")
    try:
        done = await run_in_threadpool(views.act, signed.ex, signed.who, submission_id[:64], action,
                                       form.get("reason", "")[:2000], utcnow())
    except ExchangeError as exc:
        return _error_page(request, exc, signed, back=f"/console/items/{quote(submission_id[:64])}")
    return _headers(RedirectResponse(f"/console/items/{quote(done['submission_id'])}?done={quote(action)}",
                                     status_code=303))


def _file_for(request: Request, submission_id: str, index: int, which: str = "files"):
    """(session, file entry, whether the blob is held) in one worker-thread call; (None, None, False) if signed out.
    ExchangeError 404 for a submission the reader may not see or a file it does not have."""
    ex: Exchange = request.app.state.exchange
    found = sessions.resolve(ex.storage, ex.data_dir, request.cookies.get(SESSION_COOKIE), utcnow())
    if found is None:
        return None, None, False
    signed = _Signed(request, *found)
    f = views.file_at(ex, signed.who, submission_id[:64], index, which)
    return signed, f, ex.blobs.has(f["digest"])


@router.get("/items/{submission_id}/{which}/{index}")
async def file_download(request: Request, submission_id: str, which: str, index: int) -> Response:
    """An original file (`files/N`) or a channel rendition (`renditions/N`), as an attachment."""
    if which not in ("files", "renditions"):
        return _error_page(request, ExchangeError(404, "not_found", "没有这个地址。", "No such address."))
    try:
        signed, f, held = await run_in_threadpool(_file_for, request, submission_id, index, which)
    except ExchangeError as exc:
        return _error_page(request, exc)
    if signed is None:
        return _to_signin(request)
    if not held:
        return _error_page(request, ExchangeError(404, "not_found", "服务器上没有这个文件的内容。",
                                                  "The server does not hold this file's content."), signed)
    name = f["name"] or "file"
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}"}
    size = await run_in_threadpool(signed.ex.blobs.size, f["digest"])
    if size is not None:
        headers["Content-Length"] = str(size)
    chunks = signed.ex.blobs.read(f["digest"])
    response = StreamingResponse(iterate_in_threadpool(chunks), media_type="application/octet-stream", headers=headers)
    return _headers(response, cache="private, no-store")


def _preview_for(request: Request, submission_id: str, index: int, make, which: str = "files"):
    signed, f, held = _file_for(request, submission_id, index, which)
    if signed is None:
        return 401, None
    path = make(signed.ex, f["digest"]) if held else None
    # a thumbnail is tens of kB: read here, in the same worker thread, rather than by FileResponse's own hops
    return (200, path.read_bytes()) if path is not None else (404, None)


async def _preview(request: Request, submission_id: str, index: int, make, which: str = "files") -> Response:
    try:
        status, body = await run_in_threadpool(_preview_for, request, submission_id, index, make, which)
    except ExchangeError:
        return _headers(Response(status_code=404))
    if body is None:
        return _headers(Response(status_code=status))
    # a preview never changes for a digest; private: it is only for the signed-in reader
    return _headers(Response(body, media_type="image/jpeg"), cache="private, max-age=86400")


@router.get("/items/{submission_id}/files/{index}/thumb")
async def file_thumbnail(request: Request, submission_id: str, index: int) -> Response:
    return await _preview(request, submission_id, index, previews.thumbnail)


@router.get("/items/{submission_id}/renditions/{index}/thumb")
async def rendition_thumbnail(request: Request, submission_id: str, index: int) -> Response:
    return await _preview(request, submission_id, index, previews.thumbnail, "renditions")


@router.get("/items/{submission_id}/files/{index}/poster")
async def file_poster(request: Request, submission_id: str, index: int) -> Response:
    return await _preview(request, submission_id, index, previews.poster)


# -- reports -----------------------------------------------------------------------------------
def _weekly(signed: _Signed, week: str):
    try:
        return views.weekly(signed.ex, signed.who, week[:8] or None)
    except ValueError:
        raise ExchangeError(422, "invalid_request", f"不是有效的 ISO 周:{week[:20]}", f"Not a valid ISO week: {week[:20]}") from None


def _freshness(signed: _Signed, quarter: str):
    try:
        return views.freshness(signed.ex, signed.who, quarter[:8] or None, signed.lang, signed.gettext)
    except ValueError:
        raise ExchangeError(422, "invalid_request", f"不是有效的季度:{quarter[:20]}", f"Not a valid quarter: {quarter[:20]}") from None


def _freshness_chart(signed: _Signed, report: dict) -> str:
    _ = signed.gettext
    rows = [(r["name"], r["days_since"] if r["days_since"] is not None else r["max_days"], f"chart-bar-{r['state']}")
            for r in report["rows"]]
    return charts.bar_chart(_("Days since each column's last published item (one never published is drawn at its limit)"), rows, unit=_(" d"))


@router.get("/reports")
async def reports_page(request: Request, week: str = "", quarter: str = "") -> Response:
    signed = await _signed(request)
    if signed is None:
        return _to_signin(request)
    try:
        report = await run_in_threadpool(_weekly, signed, week)
        freshness = await run_in_threadpool(_freshness, signed, quarter)
    except ExchangeError as exc:
        return _error_page(request, exc, signed)
    _ = signed.gettext
    required = report.get("required_per_week", 3)
    chart = charts.bar_chart(_("Items sent by each unit this week"), [(r["name"], r["sent"]) for r in report["rows"]],
                             marker=required, marker_label=_("required: %(n)s") % {"n": required})
    headers, table = views.weekly_table(report, _)
    fresh_headers, fresh_table = views.freshness_table(freshness, _)
    return _page(request, "reports.html", report=report, chart=chart, headers=headers, table=table,
                 week_name=views.week_label(report["week"], signed.lang), freshness=freshness,
                 fresh_chart=_freshness_chart(signed, freshness), fresh_headers=fresh_headers,
                 fresh_rows=[(r["state"], row) for r, row in zip(freshness["rows"], fresh_table)],
                 **signed.context("reports"))


@router.get("/reports/{which}.{fmt}")
async def report_download(request: Request, which: str, fmt: str, week: str = "", quarter: str = "") -> Response:
    signed = await _signed(request)
    if signed is None:
        return _to_signin(request)
    if fmt not in ("csv", "xlsx") or which not in ("weekly", "columns"):
        return _error_page(request, ExchangeError(404, "not_found", "没有这个报表。", "No such report."), signed)
    try:
        if which == "weekly":
            report = await run_in_threadpool(_weekly, signed, week)
            headers, table = views.weekly_table(report, signed.gettext)
            period = report["week"]
            title = signed.gettext(XLSX_TITLE) % {"week": views.week_label(period, signed.lang)}
        else:
            report = await run_in_threadpool(_freshness, signed, quarter)
            headers, table = views.freshness_table(report, signed.gettext)
            period = report["quarter"]
            title = signed.gettext(COLUMNS_TITLE) % {"day": report["as_of"]}
    except ExchangeError as exc:
        return _error_page(request, exc, signed)
    name = f"{which}-{period}.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "csv":
        return _headers(Response(exports.to_csv(headers, table), media_type="text/csv; charset=utf-8",
                                 headers=disposition), cache="private, no-store")
    body = await run_in_threadpool(exports.to_xlsx, title, period, headers, table)
    return _headers(Response(body, headers=disposition,
                             media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                    cache="private, no-store")
