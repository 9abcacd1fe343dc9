"""The two validation profiles: which elements a guide must fill in, and the JSON Schema each implies.

`portal-2015` is the portal-era minimum of the 2015 notice's time (项目名称, 承办处室, 基本要求, 办事程序,
法律依据, 办理期限, 收费, 办理地点, 办理时间, 咨询电话, 监督投诉电话; forms in Word and PDF);
`national` is the GB/T 39046—2020 element set.  Conditional elements (权力来源, 委托部门, units,
收费项目, 网办地址) are judged by rules.py in both profiles.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from hnsubmit.errors import UsageError


@dataclass(frozen=True)
class Profile:
    name: str
    title_zh: str
    title_en: str
    required: tuple[str, ...]


PORTAL_2015 = Profile(
    "portal-2015",
    "门户网站办事指南要素(2015)",
    "portal-era office guide elements (2015)",
    (
        "item_name", "handling_office", "acceptance_conditions", "materials", "procedure", "legal_basis",
        "legal_time_limit", "fee_required", "address", "office_hours", "consult_phone", "complaint_phone",
    ),
)
NATIONAL = Profile(
    "national",
    "GB/T 39046—2020 政务服务事项基础数据",
    "GB/T 39046—2020 service item data",
    (
        "item_name", "catalog_code", "implement_code", "item_type", "legal_basis", "exercise_level",
        "implementing_org", "implementing_org_uscc", "implementing_org_nature", "service_objects",
        "acceptance_conditions", "materials", "procedure", "case_type", "legal_time_limit",
        "promised_time_limit", "onsite_visits", "handling_modes", "online", "address", "office_hours",
        "fee_required", "consult_phone", "complaint_phone",
    ),
)
PROFILES: dict[str, Profile] = {p.name: p for p in (PORTAL_2015, NATIONAL)}
DEFAULT = PORTAL_2015.name

# Sub-records: what each one must hold, whatever the profile.
MATERIAL_REQUIRED = ("name", "kind", "form", "necessity", "source")
FEE_REQUIRED = ("name", "standard", "basis")
BASIS_REQUIRED = ("law_name",)


def get_profile(name: str | None) -> Profile:
    key = (name or DEFAULT).strip().lower()
    if key not in PROFILES:
        raise UsageError(
            "Unknown office-guide profile {profile}.", hint="Use one of: {known}.", profile=name, known=", ".join(PROFILES)
        )
    return PROFILES[key]


def _not_null(prop: dict[str, Any]) -> dict[str, Any]:
    """An Optional[...] property as required: drop the null branch, keep title and description."""
    branches = [b for b in prop.get("anyOf", []) if b.get("type") != "null"]
    out = {k: v for k, v in prop.items() if k not in ("anyOf", "default")}
    if len(branches) == 1:
        out.update(branches[0])
    elif branches:
        out["anyOf"] = branches
    if out.get("type") == "array":
        out["minItems"] = 1
    if out.get("type") == "string":
        out["minLength"] = 1
    return out


def guide_schema(profile_name: str | None = None) -> dict[str, Any]:
    """The JSON Schema (2020-12) of one exported guide under `profile_name`."""
    from hnsubmit.guide.model import OfficeGuide

    profile = get_profile(profile_name)
    schema = copy.deepcopy(OfficeGuide.model_json_schema())
    props = schema["properties"]
    for name in profile.required:
        props[name] = _not_null(props[name])
    schema["required"] = list(profile.required)
    material = schema["$defs"]["Material"]
    material["required"] = list(MATERIAL_REQUIRED)
    for name in MATERIAL_REQUIRED:
        material["properties"][name] = _not_null(material["properties"][name])
    schema["allOf"] = [
        {  # 是否收费 ⇒ at least one fee, each with amount and basis
            "if": {"properties": {"fee_required": {"const": True}}, "required": ["fee_required"]},
            "then": {
                "required": ["fees"],
                "properties": {"fees": {"type": "array", "minItems": 1, "items": {"required": list(FEE_REQUIRED)}}},
            },
        },
        {  # 是否网办 ⇒ an http(s) address
            "if": {"properties": {"online": {"const": True}}, "required": ["online"]},
            "then": {"required": ["online_url"], "properties": {"online_url": {"type": "string", "pattern": "^https?://"}}},
        },
    ]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"办事指南 office guide ({profile.name})"
    schema["description"] = f"{profile.title_zh} / {profile.title_en}"
    return schema
