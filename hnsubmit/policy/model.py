"""The format policy: which formats the portal accepts and the limits the notice leaves open.

The rules live in TOML, not in code, so the office can change a limit without a release: the
built-in default (``default.toml`` beside this module) encodes 南政办〔2015〕86号 六(五); a local
``--policy FILE`` or the exchange server's published policy replaces it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hnsubmit.errors import PolicyError
from hnsubmit.rules.findings import Severity
from hnsubmit.tomlcompat import tomllib


class _Section(BaseModel):
    # Sections accept keys a newer policy adds, so an older client can still read a newer server's policy.
    model_config = ConfigDict(extra="allow")


class Formats(_Section):
    allowed: list[str] = Field(default_factory=lambda: ["docx", "doc", "jpeg", "wmv"])
    attachments: list[str] = Field(default_factory=lambda: ["pdf"])


class Limits(_Section):
    max_bytes: dict[str, int] = Field(default_factory=lambda: {"default": 20_000_000})

    def max_bytes_for(self, kind: str) -> int | None:
        return self.max_bytes.get(kind, self.max_bytes.get("default"))


class JpegLimits(_Section):
    min_width: int = 200
    min_height: int = 150
    max_width: int = 8000
    max_height: int = 8000
    max_pixels: int = 48_000_000


class WmvLimits(_Section):
    allow_audio_only: bool = False
    max_duration_seconds: float = 1800
    max_width: int = 1920
    max_height: int = 1080
    min_width: int = 320
    max_bitrate_kbps: int = 8000
    # Windows Media Video 7, 8, 9 and VC-1 (advanced profile, and its pre-standard WMVA FourCC)
    video_codecs: list[str] = Field(default_factory=lambda: ["WMV1", "WMV2", "WMV3", "WVC1", "WMVA"])
    deep_timeout_seconds: float = 600  # `check --deep` gives up decoding one file after this


class DocxLimits(_Section):
    max_uncompressed_bytes: int = 200_000_000
    max_compression_ratio: float = 200
    max_parts: int = 2000


class TextScan(_Section):
    scan: bool = True


BUILTIN_TERM_LISTS = ("builtin:words", "builtin:organs", "builtin:expressions")  # checks/proofing/data/*.csv


class Proofing(_Section):
    # The PRF family's lists (hnsubmit/checks/proofing/lists.py): term CSVs applied in order,
    # "builtin:NAME" for a list shipped in the package, other paths relative to the policy file.
    check: bool = True
    terms: list[str] = Field(default_factory=lambda: list(BUILTIN_TERM_LISTS))
    leaders: str = ""  # the office's leaders list (CSV 姓名,职务); none by default
    # Set by the client on a server's policy: the folder of that server's cached lists, used instead
    # of the paths above (which are paths on the server).  Never serialised.
    served: str = Field(default="", exclude=True)

    @property
    def reads_files(self) -> bool:
        """Whether the lists include files to read (not only the package's built-in ones): those are
        read before any file is checked, so a bad list fails at once; built-in ones wait for a text."""
        return bool(self.served or self.leaders or any(t not in BUILTIN_TERM_LISTS for t in self.terms))


class WechatChannel(_Section):
    """The 海南政务 official account's limits (WCH rules, `fix --channel wechat`); sources in default.toml."""

    max_title_chars: int = 64
    max_author_chars: int = 8
    max_digest_chars: int = 120
    require_cover: bool = True
    cover_wide_size: tuple[int, int] = (900, 383)  # 2.35:1, the article's cover
    cover_square_size: tuple[int, int] = (200, 200)  # 1:1, the share card
    image_formats: list[str] = Field(default_factory=lambda: ["jpeg", "png", "gif"])
    max_image_bytes: int = 10_000_000
    video_container: str = "mp4"
    video_codecs: list[str] = Field(default_factory=lambda: ["h264"])
    audio_codecs: list[str] = Field(default_factory=lambda: ["aac"])
    max_video_bytes: int = 10_000_000
    max_video_seconds: float = 1800
    max_video_height: int = 1080


class Channels(_Section):
    wechat: WechatChannel = Field(default_factory=WechatChannel)


class GuideSettings(_Section):
    profile: str = "portal-2015"

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, v: str) -> str:
        # hnsubmit.guide.profiles.PROFILES; spelt out here so loading a policy stays light
        if v not in ("portal-2015", "national"):
            raise ValueError("office-guide profile must be portal-2015 or national")
        return v


class PackageLimits(_Section):
    # Bounds on a package zip before anything is extracted (zip bombs, runaway entry counts).
    max_entries: int = 1000
    max_uncompressed_bytes: int = 2_000_000_000
    max_compression_ratio: float = 200
    ratio_checked_from_bytes: int = 1_000_000  # small text files compress far better, harmlessly


class ApprovalSettings(_Section):
    """Who approves an item before the office sees it (南政办〔2015〕86号 五(二); exchange/approvals.py).

    mode "declared": the liaison names the approving leader in submission.toml (the default);
    mode "approver": the unit's approver accepts each item with their own token (`hnsubmit approve`),
    and the named leader must be one of the unit's registered approvers (SUB017)."""

    mode: Literal["declared", "approver"] = "declared"
    # unit code → the registered approvers' names, for SUB017 in `check` before a push.  The exchange
    # does not publish names in its policy; `push` fills in its unit's from GET /api/v1/approvers, and
    # a local policy file may list them to check offline.
    approvers: dict[str, list[str]] = Field(default_factory=dict)


class Scoring(_Section):
    """The office's points for the 考核 of `report weekly|quarter` (its own choice: the notice sets no points)."""

    weekly_minimum: float = 1  # a week in which at least 3 of the unit's items were approved (五(四): 每周至少3条)
    per_published: float = 1  # each item the portal published (采用)
    per_rejected: float = 0  # each item the office rejected (a negative number takes points off)


class RuleSettings(_Section):
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)

    @field_validator("select", "ignore")
    @classmethod
    def _upper(cls, v: list[str]) -> list[str]:
        return [p.strip().upper() for p in v]


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    name: str = ""
    defaults: list[str] = Field(default_factory=list)
    formats: Formats = Field(default_factory=Formats)
    limits: Limits = Field(default_factory=Limits)
    jpeg: JpegLimits = Field(default_factory=JpegLimits)
    wmv: WmvLimits = Field(default_factory=WmvLimits)
    docx: DocxLimits = Field(default_factory=DocxLimits)
    text: TextScan = Field(default_factory=TextScan)
    proofing: Proofing = Field(default_factory=Proofing)
    guide: GuideSettings = Field(default_factory=GuideSettings)
    channels: Channels = Field(default_factory=Channels)
    package: PackageLimits = Field(default_factory=PackageLimits)
    scoring: Scoring = Field(default_factory=Scoring)
    approval: ApprovalSettings = Field(default_factory=ApprovalSettings)
    rules: RuleSettings = Field(default_factory=RuleSettings)
    source: str = Field(default="built-in", exclude=True)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"source"})


def _from_mapping(data: dict[str, Any], source: str) -> Policy:
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()[:5]
        )
        raise PolicyError("The policy {source} is not valid: {problems}", source=source, problems=problems) from None
    policy.source = source
    return policy


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    text = (resources.files("hnsubmit.policy") / "default.toml").read_text(encoding="utf-8")
    return _from_mapping(tomllib.loads(text), "built-in")


def default_policy_text() -> str:
    return (resources.files("hnsubmit.policy") / "default.toml").read_text(encoding="utf-8")


def load_policy(path: str | Path | None = None) -> Policy:
    """The policy in `path`, or the built-in default.  A bad file raises PolicyError (exit 3)."""
    if path is None:
        return default_policy()
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError("The policy file {source} does not exist", source=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError("The policy file {source} cannot be read: {problems}", source=str(p), problems=str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError("The policy file {source} is not valid TOML: {problems}", source=str(p), problems=str(exc)) from None
    return _from_mapping(data, str(p))


def policy_from_dict(data: dict[str, Any], source: str) -> Policy:
    """A policy received as JSON (the exchange server's GET /policy)."""
    return _from_mapping(data, source)
