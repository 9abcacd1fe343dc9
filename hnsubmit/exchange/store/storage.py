"""The storage interface of the exchange server: records and the one protocol every backend implements.

The app and the office commands talk only to `Storage` (metadata) and `BlobStore` (bytes), so a
PostgreSQL + S3 deployment is an added implementation, not a rewrite (docs/deployment.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Iterator, Protocol


@dataclass(frozen=True)
class Column:
    id: str
    name_zh: str
    name_en: str
    description: str = ""
    # 栏目更新 (issue 15): "news" (动态、要闻类), "notice" (通知公告、政策文件类) or "other", and the most
    # days the column may go without a published item (the 2019 indicators: news 2 weeks, notices 6 months)
    kind: str = "other"
    max_days: int = 365


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str  # "county" | "department"
    active: bool = True
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Token:
    token_id: str
    secret_hash: str  # hex SHA-256 of the token; the token itself is never stored
    role: str  # "unit" | "approver" | "reviewer" | "admin" (an approver's `unit` is its unit too)
    unit: str | None
    label: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    expires_at: datetime | None = None
    rotated_from: str | None = None


@dataclass(frozen=True)
class Approver:
    """An approver token's registered name (姓名) in its unit: the unit's 分管领导, issued by the office."""

    token_id: str
    unit: str
    name: str


@dataclass(frozen=True)
class Approval:
    """Who accepted an item awaiting approval (the approver's token and registered name), and when."""

    submission_id: str
    token_id: str
    name: str
    at: datetime


@dataclass(frozen=True)
class Upload:
    upload_id: str
    unit: str
    digest: str
    size: int
    offset: int
    created_at: datetime
    updated_at: datetime
    finished: bool = False  # finished already (by this or another request of the unit): offset == size


@dataclass(frozen=True)
class Transition:
    from_state: str | None
    to_state: str
    at: datetime
    by: str
    reason: str | None = None


@dataclass(frozen=True)
class Submission:
    submission_id: str
    unit: str
    idempotency_key: str
    manifest_digest: str
    manifest_json: str  # the body exactly as posted (UTF-8 text)
    title: str
    column: str
    category: str
    state: str
    reason: str | None
    received_at: datetime
    updated_at: datetime
    expires: str | None = None  # 失效日期, YYYY-MM-DD (Asia/Shanghai), from the manifest's `expires`


@dataclass(frozen=True)
class SubmissionFilter:
    unit: str | None = None
    state: str | None = None
    received_from: datetime | None = None  # inclusive
    received_to: datetime | None = None  # exclusive
    limit: int = 200
    offset: int = 0


@dataclass(frozen=True)
class WeeklyCount:
    unit: str
    sent: int = 0
    accepted: int = 0
    rejected: int = 0
    withdrawn: int = 0
    pending: int = 0


@dataclass(frozen=True)
class SubmissionFindings:
    """What the server's own check of one submission found (issue 14): one record per submission.

    state: "pending" (queued or running), "done", or "failed" (the run itself failed; `error` says
    why in one line). origin: "arrival" (checked when it arrived) or "opened" (an item received before
    the server checked on arrival, checked when first opened). result_json is JSON text the store keeps
    as it is (hnsubmit.exchange.findings writes and reads it). lists: a digest of the proofreading lists
    used, so a reader can tell findings made with other lists.
    """

    submission_id: str
    state: str
    origin: str
    updated_at: datetime
    result_json: str = "{}"
    lists: str = ""
    error: str | None = None


class DuplicateKey(Exception):
    """A unique key (idempotency key, unit code, submission id) is already taken."""


class Storage(Protocol):
    # columns and units (the 分工表 is Unit.columns)
    def list_columns(self) -> list[Column]: ...
    def put_column(self, column: Column) -> None: ...
    def list_units(self) -> list[Unit]: ...
    def get_unit(self, code: str) -> Unit | None: ...
    def add_unit(self, unit: Unit) -> None: ...  # DuplicateKey if the code exists
    def set_unit_active(self, code: str, active: bool) -> Unit | None: ...
    def set_unit_columns(self, code: str, columns: tuple[str, ...]) -> Unit | None: ...
    def set_column_freshness(self, column_id: str, kind: str, max_days: int) -> Column | None: ...

    # tokens
    def add_token(self, token: Token) -> None: ...
    def token_by_hash(self, secret_hash: str) -> Token | None: ...
    def get_token(self, token_id: str) -> Token | None: ...
    def list_tokens(self) -> list[Token]: ...
    def successors(self, token_id: str) -> list[Token]: ...  # the tokens rotated from this one
    def update_token(self, token_id: str, **changes) -> Token | None: ...

    # approvers (issue 15 §2): the name is registered before the token is added, so a token never
    # exists without it; a name whose token never came is harmless (lookups go by token)
    def add_approver(self, approver: Approver) -> None: ...
    def get_approver(self, token_id: str) -> Approver | None: ...
    def approvers(self, unit: str | None = None) -> list[Approver]: ...  # every token's, live or not

    # upload sessions
    def add_upload(self, upload: Upload) -> None: ...
    def get_upload(self, upload_id: str) -> Upload | None: ...  # a finished one too, with finished=True
    # open → finished in one step; finished records older than forget_before go
    def finish_upload(self, upload_id: str, at: datetime, forget_before: datetime) -> None: ...
    def open_upload_for(self, unit: str, digest: str) -> Upload | None: ...
    def count_uploads(self, unit: str) -> int: ...
    def set_upload_offset(self, upload_id: str, offset: int, at: datetime) -> None: ...
    def delete_upload(self, upload_id: str) -> None: ...
    def stale_uploads(self, before: datetime) -> list[Upload]: ...

    # blobs held by a unit (presence is per unit: docs/protocol.md §3)
    def add_blob_ref(self, unit: str, digest: str, size: int, at: datetime) -> None: ...
    def blob_size_for(self, unit: str, digest: str) -> int | None: ...
    def held_digests(self, unit: str, digests: list[str]) -> set[str]: ...
    def held_sizes(self, unit: str, digests: list[str]) -> dict[str, int]: ...
    def blob_known(self, digest: str) -> bool: ...
    def known_size(self, digest: str) -> int | None: ...  # the size recorded when it was verified
    def blob_refs(self) -> list[tuple[str, str, int]]: ...  # (unit, digest, size), for the consistency check

    # submissions
    def add_submission(self, submission: Submission, first: Transition,
                       findings: SubmissionFindings | None = None) -> None: ...  # DuplicateKey; `findings`: its
    # check's first record ("pending"), written in the same transaction (one commit per receipt, issue 19)
    def submission_by_key(self, unit: str, key: str) -> Submission | None: ...
    def get_submission(self, submission_id: str) -> Submission | None: ...
    def list_submissions(self, flt: SubmissionFilter) -> tuple[list[Submission], int]: ...
    def transition(
        self, submission_id: str, from_states: tuple[str, ...], transition: Transition, approval: Approval | None = None
    ) -> Submission | None: ...  # compare-and-set: None if the state was not one of from_states;
    # an `approval` is recorded in the same transaction (the approver's accept)
    def get_approval(self, submission_id: str) -> Approval | None: ...
    def history(self, submission_id: str) -> list[Transition]: ...
    def weekly_counts(self, start: datetime, end: datetime) -> list[WeeklyCount]: ...

    # the server's own findings per submission (issue 14): one record each, replaced whole
    def put_findings(self, record: SubmissionFindings) -> None: ...  # insert or replace the submission's record
    def get_findings(self, submission_id: str) -> SubmissionFindings | None: ...
    def pending_findings(self, limit: int) -> list[str]: ...  # ids in state "pending", oldest first (resumed at start)

    # column freshness and expiry (issue 15)
    def last_published(self, column_id: str) -> Submission | None: ...  # the column's latest published item
    # (column, unit, items published in [start, end)), withdrawn since or not
    def published_counts(self, start: datetime, end: datetime) -> list[tuple[str, str, int]]: ...
    # published items whose `expires` (YYYY-MM-DD) is before `before`, oldest first; of one unit or all
    def expired_published(self, before: str, unit: str | None = None) -> list[Submission]: ...

    def close(self) -> None: ...


class Appender(Protocol):
    """Bytes appended to one upload session; nothing counts until `commit`."""

    def write(self, chunk: bytes) -> None: ...
    def commit(self) -> int: ...  # flush to stable storage, return the new staged length
    def abort(self) -> None: ...  # drop what this appender wrote


class BlobStore(Protocol):
    def start(self, upload_id: str) -> None: ...
    def appender(self, upload_id: str, offset: int) -> Appender: ...
    def staged_length(self, upload_id: str) -> int: ...
    def finish(self, upload_id: str, digest: str) -> tuple[str, int]: ...  # (actual digest, size)
    def discard(self, upload_id: str) -> None: ...
    def has(self, digest: str) -> bool: ...
    def size(self, digest: str) -> int | None: ...
    def read(self, digest: str, chunk_size: int = 1 << 16) -> Iterator[bytes]: ...
    def open(self, digest: str) -> BinaryIO: ...
    def digests(self) -> Iterator[str]: ...
    def quarantine(self, digest: str, inode: int | None = None) -> Path | None: ...


__all__ = [
    "Appender", "Approval", "Approver", "BlobStore", "Column", "DuplicateKey", "Storage", "Submission", "SubmissionFilter",
    "SubmissionFindings", "Token", "Transition", "Unit", "Upload", "WeeklyCount",
]
