"""Submissions (protocol §4): idempotent intake checked against the 分工表, the review states, withdrawal."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import datetime

from pydantic import ValidationError

from hnsubmit.exchange import approvals, integrity
from hnsubmit.exchange.auth import UNIT_ROLES, Principal
from hnsubmit.exchange.context import Exchange
from hnsubmit.exchange.models import Manifest
from hnsubmit.exchange.problems import ExchangeError, forbidden, not_found
from hnsubmit.exchange.store.storage import (
    Approval, DuplicateKey, Submission, SubmissionFilter, SubmissionFindings, Transition,
)
from hnsubmit.exchange.weeks import TZ, week_bounds

MAX_MANIFEST_BYTES = 1 << 20
_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")
_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: read aloud over the phone without 0/O, 1/I
# action → (states it may start from, the state it leads to)
REVIEW = {
    "start": (("received",), "in_review"),
    "accept": (("received", "in_review"), "published"),
    "reject": (("received", "in_review"), "rejected"),
}
# the unit's approver (issue 15 §2, exchange/approvals.py): action → (states it may start from, the state it leads to)
APPROVE = {
    "accept": (("awaiting_approval",), "received"),
    "return": (("awaiting_approval",), "returned"),
}
# seed 003: an expired document must be withdrawn promptly, so a published item can be withdrawn too;
# an item still awaiting its approver can be taken back as well
WITHDRAW_FROM = ("awaiting_approval", "received", "in_review", "published")


def validation_details(exc: ValidationError) -> dict:
    return {"errors": [{"loc": [str(p) for p in e["loc"]], "msg": e["msg"]} for e in exc.errors()[:20]]}


def _invalid(details: dict | None = None, zh: str = "报送清单不符合协议格式。", en: str = "The manifest does not match the protocol.") -> ExchangeError:
    return ExchangeError(422, "invalid_request", zh, en, details=details)


def receipt(s: Submission) -> dict:
    return {"submission_id": s.submission_id, "received_at": s.received_at, "manifest_digest": s.manifest_digest,
            "unit": s.unit, "state": s.state, "idempotency_key": s.idempotency_key}


def summary(s: Submission) -> dict:
    return {**receipt(s), "title": s.title, "column": s.column, "category": s.category, "reason": s.reason,
            "updated_at": s.updated_at}


def detail(ex: Exchange, s: Submission) -> dict:
    """The item with its manifest, its history and, once its approver accepted it, the approval record."""
    history = [{"from": t.from_state, "to": t.to_state, "at": t.at, "by": t.by, "reason": t.reason}
               for t in ex.storage.history(s.submission_id)]
    return {**summary(s), "manifest": json.loads(s.manifest_json), "history": history,
            "approval": approvals.approval_out(ex, s.submission_id)}


class DuplicateJSONKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    # {"unit": "A", "unit": "B"}: parsers disagree on which one wins, so a reviewer's tool could read
    # another manifest than the one the server checked; refuse it instead
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateJSONKey(key)
        out[key] = value
    return out


def check_key(key: str | None) -> str:
    if key is None or not _KEY.match(key):
        raise ExchangeError(400, "bad_request", "缺少 Idempotency-Key 请求头,或其值不是 1–128 个可打印 ASCII 字符。",
                            "Idempotency-Key is missing or not 1-128 printable ASCII characters.")
    return key


def _replay(existing: Submission, digest: str) -> tuple[int, dict, bool]:
    if existing.manifest_digest != digest:
        raise ExchangeError(409, "idempotency_conflict", "该 Idempotency-Key 已用于另一份不同的报送。",
                            "This Idempotency-Key was already used with a different body.",
                            details={"submission_id": existing.submission_id})
    return 200, receipt(existing), True


def submit(ex: Exchange, who: Principal, key: str | None, body: bytes, now: datetime,
           check_pending: bool = False) -> tuple[int, dict, bool]:
    """Returns (status, receipt, replayed). `check_pending`: a new submission's check on arrival is
    recorded pending in the receipt's own transaction (the running server, which then queues it)."""
    unit = who.unit
    key = check_key(key)
    if len(body) > MAX_MANIFEST_BYTES:
        raise ExchangeError(413, "too_large", "报送清单超过 1 MiB。", "The manifest is larger than 1 MiB.",
                            details={"limit": MAX_MANIFEST_BYTES})
    digest = "sha256:" + hashlib.sha256(body).hexdigest()
    existing = ex.storage.submission_by_key(unit.code, key)
    if existing is not None:
        return _replay(existing, digest)
    try:
        text = body.decode("utf-8")
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except DuplicateJSONKey as exc:
        raise _invalid(details={"duplicate_key": exc.key[:100]}, zh=f"报送清单中的键“{exc.key[:100]}”出现了不止一次。",
                       en=f"The manifest has the key '{exc.key[:100]}' more than once.") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _invalid(zh="请求体不是 UTF-8 编码的 JSON。", en="The body is not UTF-8 JSON.") from None
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        raise _invalid(validation_details(exc)) from None
    _check_against_office(ex, who, manifest)
    approvals.check_declared(ex, unit.code, manifest.approval.approver, now)
    state = approvals.first_state(ex)  # awaiting_approval in approver mode, else received
    day = now.astimezone(TZ).strftime("%Y%m%d")
    for _attempt in range(5):
        sid = f"HN-{day}-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(6))
        sub = Submission(sid, unit.code, key, digest, text, manifest.title, manifest.column, manifest.category,
                         state, None, now, now, manifest.expires.isoformat() if manifest.expires else None)
        try:
            pending = SubmissionFindings(sid, "pending", "arrival", now) if check_pending else None
            ex.storage.add_submission(sub, Transition(None, state, now, who.actor), pending)
            return 201, receipt(sub), False
        except DuplicateKey:
            raced = ex.storage.submission_by_key(unit.code, key)
            if raced is not None:  # the same key arrived twice at once: the first one won
                return _replay(raced, digest)
    raise RuntimeError("could not allocate a submission id")


def _check_against_office(ex: Exchange, who: Principal, m: Manifest) -> None:
    unit = who.unit
    if m.unit != unit.code:
        raise ExchangeError(422, "unit_mismatch", f"清单中的单位 {m.unit} 与凭据所属单位 {unit.code} 不符。",
                            f"The manifest's unit {m.unit} is not this token's unit {unit.code}.",
                            details={"unit": unit.code})
    columns = {c.id: c for c in ex.storage.list_columns()}
    if m.column not in columns:
        raise ExchangeError(422, "unknown_column", f"门户网站没有栏目“{m.column}”。", f"The portal has no column '{m.column}'.",
                            details={"column": m.column, "columns": list(columns)})
    if m.column not in unit.columns:
        # the 分工表 (六(二)): say which columns this unit does feed, so the liaison can pick one
        zh_names = "、".join(f"{columns[c].name_zh}({c})" for c in unit.columns if c in columns) or "无"
        en_names = ", ".join(f"{columns[c].name_en} ({c})" for c in unit.columns if c in columns) or "none"
        raise ExchangeError(
            422, "column_not_assigned",
            f"按分工表,{unit.name}不负责“{columns[m.column].name_zh}”栏目。本单位负责的栏目:{zh_names}。",
            f"By the division of work, {unit.code} does not feed the column '{columns[m.column].name_en}'. "
            f"Its columns: {en_names}.",
            details={"column": m.column, "columns": list(unit.columns)},
        )
    missing, wrong = [], []
    # a channel's renditions (issue 18) are blobs of the unit like the files, checked the same way
    entries = [*m.files, *m.renditions]
    held = integrity.intact_sizes(ex, unit.code, [f.digest for f in entries])  # the file itself is re-checked
    for f in entries:
        size = held.get(f.digest)
        if size is None:
            missing.append(f.digest)
        elif size != f.size:
            wrong.append({"path": f.path, "declared": f.size, "actual": size})
    if missing:
        raise ExchangeError(422, "blob_missing", f"有 {len(missing)} 个文件尚未上传。",
                            f"{len(missing)} file(s) have not been uploaded.", details={"missing": list(dict.fromkeys(missing))})
    if wrong:
        raise ExchangeError(422, "size_mismatch", "清单中的文件大小与已上传的内容不符。",
                            "A file's size in the manifest differs from the uploaded blob.", details={"files": wrong})


def visible(ex: Exchange, who: Principal, submission_id: str) -> Submission:
    s = ex.storage.get_submission(submission_id)
    if s is None or (who.role in UNIT_ROLES and s.unit != who.unit.code):
        raise not_found("报送", "submission")  # another unit's id answers exactly like a missing one
    return s


def listing(ex: Exchange, who: Principal, week: str | None, state: str | None, unit: str | None,
            limit: int, offset: int) -> dict:
    if who.role in UNIT_ROLES:  # a unit's or its approver's: that unit's items only
        if unit is not None and unit != who.unit.code:
            raise not_found("单位", "unit")
        unit = who.unit.code
    start = end = None
    if week is not None:
        try:
            start, end = week_bounds(week)
        except ValueError:
            raise _invalid(zh=f"不是有效的 ISO 周:{week[:20]}", en=f"Not a valid ISO week: {week[:20]}") from None
    items, total = ex.storage.list_submissions(SubmissionFilter(unit, state, start, end, limit, offset))
    return {"items": [summary(s) for s in items], "total": total}


# the states and actions in the message's Chinese: a liaison or approver reads it as it comes
_STATE_ZH = {"awaiting_approval": "待审批", "returned": "审批人已退回", "received": "已接收", "in_review": "审核中",
             "published": "已发布", "rejected": "已退回", "withdrawn": "已撤回"}
_ACTION_ZH = {"start": "开始审核", "accept": "采用", "reject": "退回", "withdraw": "撤回", "approve:accept": "审批通过",
              "approve:return": "审批退回"}


def _invalid_transition(s: Submission, action: str) -> ExchangeError:
    state_zh, action_zh = _STATE_ZH.get(s.state, s.state), _ACTION_ZH.get(action, action)
    action = action.removeprefix("approve:")
    return ExchangeError(409, "invalid_transition", f"报送当前状态为“{state_zh}”({s.state}),不能{action_zh}。",
                         f"The submission is {s.state}; '{action}' is not possible.", details={"state": s.state})


def review(ex: Exchange, who: Principal, submission_id: str, action: str, reason: str | None, now: datetime) -> dict:
    s = visible(ex, who, submission_id)
    from_states, to_state = REVIEW[action]
    reason = (reason or "").strip() or None
    if action == "reject" and reason is None:
        raise ExchangeError(422, "reason_required", "退回须说明理由。", "A rejection needs a reason.")
    done = ex.storage.transition(s.submission_id, from_states, Transition(s.state, to_state, now, who.actor, reason))
    if done is None:
        raise _invalid_transition(ex.storage.get_submission(s.submission_id) or s, action)
    return detail(ex, done)


def withdraw(ex: Exchange, who: Principal, submission_id: str, reason: str, now: datetime) -> dict:
    s = visible(ex, who, submission_id)
    reason = reason.strip()
    if not reason:
        raise ExchangeError(422, "reason_required", "撤回须说明理由。", "A withdrawal needs a reason.")
    done = ex.storage.transition(s.submission_id, WITHDRAW_FROM, Transition(s.state, "withdrawn", now, who.actor, reason))
    if done is None:
        raise _invalid_transition(ex.storage.get_submission(s.submission_id) or s, "withdraw")
    return detail(ex, done)


def approve(ex: Exchange, who: Principal, submission_id: str, action: str, reason: str | None, now: datetime) -> dict:
    """The unit's approver on an item awaiting approval (exchange/approvals.py): "accept" moves it to the
    office's queue (received) and records the approver's token, registered name and the time; "return"
    sends it back to the liaison (returned) with a reason, which is required.

    Only an approver acts (403 otherwise), on their own unit's items (another unit's id answers 404 like a
    missing one), and only while the item awaits approval (409: withdrawn, accepted or returned already)."""
    if who.role != "approver":
        raise forbidden()
    s = visible(ex, who, submission_id)
    from_states, to_state = APPROVE[action]
    reason = (reason or "").strip() or None
    if action == "return" and reason is None:
        raise ExchangeError(422, "reason_required", "退回须说明理由。", "A return needs a reason.")
    record = Approval(s.submission_id, who.token_id, who.name or "", now) if action == "accept" else None
    done = ex.storage.transition(s.submission_id, from_states, Transition(s.state, to_state, now, who.actor, reason),
                                 approval=record)
    if done is None:
        raise _invalid_transition(ex.storage.get_submission(s.submission_id) or s, "approve:" + action)
    return detail(ex, done)
