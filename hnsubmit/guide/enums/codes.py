"""The office guide's code tables: each value is stored by its Chinese name and accepted by code or name.

Codes follow GB/T 39046—2020 (事项类型, 行使层级, 实施主体性质, 办件类型, 办理形式) where the standard
numbers a table; tables the platforms number differently (服务对象, 权力来源) are accepted by name only,
so a guide never carries a code that means something else on another platform.
"""

from __future__ import annotations

import enum
import unicodedata
from functools import lru_cache
from typing import Type


class CodedEnum(str, enum.Enum):
    """A str enum whose value is the Chinese name; `CODES` maps the standard's code to it."""

    @property
    def code(self) -> str | None:
        for code, name in _codes(type(self)).items():
            if name == self.value:
                return code
        return None


def _codes(cls: Type[CodedEnum]) -> dict[str, str]:
    return getattr(cls, "__codes__", {})


class ItemType(CodedEnum):
    ADMIN_LICENSE = "行政许可"
    ADMIN_PENALTY = "行政处罚"
    ADMIN_COERCION = "行政强制"
    ADMIN_LEVY = "行政征收"
    ADMIN_PAYMENT = "行政给付"
    ADMIN_INSPECTION = "行政检查"
    ADMIN_CONFIRMATION = "行政确认"
    ADMIN_REWARD = "行政奖励"
    ADMIN_ADJUDICATION = "行政裁决"
    OTHER_POWER = "其他行政权力"
    ADMIN_FILING = "行政备案"  # appears in newer guidance; GB/T 39046—2020 gives it no code
    PUBLIC_SERVICE = "公共服务"


ItemType.__codes__ = {
    "01": "行政许可", "02": "行政处罚", "03": "行政强制", "04": "行政征收", "05": "行政给付",
    "06": "行政检查", "07": "行政确认", "08": "行政奖励", "09": "行政裁决", "10": "其他行政权力",
    "20": "公共服务",
}


class ExerciseLevel(CodedEnum):
    NATIONAL = "国家"
    PROVINCE = "省"
    PREFECTURE = "市(州)"
    COUNTY = "县"
    TOWNSHIP = "乡镇"
    VILLAGE = "村"
    GRADED = "分级管理"


ExerciseLevel.__codes__ = {"1": "国家", "2": "省", "3": "市(州)", "4": "县", "5": "乡镇", "6": "村", "7": "分级管理"}
# Names liaisons actually write for the same levels.
ExerciseLevel.__synonyms__ = {
    "国家级": "国家", "省级": "省", "市": "市(州)", "州": "市(州)", "市级": "市(州)", "州级": "市(州)",
    "市州": "市(州)", "市(州)级": "市(州)", "县级": "县", "县(市、区)": "县", "乡镇级": "乡镇", "乡(镇)": "乡镇",
    "村级": "村",
}


class PowerSource(CodedEnum):
    STATUTORY = "法定本级行使"
    DELEGATED_DOWN = "上级下放"
    AUTHORISED_BY_SUPERIOR = "上级授权"
    AUTHORISED_BY_PEER = "同级授权"
    ENTRUSTED_BY_SUPERIOR = "上级委托"
    ENTRUSTED_BY_PEER = "同级委托"


class OrgNature(CodedEnum):
    STATUTORY_ORGAN = "法定机关"
    AUTHORISED_ORG = "授权组织"
    ENTRUSTED_ORG = "受委托组织"
    OTHER = "其他"


OrgNature.__codes__ = {"1": "法定机关", "2": "授权组织", "3": "受委托组织", "9": "其他"}


class ServiceObject(CodedEnum):
    NATURAL_PERSON = "自然人"
    ENTERPRISE = "企业法人"
    PUBLIC_INSTITUTION = "事业法人"
    SOCIAL_ORG = "社会组织法人"
    ADMIN_ORGAN = "行政机关"
    OTHER_ORG = "其他组织"


class CaseType(CodedEnum):
    IMMEDIATE = "即办件"
    PROMISED = "承诺件"
    OTHER = "其他"


CaseType.__codes__ = {"1": "即办件", "2": "承诺件", "9": "其他"}


class TimeUnit(CodedEnum):
    WORKING_DAY = "工作日"
    CALENDAR_DAY = "自然日"


TimeUnit.__synonyms__ = {"个工作日": "工作日", "个自然日": "自然日", "日": "自然日", "天": "自然日", "个日": "自然日"}


class HandlingMode(CodedEnum):
    COUNTER = "窗口办理"
    ONLINE = "网上办理"
    MOBILE = "移动端"
    POST = "快递申请"
    OTHER = "其他"


HandlingMode.__codes__ = {"1": "窗口办理", "2": "网上办理", "3": "移动端", "4": "快递申请", "9": "其他"}


class ResultType(CodedEnum):
    LICENCE = "证照"
    APPROVAL = "批文"
    OTHER = "其他"
    NONE = "无"


class SpecialProcedureKind(CodedEnum):
    EXTENSION = "延长审批"
    OTHER = "其他"


SpecialProcedureKind.__codes__ = {"1": "延长审批", "2": "其他"}


class MaterialKind(CodedEnum):
    ORIGINAL = "原件"
    COPY = "复印件"
    BOTH = "原件和复印件"


MaterialKind.__synonyms__ = {"原件及复印件": "原件和复印件", "原件、复印件": "原件和复印件", "原件与复印件": "原件和复印件"}


class MaterialForm(CodedEnum):
    PAPER = "纸质"
    ELECTRONIC = "电子"
    BOTH = "纸质和电子"


MaterialForm.__synonyms__ = {"纸质及电子": "纸质和电子", "纸质、电子": "纸质和电子", "电子版": "电子", "纸质版": "纸质"}


class Necessity(CodedEnum):
    REQUIRED = "必要"
    OPTIONAL = "非必要"
    DEFERRABLE = "容缺后补"


Necessity.__synonyms__ = {"必须": "必要", "必需": "必要", "非必须": "非必要", "容缺": "容缺后补"}


class MaterialSource(CodedEnum):
    APPLICANT = "申请人自备"
    GOVERNMENT = "政府部门核发"
    OTHER = "其他"


MaterialSource.__synonyms__ = {"申请人": "申请人自备", "政府部门": "政府部门核发"}

# The 权力 item types (everything but 公共服务): these need 权力来源 (GB/T 39046—2020).
POWER_TYPES = frozenset(t for t in ItemType if t is not ItemType.PUBLIC_SERVICE)


def _key(text: str) -> str:
    # Full-width digits and brackets from Word and WPS, stray spaces: judge the value, not its typing.
    return "".join(unicodedata.normalize("NFKC", text).split())


@lru_cache(maxsize=None)
def _index(cls: Type[CodedEnum]) -> dict[str, CodedEnum]:
    out: dict[str, CodedEnum] = {}
    for member in cls:
        out[_key(member.value)] = member
    for code, name in _codes(cls).items():
        out[code] = cls(name)
    for alias, name in getattr(cls, "__synonyms__", {}).items():
        out[_key(alias)] = cls(name)
    return out


def lookup(cls: Type[CodedEnum], raw: object) -> CodedEnum | None:
    """The member named or coded by `raw` (code, Chinese name or a common synonym), else None."""
    if isinstance(raw, cls):
        return raw
    if isinstance(raw, bool) or raw is None:
        return None
    text = _key(str(raw))
    index = _index(cls)
    if text in index:
        return index[text]
    if text.isdigit():  # YAML reads `item_type: 01` as the integer 1
        return index.get(text.zfill(2)) or index.get(text.lstrip("0") or "0")
    return None


def allowed_values(cls: Type[CodedEnum]) -> list[str]:
    """How the allowed values read in a message: "01 行政许可" where a code exists, else the name."""
    out = []
    for member in cls:
        out.append(f"{member.code} {member.value}" if member.code else member.value)
    return out
