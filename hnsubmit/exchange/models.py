"""The wire shapes of protocol v1 (docs/protocol.md) as pydantic models; they also make the OpenAPI document."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from hnsubmit.submission.bag.names import unsafe_reason

DIGEST_PATTERN = r"^sha256:[0-9a-f]{64}$"
# awaiting_approval and returned: the approver step (policy [approval] mode = "approver", issue 15 §2)
STATES = ("awaiting_approval", "returned", "received", "in_review", "published", "rejected", "withdrawn")
ROLES = ("unit", "approver", "reviewer", "admin")
FILE_ROLES = ("body", "image", "video", "attachment", "form")
CHANNELS = ("portal", "wechat")
# The eight kinds of content of 南政办〔2015〕86号 三, in its order.
CATEGORIES: dict[str, dict[str, str]] = {
    "implementation": {"clause": "三(一)", "zh": "方针政策贯彻落实情况", "en": "Implementation of policies"},
    "meetings": {"clause": "三(二)", "zh": "领导讲话、重要会议和活动", "en": "Leaders' speeches, meetings and events"},
    "visits": {"clause": "三(三)", "zh": "各界人士政务活动", "en": "Official visits"},
    "regulations": {"clause": "三(四)", "zh": "法规制度、文件材料、办事流程", "en": "Regulations, documents and procedures"},
    "services": {"clause": "三(五)", "zh": "办事指南、招商引资、便民服务、公告公示", "en": "Office guides, investment, services, notices"},
    "development": {"clause": "三(六)", "zh": "经济社会发展工作情况", "en": "Economic and social development"},
    "experience": {"clause": "三(七)", "zh": "新思路新经验、调研报告、成绩荣誉", "en": "New approaches, research, achievements"},
    "other": {"clause": "三(八)", "zh": "其他新闻报道、影音、文件材料", "en": "Other news, audio-visual and documents"},
}


def _utf8(value: str) -> str:
    # JSON may carry lone surrogates ("\ud800"): valid for json.loads, unstorable as UTF-8
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    return value


def _text(max_length: int, min_length: int = 1) -> Any:
    pattern = r"\S" if min_length else None  # not blank
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length, pattern=pattern), AfterValidator(_utf8)]


Digest = Annotated[str, StringConstraints(pattern=DIGEST_PATTERN)]
State = Literal["awaiting_approval", "returned", "received", "in_review", "published", "rejected", "withdrawn"]
Role = Literal["unit", "approver", "reviewer", "admin"]
Category = Literal["implementation", "meetings", "visits", "regulations", "services", "development", "experience", "other"]
UnitCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")]
ColumnId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
WEEK_PATTERN = r"^[0-9]{4}-W[0-9]{2}$"
QUARTER_PATTERN = r"^[0-9]{4}-Q[1-4]$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- errors and service ------------------------------------------------------------------------
class Bilingual(BaseModel):
    zh: str
    en: str


class ErrorBody(BaseModel):
    code: str
    message: Bilingual
    details: Optional[dict[str, Any]] = None


class ErrorOut(BaseModel):
    error: ErrorBody


class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"
    api: str = "v1"
    version: str


class ColumnOut(BaseModel):
    id: str
    name: Bilingual
    description: str = ""
    kind: Literal["news", "notice", "other"] = "other"  # 栏目更新 (issue 15): exchange/freshness.py
    max_days: int = 365  # the most days without a published item


class ColumnsOut(BaseModel):
    columns: list[ColumnOut]


class UnitOut(BaseModel):
    code: str
    name: str
    kind: Literal["county", "department"]
    active: bool
    columns: list[str]


class UnitsOut(BaseModel):
    units: list[UnitOut]


class UnitIn(Strict):
    code: UnitCode
    name: _text(100)  # type: ignore[valid-type]
    kind: Literal["county", "department"]
    columns: list[ColumnId] = Field(default_factory=list, max_length=100)


class UnitColumnsIn(Strict):
    columns: list[ColumnId] = Field(min_length=1, max_length=100)  # the unit's row of the 分工表, replaced whole


class ServerInfo(BaseModel):
    api: str = "v1"
    version: str


class WhoamiOut(BaseModel):
    role: Role
    token_id: str
    unit: Optional[UnitOut] = None
    name: Optional[str] = None  # an approver's registered name
    server: ServerInfo


# -- blobs and uploads -------------------------------------------------------------------------
class MissingIn(Strict):
    digests: list[Digest] = Field(min_length=1, max_length=1000)


class MissingOut(BaseModel):
    missing: list[str]


class UploadIn(Strict):
    digest: Digest
    size: int = Field(ge=0, le=2**53)


class UploadOut(BaseModel):
    upload_id: Optional[str]
    digest: str
    size: int
    offset: int
    complete: bool
    expires_at: Optional[datetime] = None


class BlobOut(BaseModel):
    digest: str
    size: int


# -- submissions -------------------------------------------------------------------------------
class Liaison(BaseModel):
    name: _text(50)  # type: ignore[valid-type]
    phone: _text(40)  # type: ignore[valid-type]


class Approval(BaseModel):
    # 五(二): approved by the unit's responsible leader before it is sent
    approver: _text(50)  # type: ignore[valid-type]
    approved_at: AwareDatetime


_BIDI_OR_C1 = re.compile("[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _package_name(value: str) -> str:
    """A file name as a package may carry it (submission/bag/names.py): no traversal, no absolute path,
    no control characters; nor bidi controls, which make a name read as another (名称.exe‮fdp.)."""
    reason = unsafe_reason(value)
    if reason is None and _BIDI_OR_C1.search(value):
        reason = {"en": "it has bidirectional or C1 control characters"}
    if reason is not None:
        raise ValueError(f"unsafe file name: {reason['en']}")
    return value


def _web_address(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", value):
        raise ValueError("source_url must be an http:// or https:// address")
    return value


class FileEntry(BaseModel):
    model_config = ConfigDict(extra="allow")

    path: Annotated[_text(255), AfterValidator(_package_name)]  # type: ignore[valid-type]
    role: Literal["body", "image", "video", "attachment", "form"]
    digest: Digest
    size: int = Field(ge=0, le=2**53)
    caption: Optional[_text(500, 0)] = None  # type: ignore[valid-type]


RENDITION_KINDS = ("cover-2.35", "cover-1:1", "image", "video-mp4")
RENDITIONS_PREFIX = {"wechat": "renditions/wechat/"}


class RenditionEntry(BaseModel):
    """A channel's copy of an original (issue 18): `fix --channel wechat` made it, the package carries it
    under data/renditions/wechat/ with its own checksum, push uploads it like a file."""

    model_config = ConfigDict(extra="allow")

    channel: Literal["wechat"]
    source: Annotated[_text(255), AfterValidator(_package_name)]  # type: ignore[valid-type]  # the original's path
    path: Annotated[_text(255), AfterValidator(_package_name)]  # type: ignore[valid-type]
    kind: Literal["cover-2.35", "cover-1:1", "image", "video-mp4"]
    digest: Digest
    size: int = Field(ge=0, le=2**53)


class Manifest(BaseModel):
    """A submission's metadata and files; unknown fields are kept (a newer client may add some)."""

    model_config = ConfigDict(extra="allow")

    manifest_version: Literal[1] = 1
    title: _text(200)  # type: ignore[valid-type]
    unit: UnitCode
    column: _text(64)  # type: ignore[valid-type]
    category: Category
    source: Optional[_text(200, 0)] = None  # type: ignore[valid-type]
    author: Optional[_text(100, 0)] = None  # type: ignore[valid-type]
    summary: Optional[_text(2000, 0)] = None  # type: ignore[valid-type]
    written: Optional[date] = None  # 成稿日期 (001 第十七条: 标注发布时间)
    expires: Optional[date] = None  # 失效日期: listed to the unit and the office once past (seed 003)
    reprint: Optional[bool] = None  # 转载: then `source` is the original and `source_url` its address (004 四(二))
    source_url: Optional[Annotated[_text(500), AfterValidator(_web_address)]] = None  # type: ignore[valid-type]
    liaison: Liaison
    approval: Approval
    channels: list[Literal["portal", "wechat"]] = Field(default_factory=lambda: ["portal"], min_length=1, max_length=2)
    files: list[FileEntry] = Field(min_length=1, max_length=200)
    renditions: list[RenditionEntry] = Field(default_factory=list, max_length=402)  # two covers + one per file

    @field_validator("channels")
    @classmethod
    def _unique_channels(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("channels must not repeat")
        return v

    @field_validator("files")
    @classmethod
    def _unique_paths(cls, v: list[FileEntry]) -> list[FileEntry]:
        paths = [f.path for f in v]
        if len(set(paths)) != len(paths):
            raise ValueError("file paths must be unique")
        return v

    @model_validator(mode="after")
    def _renditions_of_listed_files(self) -> "Manifest":
        listed = {f.path for f in self.files}
        seen: set[str] = set()
        for r in self.renditions:
            if r.channel not in self.channels:
                raise ValueError(f"a rendition for {r.channel}, which is not one of the channels")
            if not r.path.startswith(RENDITIONS_PREFIX[r.channel]):
                raise ValueError(f"a {r.channel} rendition's path starts with {RENDITIONS_PREFIX[r.channel]}")
            if r.source not in listed:
                raise ValueError("a rendition's source must be one of the files")
            if r.path in listed or r.path in seen:
                raise ValueError("rendition paths must be unique and not a file's")
            seen.add(r.path)
        return self


class ReceiptOut(BaseModel):
    submission_id: str
    received_at: datetime
    manifest_digest: str
    unit: str
    state: State
    idempotency_key: str


class ApprovalOut(BaseModel):
    """Which approver token accepted the item, under which registered name, and when."""

    token_id: str
    name: str
    at: datetime


class HistoryEntry(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: Optional[State] = Field(default=None, alias="from", serialization_alias="from")
    to: State
    at: datetime
    by: str
    reason: Optional[str] = None


class SubmissionSummary(ReceiptOut):
    title: str
    column: str
    category: str
    reason: Optional[str] = None
    updated_at: datetime


class SubmissionOut(SubmissionSummary):
    manifest: dict[str, Any]
    history: list[HistoryEntry]
    approval: Optional[ApprovalOut] = None  # set once the unit's approver accepted it


class SubmissionList(BaseModel):
    items: list[SubmissionSummary]
    total: int


class ReviewIn(Strict):
    action: Literal["start", "accept", "reject"]
    reason: Optional[_text(1000, 0)] = None  # type: ignore[valid-type]


class WithdrawIn(Strict):
    reason: _text(1000)  # type: ignore[valid-type]


class ApprovalIn(Strict):
    """The unit's approver (分管领导) on an item awaiting approval: accept it for the office, or return it."""

    action: Literal["accept", "return"]
    reason: Optional[_text(1000, 0)] = None  # type: ignore[valid-type]


class ApproverOut(BaseModel):
    token_id: str
    unit: str
    name: str


class ApproversOut(BaseModel):
    mode: Literal["declared", "approver"]
    approvers: list[ApproverOut]


# -- tokens ------------------------------------------------------------------------------------
class TokenIn(Strict):
    role: Role
    unit: Optional[UnitCode] = None
    label: _text(100, 0) = ""  # type: ignore[valid-type]
    name: Optional[_text(50)] = None  # type: ignore[valid-type]  # an approver's registered name (姓名)


class TokenInfo(BaseModel):
    token_id: str
    role: Role
    unit: Optional[str]
    label: str
    created_at: datetime
    last_used_at: Optional[datetime] = None
    revoked_at: Optional[datetime] = None
    expires_at: Optional[datetime] = None
    name: Optional[str] = None  # an approver's registered name


class TokensOut(BaseModel):
    tokens: list[TokenInfo]


class TokenIssued(BaseModel):
    token: str
    info: TokenInfo


# -- reports -----------------------------------------------------------------------------------
class ReportRow(BaseModel):
    unit: str
    name: str
    sent: int
    approved: int = 0  # by the unit's leader (五(二)): its approver, or the declared approval
    published: int = 0  # 采用
    accepted: int  # = published (the older name, kept for older clients)
    rejected: int
    withdrawn: int
    pending: int  # with the office: received or in review
    awaiting_approval: int = 0  # with the unit's approver
    adoption_rate: Optional[float] = None  # published / sent; null when nothing was sent
    weeks_met: int = 0  # weeks with at least required_per_week approved items
    met: bool  # every week of the period met
    score: float = 0  # the policy's [scoring] points


class Scoring(BaseModel):
    weekly_minimum: float
    per_published: float
    per_rejected: float


class WeeklyReportOut(BaseModel):
    week: str
    start: datetime
    end: datetime
    required_per_week: int
    scoring: Optional[Scoring] = None
    rows: list[ReportRow]


class QuarterReportOut(BaseModel):
    quarter: str
    weeks: list[str]
    start: datetime
    end: datetime
    required_per_week: int
    scoring: Optional[Scoring] = None
    rows: list[ReportRow]


# -- the reviewer's view of one submission (GET /api/v1/submissions/{id}/review) ---------------------
class FindingOut(BaseModel):
    code: str
    severity: str
    path: str
    args: dict[str, Any]
    location: dict[str, Any] = Field(default_factory=dict)


class ProofingStateOut(BaseModel):
    """Where the review view's findings come from: the server's check on arrival (FindingsOut without them)."""

    state: Literal["pending", "done", "failed"]
    origin: Literal["arrival", "opened"]
    checked_at: Optional[datetime] = None
    error: Optional[str] = None
    omitted: dict[str, int] = Field(default_factory=dict)
    skipped: list[SkippedFile] = Field(default_factory=list)


class ReviewViewOut(BaseModel):
    submission: SubmissionOut
    reviewer: str
    proofing: Optional[list[FindingOut]] = None
    proofing_state: Optional[ProofingStateOut] = None  # issue 14: stored on arrival, or checked when first opened


# -- column freshness and expiry (issue 15 §3, §4) -----------------------------------------------
ColumnKind = Literal["news", "notice", "other"]
ColumnState = Literal["ok", "due_soon", "overdue"]


class ColumnSetIn(Strict):
    kind: Optional[ColumnKind] = None  # alone: the kind's default days (news 14, notice 180, other 365)
    max_days: Optional[int] = Field(default=None, ge=1, le=3660)


class ColumnSetOut(ColumnOut):
    pass


class UnitRef(BaseModel):
    code: str
    name: str


class LastPublished(BaseModel):
    submission_id: Optional[str] = None  # left out for a unit when another unit published it
    title: str
    unit: str
    unit_name: str
    published_at: datetime


class ColumnRow(BaseModel):
    column: str
    name: Bilingual
    kind: ColumnKind
    max_days: int
    warning_days: int  # due_soon once days_left is at most this
    units: list[UnitRef]  # the active units that feed it (分工表)
    last: Optional[LastPublished] = None  # None: never updated
    days_since: Optional[int] = None
    days_left: Optional[int] = None  # negative: overdue by that many days
    state: ColumnState
    quarter_published: int
    quarter_by_unit: dict[str, int]


class ColumnReportOut(BaseModel):
    as_of: date  # Asia/Shanghai
    quarter: str
    quarter_start: datetime
    quarter_end: datetime
    totals: dict[str, int]
    rows: list[ColumnRow]


class ExpiredItem(BaseModel):
    submission_id: str
    unit: str
    unit_name: str
    title: str
    column: str
    expires: date
    days_expired: int
    published_at: datetime


class ExpiredReportOut(BaseModel):
    as_of: date
    items: list[ExpiredItem]


# -- the server's own check of a submission (GET /api/v1/submissions/{id}/findings, issue 14) ------------
class StoredFinding(BaseModel):
    code: str
    severity: str
    path: str
    location: dict[str, Any] = Field(default_factory=dict)
    args: dict[str, Any] = Field(default_factory=dict)


class SkippedFile(BaseModel):
    path: str
    reason: Literal["too_large", "missing"]


class FindingsOut(BaseModel):
    submission_id: str
    state: Literal["pending", "done", "failed"]
    origin: Literal["arrival", "opened"]  # opened: received before the server checked on arrival
    checked_at: Optional[datetime] = None
    lists: str = ""  # digest of the proofreading lists used (as GET /api/v1/proofing serves them)
    error: Optional[str] = None  # state failed: why, in one line
    findings: list[StoredFinding]
    omitted: dict[str, int] = Field(default_factory=dict)  # path → findings past the cap per file
    skipped: list[SkippedFile] = Field(default_factory=list)  # files not opened (too large, blob missing)
