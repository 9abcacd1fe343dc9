"""Cross-field rules over one built guide (GDE002, GDE004–GDE015): each a small function yielding findings.

An explicit registry (yamllint's way): `RULES` lists every rule function; each reads the model and
the builder's Meta (what was present, placeholders, locations) so that one defect gives one finding:
a placeholder is not also "missing", an unknown code is not also "incomplete".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import urlsplit

from hnsubmit.rules.findings import Finding, Location, finding
from hnsubmit.guide import phones
from hnsubmit.guide.build import R, describe, shown
from hnsubmit.guide.cells import render_time
from hnsubmit.guide.enums.codes import POWER_TYPES, CaseType, ItemType, MaterialForm, MaterialSource, OrgNature, PowerSource
from hnsubmit.guide.model import Material, OfficeGuide, label
from hnsubmit.guide.profiles import BASIS_REQUIRED, FEE_REQUIRED, MATERIAL_REQUIRED, Profile

# A document number: 〔2019〕914号, [2019]914号, 国务院令第412号, 主席令第四十七号.
DOC_NUMBER = re.compile(
    r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d+\s*号|令\s*第?\s*[\d一二三四五六七八九十百零〇两]+\s*号"
)
# A law (《…法》 but not 《…办法》) or an administrative regulation (国务院令, a national 《…条例》).
LAW_OR_REGULATION = re.compile(r"《[^》]*(?<!办)法》|国务院令|《(?!青海省|海南|西宁|[^》]{2,6}[省市州县])[^》]*条例》")
CATCH_ALL = re.compile(
    r"(?:法律|法规|规章|政策)[^。；;\n]{0,12}(?:规定|要求)的其[他它](?:条件|材料|情形)"
    r"|其[他它](?:相关|有关|必要|需要提供的|需要的|需提交的|应当提交的)?(?:材料|资料|证明材料|证明文件)"
)
ENTRUSTED_SOURCES = {PowerSource.ENTRUSTED_BY_SUPERIOR, PowerSource.ENTRUSTED_BY_PEER}


@dataclass
class RuleContext:
    guide: OfficeGuide
    meta: Any  # build.Meta
    profile: Profile
    source: str

    def at(self, code: str, path: str, location: Location | None = None, **args: Any) -> Finding:
        return finding(code, self.source, location or self.meta.locate(path), **args)

    def missing(self, code: str, path: str, **args: Any) -> Finding:
        return finding(code, self.source, self.meta.locate_missing(path), **args)


Rule = Callable[[RuleContext], Iterable[Finding]]


def item_label(i: int, name: str | None) -> dict[str, str]:
    return R(f"第{i + 1}项「{name}」" if name else f"第{i + 1}项", f"#{i + 1} “{name}”" if name else f"#{i + 1}")


def required_elements(rc: RuleContext) -> Iterator[Finding]:
    """GDE002: the profile's required elements and the conditional ones."""
    g, meta, prof = rc.guide, rc.meta, rc.profile
    needed = list(prof.required)
    if prof.name == "national":
        if g.item_type in POWER_TYPES:
            needed.append("power_source")
        if g.implementing_org_nature is OrgNature.ENTRUSTED_ORG or g.power_source in ENTRUSTED_SOURCES:
            needed.append("entrusting_org")
    for limit in ("legal_time_limit", "promised_time_limit"):
        if getattr(g, limit):  # a limit above 0 means nothing without its unit
            needed.append(f"{limit}_unit")
    for name in needed:
        if not meta.seen(name):
            yield rc.missing("GDE002", name, field=describe(name), profile=prof.name)
    for i, basis in enumerate(g.legal_basis or ()):
        for name in BASIS_REQUIRED:
            path = f"legal_basis[{i}].{name}"
            if not meta.seen(path):
                yield rc.missing("GDE002", path, field=describe(path), profile=prof.name)


def _required_path(rc: RuleContext, path: str) -> bool:
    top = path.split(".", 1)[0].split("[", 1)[0]
    leaf = path.rsplit(".", 1)[-1] if "." in path else ""
    if "." not in path:
        return top in rc.profile.required
    if top == "materials":
        return leaf in MATERIAL_REQUIRED
    if top == "fees":
        return leaf in FEE_REQUIRED and rc.guide.fee_required is True
    if top == "legal_basis":
        return leaf in BASIS_REQUIRED
    return False


def placeholders(rc: RuleContext) -> Iterator[Finding]:
    """GDE004: "无", "—", "暂无", "详见…" or an empty numbered item where a real value is required."""
    for path, value in rc.meta.placeholders.items():
        if _required_path(rc, path):
            yield rc.at("GDE004", path, field=describe(path), value=shown(value))


def time_limits(rc: RuleContext) -> Iterator[Finding]:
    """GDE005 promised > statutory in the same unit; GDE006 units differ."""
    g = rc.guide
    if g.legal_time_limit is None or g.promised_time_limit is None:
        return
    lu, pu = g.legal_time_limit_unit, g.promised_time_limit_unit
    promised = render_time(g.promised_time_limit, pu)
    legal = render_time(g.legal_time_limit, lu)
    if lu is not None and pu is not None and lu is not pu and g.promised_time_limit > 0:
        yield rc.at("GDE006", "promised_time_limit_unit", promised_unit=pu.value, legal_unit=lu.value)
    elif (lu is pu or pu is None or lu is None) and g.promised_time_limit > g.legal_time_limit:
        yield rc.at("GDE005", "promised_time_limit", promised=promised, legal=legal)


def case_type(rc: RuleContext) -> Iterator[Finding]:
    """GDE007: 即办件 promises 0 (当场办结); 承诺件 promises at least 1."""
    g = rc.guide
    if g.case_type is None or g.promised_time_limit is None:
        return
    promised = render_time(g.promised_time_limit, g.promised_time_limit_unit)
    if g.case_type is CaseType.IMMEDIATE and g.promised_time_limit != 0:
        yield rc.at("GDE007", "promised_time_limit", case_type="即办件", promised=promised,
                    reason=R("即办件应当场办结,承诺时限为 0", "an immediate case is done on the spot: 0"))
    if g.case_type is CaseType.PROMISED and g.promised_time_limit == 0:
        yield rc.at("GDE007", "promised_time_limit", case_type="承诺件", promised=promised,
                    reason=R("承诺件的承诺时限至少 1 天,当场办结的应为即办件", "a promised case takes at least 1 day; same-day items are immediate cases"))


def _uscc_problem(value: str) -> dict[str, str] | None:
    problem = _uscc_verdict(value)
    return dict(problem) if problem else None  # a copy: findings own their arguments


@lru_cache(maxsize=4096)
def _uscc_verdict(value: str) -> dict[str, str] | None:
    # cached: a batch names the same few implementing bodies on every row
    from stdnum import exceptions
    from stdnum.cn import uscc

    try:
        uscc.validate(value)
    except exceptions.InvalidLength:
        return R(f"应为 18 位,实际 {len(value)} 位", f"should have 18 characters, has {len(value)}")
    except exceptions.InvalidChecksum:
        return R(f"校验位应为 {uscc.calc_check_digit(value[:17])}", f"the check character should be {uscc.calc_check_digit(value[:17])}")
    except exceptions.ValidationError:
        return R("含有不允许的字符(前 8 位为数字,不含 I、O、S、V、Z)", "contains characters not allowed (8 leading digits; no I, O, S, V, Z)")
    return None


def uscc_codes(rc: RuleContext) -> Iterator[Finding]:
    """GDE008: 实施主体代码 and 联办机构代码 pass the GB 32100 check."""
    pairs = [("implementing_org_uscc", rc.guide.implementing_org_uscc)]
    pairs += [(f"joint_orgs[{i}].uscc", o.uscc) for i, o in enumerate(rc.guide.joint_orgs or ())]
    for path, value in pairs:
        if value:
            problem = _uscc_problem(value)
            if problem:
                yield rc.at("GDE008", path, field=describe(path), value=value, reason=problem)


def code_layout(rc: RuleContext) -> Iterator[Finding]:
    """GDE009 (warning): 基本编码 12 chars; 实施编码 = USCC + 行使层级 + 基本编码; 办理项编码 = 实施编码 + 2 digits."""
    g = rc.guide
    if g.catalog_code and len(g.catalog_code) != 12:
        yield rc.at("GDE009", "catalog_code", field=describe("catalog_code"), value=g.catalog_code,
                    reason=R(f"基本编码通常为 12 位,这里是 {len(g.catalog_code)} 位", f"catalogue codes usually have 12 characters, this has {len(g.catalog_code)}"))
    if g.implement_code:
        level = g.exercise_level.code if g.exercise_level else None
        parts_ok = g.implementing_org_uscc and not _uscc_problem(g.implementing_org_uscc) and level and g.catalog_code
        if parts_ok:
            expected = f"{g.implementing_org_uscc}{level}{g.catalog_code}"
            if g.implement_code != expected:
                yield rc.at("GDE009", "implement_code", field=describe("implement_code"), value=g.implement_code,
                            reason=R(f"按实施主体代码+行使层级+基本编码应为 {expected}", f"USCC + level + catalogue code gives {expected}"))
        elif len(g.implement_code) != 31:
            yield rc.at("GDE009", "implement_code", field=describe("implement_code"), value=g.implement_code,
                        reason=R(f"实施编码通常为 31 位,这里是 {len(g.implement_code)} 位", f"implementation codes usually have 31 characters, this has {len(g.implement_code)}"))
    if g.handle_item_code and g.implement_code:
        if not re.fullmatch(re.escape(g.implement_code) + r"\d{2}", g.handle_item_code):
            yield rc.at("GDE009", "handle_item_code", field=describe("handle_item_code"), value=g.handle_item_code,
                        reason=R("业务办理项编码应为实施编码加 2 位数字", "a handling-item code is the implementation code plus 2 digits"))


def phone_numbers(rc: RuleContext) -> Iterator[Finding]:
    """GDE010: 咨询电话 and 监督投诉电话 in area-code form (0974-8512345) or a valid short hotline."""
    for path in ("consult_phone", "complaint_phone"):
        value = getattr(rc.guide, path)
        if value:
            for problem in phones.judged(value):
                yield rc.at("GDE010", path, field=describe(path), value=shown(problem.number), reason=problem.reason)


def fees(rc: RuleContext) -> Iterator[Finding]:
    """GDE011: a fee-charging item lists its fees, each with amount and a basis citing a document number."""
    g, meta = rc.guide, rc.meta
    if g.fee_required is False and g.fees:
        yield rc.at("GDE011", "fees", item=R("", ""), reason=R("“是否收费”为“否”,却列出了收费项目", "是否收费 is no but fees are listed"))
        return
    if g.fee_required is not True:
        return
    if not meta.seen("fees"):
        yield rc.missing("GDE011", "fees", item=R("", ""), reason=R("“是否收费”为“是”,但没有列出收费项目", "是否收费 is yes but no fee is listed"))
        return
    for i, fee in enumerate(g.fees or ()):
        base = f"fees[{i}]"
        gaps = [label(type(fee), k) for k in FEE_REQUIRED if not meta.seen(f"{base}.{k}")]
        reasons = []
        if gaps:
            reasons.append(R("缺少" + "、".join(gaps), "lacks " + ", ".join(gaps)))
        if fee.basis and f"{base}.basis" not in meta.placeholders and not DOC_NUMBER.search(fee.basis):
            reasons.append(R("收费依据没有文号", "the basis cites no document number"))
        if reasons:
            yield rc.at("GDE011", base, item=item_label(i, fee.name),
                        reason={"zh": ";".join(r["zh"] for r in reasons), "en": "; ".join(r["en"] for r in reasons)})


def licence_fee_basis(rc: RuleContext) -> Iterator[Finding]:
    """GDE012 (warning): a licensing item may charge only on the basis of a law or administrative regulation."""
    g = rc.guide
    if g.item_type is not ItemType.ADMIN_LICENSE or g.fee_required is not True:
        return
    for i, fee in enumerate(g.fees or ()):
        if fee.basis and not LAW_OR_REGULATION.search(fee.basis):
            yield rc.at("GDE012", f"fees[{i}].basis", item=item_label(i, fee.name))


def online_url(rc: RuleContext) -> Iterator[Finding]:
    """GDE013: an item done online needs an http(s) address ("无" is not one)."""
    g = rc.guide
    if g.online is not True:
        return
    url = g.online_url
    if url:
        try:
            parts = urlsplit(url)
        except ValueError:  # "https://zwfw.qinghai.gov.[n/": an unclosed "[" reads as a broken IPv6 host
            parts = None
        if parts and parts.scheme in ("http", "https") and "." in parts.netloc and " " not in url:
            return
        yield rc.at("GDE013", "online_url", value=shown(url))
        return
    value = rc.meta.placeholders.get("online_url", "(未填写)")
    loc = rc.meta.where.get("online_url") or rc.meta.locate_missing("online_url")
    yield rc.at("GDE013", "online_url", loc, value=shown(value))


def catch_all(rc: RuleContext) -> Iterator[Finding]:
    """GDE014 (warning): "法律、法规规定的其他条件", "其他相关材料" instead of a list."""
    g = rc.guide
    texts = [(f"acceptance_conditions[{i}]", t) for i, t in enumerate(g.acceptance_conditions or ())]
    texts += [(f"materials[{i}].name", m.name) for i, m in enumerate(g.materials or ()) if m.name]
    for path, text in texts:
        m = CATCH_ALL.search(text)
        if m:
            yield rc.at("GDE014", path, field=describe(path), value=shown(text))


def materials(rc: RuleContext) -> Iterator[Finding]:
    """GDE015: every material has name, original/copy, number, paper/electronic, source, necessity (and issuer)."""
    meta = rc.meta
    for i, m in enumerate(rc.guide.materials or ()):
        base = f"materials[{i}]"
        gaps = [label(Material, k) for k in MATERIAL_REQUIRED if not meta.seen(f"{base}.{k}")]
        paper = m.form in (MaterialForm.PAPER, MaterialForm.BOTH)
        # An unreadable count is already GDE018; a placeholder count ("—") is as good as none.
        counts_bad = any(f"{base}.{k}" in meta.invalid for k in ("originals", "copies"))
        if paper and not (m.originals or m.copies) and not counts_bad:
            gaps.append("份数")
        if m.source is MaterialSource.GOVERNMENT and not meta.seen(f"{base}.issuer"):
            gaps.append(label(Material, "issuer"))
        if gaps:
            yield rc.at("GDE015", base, item=item_label(i, m.name), missing=R("、".join(gaps), ", ".join(gaps)))


RULES: tuple[Rule, ...] = (
    required_elements,
    placeholders,
    time_limits,
    case_type,
    uscc_codes,
    code_layout,
    phone_numbers,
    fees,
    licence_fee_basis,
    online_url,
    catch_all,
    materials,
)


def run_rules(rc: RuleContext) -> list[Finding]:
    out: list[Finding] = []
    for rule in RULES:
        out.extend(rule(rc))
    return out
