"""The office guide (办事指南) as a pydantic model: every field with its Chinese label and accepted aliases.

Every field is optional here: which ones a guide must fill depends on the profile (profiles.py), and
a missing field is a finding (GDE002), not a parse failure.  Enums are stored by their Chinese name
and accept the code or the name (enums/codes.py).  `x-kind` tells readers and rules what a value is.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache, partial
from typing import Annotated, Any, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from hnsubmit.guide.enums import codes as c


def _coded(cls, raw: Any) -> Any:
    found = c.lookup(cls, raw)
    return found if found is not None else raw


def Coded(cls):  # noqa: N802 - reads like a type
    return Annotated[cls, BeforeValidator(partial(_coded, cls))]


def F(label: str, en: str, kind: str = "text", aliases: tuple[str, ...] = (), **kw: Any) -> Any:
    """A field with its Chinese label (title), English name, kind and the labels readers also accept."""
    return Field(
        default=None,
        title=label,
        description=en,
        json_schema_extra={"x-kind": kind, "x-aliases": list(aliases)},
        **kw,
    )


Count = Annotated[int, Field(ge=0, le=99)]
Days = Annotated[int, Field(ge=0, le=10000)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False, validate_assignment=False)


class LegalBasis(_Part):
    law_name: Optional[str] = F("法律法规名称", "name of the law or regulation", aliases=("依据名称", "名称"), max_length=200)
    doc_number: Optional[str] = F("文号", "document number", aliases=("发文字号",), max_length=100)
    article: Optional[str] = F("条款号", "article", aliases=("条款", "条目"), max_length=100)
    article_text: Optional[str] = F("条款内容", "text of the article", aliases=("内容",), max_length=5000)


class JointOrg(_Part):
    name: Optional[str] = F("联办机构名称", "name", aliases=("名称",), max_length=100)
    uscc: Optional[str] = F("联办机构代码", "unified social credit code", "uscc", aliases=("统一社会信用代码", "代码"))


class SpecialProcedure(_Part):
    kind: Optional[Coded(c.SpecialProcedureKind)] = F("特别程序种类", "kind", "enum", aliases=("种类",))
    name: Optional[str] = F("特别程序名称", "name", aliases=("名称",), max_length=200)
    time_limit: Optional[Days] = F("特别程序时限", "time limit", "days", aliases=("时限",))
    time_limit_unit: Optional[Coded(c.TimeUnit)] = F("特别程序时限单位", "time-limit unit", "enum", aliases=("时限单位",))
    basis: Optional[str] = F("特别程序依据", "legal basis", aliases=("依据",), max_length=2000)


class Faq(_Part):
    question: Optional[str] = F("问题", "question", max_length=2000)
    answer: Optional[str] = F("解答", "answer", aliases=("答复", "回答"), max_length=5000)


class Fee(_Part):
    name: Optional[str] = F("收费项目名称", "fee item", aliases=("收费项目", "项目名称", "名称"), max_length=200)
    standard: Optional[str] = F("收费标准", "amount or scale", aliases=("标准",), max_length=2000)
    basis: Optional[str] = F("收费依据", "legal basis with its document number", aliases=("依据",), max_length=2000)
    reducible: Optional[bool] = F("是否允许减免", "may be reduced or waived", "bool", aliases=("是否减免", "可否减免"))
    reduction_basis: Optional[str] = F("减免依据", "basis for reduction", max_length=2000)


class Material(_Part):
    name: Optional[str] = F("材料名称", "name", aliases=("名称", "申请材料"), max_length=200)
    kind: Optional[Coded(c.MaterialKind)] = F("材料类型", "original or copy", "enum", aliases=("原件/复印件",))
    form: Optional[Coded(c.MaterialForm)] = F("材料形式", "paper or electronic", "enum", aliases=("纸质/电子",))
    originals: Optional[Count] = F("原件份数", "number of originals", "count", aliases=("原件数",))
    copies: Optional[Count] = F("复印件份数", "number of copies", "count", aliases=("复印件数",))
    paper_size: Optional[str] = F("纸质规格", "paper size", aliases=("纸张规格",), max_length=50)
    necessity: Optional[Coded(c.Necessity)] = F("必要性", "necessity", "enum", aliases=("是否必要", "必要性及描述"))
    source: Optional[Coded(c.MaterialSource)] = F("来源渠道", "where it comes from", "enum", aliases=("材料来源", "来源"))
    issuer: Optional[str] = F("出具机构", "issuing body", aliases=("出具单位", "来源渠道说明", "核发机构"), max_length=200)
    is_form: Optional[bool] = F("是否表格", "is a form to fill in", "bool", aliases=("表格",))
    blank_form: Optional[list[str]] = F("空白表格", "blank form files (Word and PDF)", "files", aliases=("空表", "表格下载"))
    sample_form: Optional[list[str]] = F("示例样表", "filled-in sample files", "files", aliases=("样表", "示范文本"))
    fill_notes: Optional[str] = F("填报须知", "how to fill it in", aliases=("填写说明",), max_length=5000)
    acceptance_standard: Optional[str] = F("受理标准", "acceptance standard", max_length=5000)
    basis: Optional[str] = F("材料依据", "basis", aliases=("依据",), max_length=2000)


TextItem = Annotated[str, Field(max_length=5000)]


class OfficeGuide(_Part):
    """One office guide (办事指南): the GB/T 39046—2020 element set plus the portal-era names."""

    item_name: Optional[str] = F("事项名称", "item name", aliases=("项目名称", "办事事项", "事项"), max_length=200)
    catalog_code: Optional[str] = F("基本编码", "catalogue code", "code", aliases=("事项编码", "基本目录编码"), max_length=40)
    implement_code: Optional[str] = F("实施编码", "implementation code", "code", aliases=("实施清单编码",), max_length=60)
    handle_item_code: Optional[str] = F("业务办理项编码", "handling-item code", "code", aliases=("办理项编码",), max_length=70)
    item_type: Optional[Coded(c.ItemType)] = F("事项类型", "item type", "enum", aliases=("事项类别", "权力类型"))
    legal_basis: Optional[list[LegalBasis]] = F("设定依据", "legal basis", "basis", aliases=("法律依据", "法定依据", "办理依据"))
    exercise_level: Optional[Coded(c.ExerciseLevel)] = F("行使层级", "level exercising the power", "enum")
    power_source: Optional[Coded(c.PowerSource)] = F("权力来源", "source of the power", "enum")
    implementing_org: Optional[str] = F("实施主体", "implementing body", aliases=("实施机关", "实施机构", "办理部门"), max_length=100)
    implementing_org_uscc: Optional[str] = F("实施主体代码", "implementing body's USCC", "uscc", aliases=("实施主体编码", "统一社会信用代码"))
    implementing_org_nature: Optional[Coded(c.OrgNature)] = F("实施主体性质", "nature of the implementing body", "enum")
    entrusting_org: Optional[str] = F("委托部门", "entrusting body", aliases=("委托机关",), max_length=100)
    handling_office: Optional[str] = F("承办机构", "handling office", aliases=("承办处室", "办理机构", "承办科室"), max_length=100)
    joint_orgs: Optional[list[JointOrg]] = F("联办机构", "joint bodies", "orgs")
    service_objects: Optional[list[Coded(c.ServiceObject)]] = F("服务对象", "who may apply", "enums", aliases=("办理对象",))
    acceptance_conditions: Optional[list[TextItem]] = F("受理条件", "conditions", "items", aliases=("基本要求", "申请条件", "办理条件"))
    quantity_limit: Optional[str] = F("数量限制", "quantity limit", max_length=2000)
    intermediary_services: Optional[str] = F("中介服务", "intermediary services", max_length=2000)
    materials: Optional[list[Material]] = F("申请材料", "materials", "materials", aliases=("申请材料目录", "材料清单"))
    procedure: Optional[list[TextItem]] = F("办理流程", "procedure", "items", aliases=("办事程序", "办理程序", "办事流程"))
    procedure_chart: Optional[str] = F("流程图", "flow chart file", "file", max_length=500)
    case_type: Optional[Coded(c.CaseType)] = F("办件类型", "case type", "enum")
    legal_time_limit: Optional[Days] = F("法定办结时限", "statutory time limit", "days", aliases=("办理期限", "法定时限"))
    legal_time_limit_unit: Optional[Coded(c.TimeUnit)] = F("法定办结时限单位", "unit of the statutory limit", "enum", aliases=("法定时限单位",))
    promised_time_limit: Optional[Days] = F("承诺办结时限", "promised time limit", "days", aliases=("承诺时限", "承诺期限"))
    promised_time_limit_unit: Optional[Coded(c.TimeUnit)] = F("承诺办结时限单位", "unit of the promised limit", "enum", aliases=("承诺时限单位",))
    onsite_visits: Optional[Annotated[int, Field(ge=0, le=99)]] = F("到办事现场次数", "visits in person", "count", aliases=("到现场次数", "跑动次数"))
    special_procedures: Optional[list[SpecialProcedure]] = F("特别程序", "special procedures", "procedures")
    handling_modes: Optional[list[Coded(c.HandlingMode)]] = F("办理形式", "how to apply", "enums", aliases=("办理方式",))
    online: Optional[bool] = F("是否网办", "can be done online", "bool", aliases=("是否网上办理", "是否支持网上办理"))
    online_url: Optional[str] = F("网办地址", "online address", "url", aliases=("网上办理地址", "在线办理地址"), max_length=500)
    address: Optional[str] = F("办理地点", "where", aliases=("受理地点", "办公地点"), max_length=500)
    office_hours: Optional[str] = F("办理时间", "office hours", aliases=("受理时间", "工作时间"), max_length=500)
    fee_required: Optional[bool] = F("是否收费", "charges a fee", "bool")
    fees: Optional[list[Fee]] = F("收费项目", "fees", "fees", aliases=("收费标准",))
    result_name: Optional[str] = F("审批结果名称", "result", aliases=("审批结果", "办理结果"), max_length=200)
    result_type: Optional[Coded(c.ResultType)] = F("审批结果类型", "result type", "enum", aliases=("结果类型",))
    result_sample: Optional[str] = F("审批结果样本", "sample of the result", "file", max_length=500)
    consult_methods: Optional[str] = F("咨询方式", "how to ask", max_length=2000)
    consult_phone: Optional[str] = F("咨询电话", "enquiry phone", "phone", aliases=("联系电话",), max_length=200)
    complaint_methods: Optional[str] = F("监督投诉方式", "how to complain", aliases=("投诉方式",), max_length=2000)
    complaint_phone: Optional[str] = F("监督投诉电话", "complaint phone", "phone", aliases=("投诉电话", "监督电话"), max_length=200)
    admin_review: Optional[str] = F("行政复议", "administrative review", aliases=("行政复议途径",), max_length=2000)
    admin_litigation: Optional[str] = F("行政诉讼", "administrative litigation", aliases=("行政诉讼途径",), max_length=2000)
    faq: Optional[list[Faq]] = F("常见问题", "frequently asked questions", "faq")
    effective_date: Optional[dt.date] = F("生效日期", "in force from", "date")
    cancel_date: Optional[dt.date] = F("取消日期", "cancelled on", "date")


SUBMODELS: dict[str, type[BaseModel]] = {
    "legal_basis": LegalBasis,
    "joint_orgs": JointOrg,
    "special_procedures": SpecialProcedure,
    "faq": Faq,
    "fees": Fee,
    "materials": Material,
}


@lru_cache(maxsize=None)
def field_kind(model: type[BaseModel], name: str) -> str:
    # cached: asked for every value of every guide, and pydantic's model_fields costs a property call
    extra = model.model_fields[name].json_schema_extra or {}
    return extra.get("x-kind", "text")  # type: ignore[union-attr]


def label(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].title or name


def english(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].description or name


def aliases(model: type[BaseModel], name: str) -> list[str]:
    extra = model.model_fields[name].json_schema_extra or {}
    return list(extra.get("x-aliases", []))  # type: ignore[union-attr]
