"""Which elements the Word template and the Excel batch show, in which order, and how each becomes cell text.

Shared by the writers (DOCX, XLSX) so that what they write is exactly what the readers read back: the
要素 table and the first sheet carry every element except the materials and fees (their own tables);
a time limit and its unit share one cell ("20个工作日").
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from hnsubmit.guide.cells import render, render_time
from hnsubmit.guide.model import Fee, Material, OfficeGuide, field_kind, label

UNIT_OF = {"legal_time_limit": "legal_time_limit_unit", "promised_time_limit": "promised_time_limit_unit"}
OWN_TABLES = ("materials", "fees")

GUIDE_ROWS: tuple[str, ...] = tuple(
    name for name in OfficeGuide.model_fields if name not in OWN_TABLES and name not in UNIT_OF.values()
)
MATERIAL_COLUMNS: tuple[str, ...] = tuple(Material.model_fields)
FEE_COLUMNS: tuple[str, ...] = tuple(Fee.model_fields)
GUIDE_ROW_HEADER = "指南行号"  # the key column of the material and fee sheets


def cell_text(model: type[BaseModel], record: BaseModel | None, name: str) -> str:
    if record is None:
        return ""
    value: Any = getattr(record, name)
    if name in UNIT_OF and model is OfficeGuide:
        return render_time(value, getattr(record, UNIT_OF[name]))
    if isinstance(value, list) and value and isinstance(value[0], BaseModel):
        value = [v.model_dump() for v in value]
    return render(name, field_kind(model, name), value)


def header(model: type[BaseModel], name: str, required: tuple[str, ...] = ()) -> str:
    """The column or row label; required elements of a blank template carry a '*' (readers drop it)."""
    text = label(model, name)
    return f"*{text}" if name in required else text
