"""The blank YAML guide of `hnsubmit guide new --format yaml`: every element, its Chinese label and allowed values."""

from __future__ import annotations

from pydantic import BaseModel

from hnsubmit.guide.coded import codes_for
from hnsubmit.guide.model import SUBMODELS, OfficeGuide, field_kind, label
from hnsubmit.guide.profiles import MATERIAL_REQUIRED, Profile

EMPTY = {"items": "[]", "enums": "[]", "files": "[]", "basis": "[]", "orgs": "[]", "procedures": "[]", "faq": "[]"}


def _line(model: type[BaseModel], name: str, required: tuple[str, ...], indent: str, first: str = "") -> str:
    kind = field_kind(model, name)
    value = EMPTY.get(kind, '""')
    note = label(model, name) + (" [必填]" if name in required else "")
    allowed = codes_for(model, name)
    if allowed:
        note += ":" + "、".join(allowed)
    elif kind == "bool":
        note += ":是 / 否"
    elif kind == "days":
        note += ":如 20 或“20个工作日”"
    elif kind in ("items",):
        note += ":每项一行,以“- ”开头"
    return f"{indent}{first}{name}: {value}  # {note}"


def blank_yaml(profile: Profile) -> str:
    out = [
        f"# 办事指南 — 由 `hnsubmit guide new --format yaml` 生成,规范 {profile.name}({profile.title_zh})",
        "# 带 [必填] 的要素必须填写;字段名也可以写成中文名称。填好后运行:hnsubmit guide check 本文件.yaml",
    ]
    for name in OfficeGuide.model_fields:
        if name in SUBMODELS and name in ("materials", "fees"):
            sub = SUBMODELS[name]
            req = MATERIAL_REQUIRED if name == "materials" else ()
            title = label(OfficeGuide, name) + (" [必填]" if name in profile.required else "")
            title += "" if name == "materials" else "(“是否收费”为“是”时逐项填写)"
            out.append(f"{name}:  # {title}")
            for i, sub_name in enumerate(sub.model_fields):
                out.append(_line(sub, sub_name, req, "  ", "- " if i == 0 else "  "))
            continue
        out.append(_line(OfficeGuide, name, profile.required, ""))
    return "\n".join(out) + "\n"
