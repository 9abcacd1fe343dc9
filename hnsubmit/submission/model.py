"""The pydantic model of submission.toml, with the Chinese label of every field.

Types and lengths only: the lengths are the exchange server's (docs/protocol.md §4), so what
passes here is not refused there for its shape.  Which fields are required, and what their
values mean, is judged by the SUB rules (:mod:`hnsubmit.submission.fields`), so one missing
field does not hide the others.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

# Asia/Shanghai has had no daylight saving since 1991: a fixed offset is exact and needs no tzdata.
CHINA = dt.timezone(dt.timedelta(hours=8), "UTC+08:00")

KINDS = ("news", "guide")
ROLES = ("body", "image", "video", "attachment", "form")
CHANNELS = ("portal", "wechat")
MAX_FILES = 200  # docs/protocol.md §7


def _f(zh: str, en: str, **kw):
    return Field(default=None, title=zh, json_schema_extra={"en": en}, **kw)


class _Table(BaseModel):
    # Unknown keys are reported by SUB014 (a typo like `aproval`), not refused by the model.
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Liaison(_Table):
    name: Optional[str] = _f("信息报送员姓名", "liaison's name", max_length=50)
    phone: Optional[str] = _f("联系电话", "liaison's phone", max_length=40)


class Approval(_Table):
    approver: Optional[str] = _f("审核领导", "approving leader", max_length=50)
    approved_at: Optional[dt.datetime] = _f("审核时间", "time of approval")


class FileEntry(_Table):
    path: str = Field(title="文件路径", json_schema_extra={"en": "file path"}, min_length=1, max_length=255)
    role: Optional[str] = _f("文件用途", "role")
    caption: Optional[str] = _f("图片说明", "caption", max_length=500)
    _index: int = PrivateAttr(default=-1)  # its position in submission.toml, for locating findings

    @field_validator("path")
    @classmethod
    def _slashes(cls, v: str) -> str:
        # Liaisons on Windows write 图片\1.jpg; packages and manifests always use "/".
        return v.replace("\\", "/")

    @property
    def index(self) -> int:
        return self._index

    @property
    def key(self) -> str:
        return f"files[{self._index}]"


class Submission(_Table):
    kind: Literal["news", "guide"] = Field(default="news", title="报送类型", json_schema_extra={"en": "kind"})
    title: Optional[str] = _f("标题", "title", max_length=200)
    unit: Optional[str] = _f("报送单位代码", "unit code", max_length=40)
    unit_name: Optional[str] = _f("报送单位名称", "unit name", max_length=100)
    column: Optional[str] = _f("栏目", "column", max_length=64)
    category: Optional[str] = _f("内容类别", "content category", max_length=50)
    source: Optional[str] = _f("来源", "source", max_length=200)
    author: Optional[str] = _f("作者", "author", max_length=100)
    written: Optional[dt.date] = _f("成稿日期", "date written")
    # 失效日期: once past, the exchange lists the published item for withdrawal (seed 003: 已经失效的文件要及时注销)
    expires: Optional[dt.date] = _f("失效日期", "expiry date")
    # 转载: `source` then names the original publisher and `source_url` its address (004 四(二))
    reprint: Optional[bool] = _f("转载", "reprint")
    source_url: Optional[str] = _f("原文地址", "address of the original", max_length=500)
    summary: Optional[str] = _f("摘要", "summary", max_length=2000)
    # The WeChat article (channels include "wechat"): judged by the WCH rules against [channels.wechat].
    wechat_title: Optional[str] = _f("微信标题", "WeChat title", max_length=200)
    wechat_author: Optional[str] = _f("微信作者", "WeChat author", max_length=100)
    digest: Optional[str] = _f("摘要(微信)", "WeChat digest", max_length=2000)
    cover: Optional[str] = _f("封面图", "cover image", max_length=255)
    cover_focus: Optional[list[Any]] = _f("封面焦点", "cover focus point")  # [x, y], fractions of width and height
    channels: list[str] = Field(default_factory=lambda: ["portal"], title="发布渠道", json_schema_extra={"en": "channels"})
    ignore: list[str] = Field(default_factory=list, title="不报送的文件", json_schema_extra={"en": "files not sent"})
    liaison: Liaison = Field(default_factory=Liaison, title="信息报送员", json_schema_extra={"en": "liaison"})
    approval: Approval = Field(default_factory=Approval, title="审核", json_schema_extra={"en": "approval"})
    files: list[FileEntry] = Field(default_factory=list, title="文件", json_schema_extra={"en": "files"})
    # paths of [[files]] entries that failed validation: already reported, still not "unlisted"
    _invalid_paths: list[str] = PrivateAttr(default_factory=list)

    def approved_at_local(self) -> dt.datetime | None:
        """The approval time in China time; a time written without an offset is China time."""
        at = self.approval.approved_at
        if at is None:
            return None
        return at.replace(tzinfo=CHINA) if at.tzinfo is None else at.astimezone(CHINA)


def label(field_path: str) -> dict[str, str]:
    """The Chinese and English name of a field, e.g. "approval.approver" → 审核领导 / approving leader."""
    model: type[BaseModel] = Submission
    info = None
    for part in field_path.split("."):
        name = part.split("[")[0]
        fields = model.model_fields
        if name not in fields:
            return {"zh": field_path, "en": field_path}
        info = fields[name]
        nested = _nested_model(info.annotation)
        if nested is not None:
            model = nested
    extra = info.json_schema_extra or {}
    return {"zh": info.title or field_path, "en": extra.get("en", field_path)}


def _nested_model(annotation) -> type[BaseModel] | None:
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def known_keys() -> dict[str, set[str]]:
    """The keys each table of submission.toml may have (for SUB014 unknown-key)."""
    return {
        "": set(Submission.model_fields),
        "liaison": set(Liaison.model_fields),
        "approval": set(Approval.model_fields),
        "files": set(FileEntry.model_fields),
    }
