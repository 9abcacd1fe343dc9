"""Regenerate the generated office-guide examples under examples/office-guides/ (run: python scripts/make_guide_examples.py).

The six YAML guides and the JSON list are written by hand.  This script makes what cannot be hand
written: the forms (Word with python-docx, PDF by hand), the Word-template guide, the twenty-row Excel
batch, and one negative example per GDE rule, each a clean guide with exactly one defect.  Every
统一社会信用代码 is fictitious; its check character is computed with python-stdnum so it passes GB 32100.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "examples" / "office-guides"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import yaml  # noqa: E402
from stdnum.cn import uscc  # noqa: E402

from factories import make_docx, make_pdf  # noqa: E402
from hnsubmit.guide.docx_writer import write_guide_docx  # noqa: E402
from hnsubmit.guide.model import OfficeGuide  # noqa: E402
from hnsubmit.guide.xlsx_template import write_guides_xlsx  # noqa: E402

REGION = {"州": "632500", "共和县": "632521", "同德县": "632522", "贵德县": "632523", "兴海县": "632524", "贵南县": "632525"}
SEAT = {"州": "共和县恰卜恰镇", "共和县": "恰卜恰镇", "同德县": "尕巴松多镇", "贵德县": "河阴镇", "兴海县": "子科滩镇", "贵南县": "茫曲镇"}
HOURS = "周一至周五 上午9:00—12:00,下午14:30—17:30(法定节假日除外)"
URL = "https://zwfw.qinghai.gov.cn/"
FORMS = {
    "个体工商户登记申请书": ["个体工商户登记(备案)申请书", "经营者姓名:", "经营场所:", "经营范围:", "经营者签字:            年  月  日"],
    "中国公民出入境证件申请表": ["中国公民出入境证件申请表", "姓名:", "性别:", "出生日期:", "申请事由:", "申请人签名:"],
    "不动产登记申请书": ["不动产登记申请书", "申请登记事由:", "不动产坐落:", "不动产单元号:", "申请人签章:"],
    "城乡居民基本养老保险参保登记表": ["城乡居民基本养老保险参保登记表", "姓名:", "户籍地址:", "缴费档次:", "参保人签字:"],
    "建设项目环评审批申请表": ["建设项目环境影响评价文件审批申请表", "建设单位:", "项目名称:", "建设地点:", "单位盖章:"],
    "行政许可申请书": ["行政许可申请书", "申请人:", "申请事项:", "申请理由:", "申请人签字(盖章):"],
}


def code(region: str, n: int) -> str:
    """A fictitious code of a government organ (11 + region + 'MB' + serial) with a valid check character."""
    body = f"11{region}MB{n:07d}"
    return body + uscc.calc_check_digit(body)


def make_forms(folder: Path, names=FORMS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in names.items():
        make_docx(folder / f"{name}.docx", lines)
        make_pdf(folder / f"{name}.pdf", "hnsubmit example form (fictitious)")


# -- the Word-template guide ------------------------------------------------------------------

def docx_guide() -> dict:
    org = code(REGION["贵南县"], 602)
    return {
        "item_name": "婚姻登记档案查询",
        "catalog_code": "000120036000",
        "implement_code": f"{org}4000120036000",
        "item_type": "公共服务",
        "legal_basis": [{"law_name": "婚姻登记档案管理办法", "doc_number": "民政部 国家档案局令第32号", "article": "第十六条",
                         "article_text": "婚姻当事人持身份证件或者户口簿、军人证件可以查阅本人的婚姻登记档案。"}],
        "exercise_level": "县",
        "implementing_org": "贵南县民政局",
        "implementing_org_uscc": org,
        "implementing_org_nature": "法定机关",
        "handling_office": "贵南县民政局婚姻登记处",
        "service_objects": ["自然人"],
        "acceptance_conditions": ["查询人为婚姻当事人本人,或持当事人授权委托书的代理人。", "所查档案在贵南县婚姻登记处保存。"],
        "materials": [
            {"name": "查询人居民身份证", "kind": "原件", "form": "纸质", "originals": 1, "necessity": "必要",
             "source": "政府部门核发", "issuer": "公安机关"},
            {"name": "授权委托书", "kind": "原件", "form": "纸质", "originals": 1, "necessity": "非必要",
             "source": "申请人自备", "fill_notes": "代理人查询时提交。"},
        ],
        "procedure": ["申请:查询人到婚姻登记处提出查询申请。", "核验:工作人员核验身份后调取档案。", "出具:当场出具婚姻登记档案查询证明。"],
        "case_type": "即办件",
        "legal_time_limit": 0,
        "promised_time_limit": 0,
        "onsite_visits": 1,
        "handling_modes": ["窗口办理"],
        "online": False,
        "address": "贵南县婚姻登记处(茫曲镇,县政务服务中心一楼)",
        "office_hours": HOURS,
        "fee_required": False,
        "result_name": "婚姻登记档案查询证明",
        "result_type": "其他",
        "consult_phone": "0974-8532620",
        "complaint_phone": "0974-8532608",
    }


# -- the twenty-row Excel batch ---------------------------------------------------------------

# (county, unit, serial, item, type, basis law, basis doc number, legal days, promised days, fee, objects)
ITEMS = [
    ("州", "海南藏族自治州市场监督管理局", 103, "食品生产许可", "行政许可", "中华人民共和国食品安全法", "主席令第21号", 20, 10, None, "企业法人"),
    ("州", "海南藏族自治州交通运输局", 104, "道路旅客运输经营许可", "行政许可", "中华人民共和国道路运输条例", "国务院令第406号", 20, 10, None, "企业法人"),
    ("州", "海南藏族自治州林业和草原局", 105, "林草种子生产经营许可证核发", "行政许可", "中华人民共和国种子法", "主席令第105号", 20, 10, None, "企业法人"),
    ("州", "海南藏族自治州人力资源和社会保障局", 106, "人力资源服务许可", "行政许可", "人力资源市场暂行条例", "国务院令第700号", 20, 10, None, "企业法人"),
    ("州", "海南藏族自治州住房公积金管理中心", 107, "住房公积金提取", "公共服务", "住房公积金管理条例", "国务院令第262号", 3, 1, None, "自然人"),
    ("州", "海南藏族自治州公安局", 102, "机动车驾驶证补领", "行政许可", "中华人民共和国道路交通安全法", "主席令第81号", 5, 1,
     ("驾驶证工本费", "每本10元", "《中华人民共和国道路交通安全法》第八十一条;《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》(发改价格〔2017〕1186号)"), "自然人"),
    ("共和县", "共和县卫生健康局", 203, "医疗机构执业登记", "行政许可", "医疗机构管理条例", "国务院令第149号", 45, 20, None, "企业法人"),
    ("共和县", "共和县民政局", 204, "最低生活保障审核确认", "行政给付", "社会救助暂行办法", "国务院令第649号", 30, 20, None, "自然人"),
    ("共和县", "共和县住房和城乡建设局", 205, "建筑工程施工许可证核发", "行政许可", "中华人民共和国建筑法", "主席令第29号", 7, 3, None, "企业法人"),
    ("共和县", "共和县自然资源局", 201, "不动产抵押权首次登记", "行政确认", "不动产登记暂行条例", "国务院令第656号", 30, 5,
     ("不动产登记费", "每件80元", "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》(发改价格规〔2016〕2559号)"), "自然人"),
    ("同德县", "同德县人力资源和社会保障局", 402, "就业创业证申领", "公共服务", "就业服务与就业管理规定", "劳动和社会保障部令第28号", 5, 0, None, "自然人"),
    ("同德县", "同德县农牧水利和科技局", 403, "动物防疫条件合格证核发", "行政许可", "中华人民共和国动物防疫法", "主席令第69号", 20, 10, None, "企业法人"),
    ("同德县", "同德县残疾人联合会", 404, "残疾人证核发", "公共服务", "中华人民共和国残疾人保障法", "主席令第3号", 20, 10, None, "自然人"),
    ("贵德县", "贵德县文体旅游广电局", 302, "营业性演出审批", "行政许可", "营业性演出管理条例", "国务院令第528号", 20, 5, None, "企业法人"),
    ("贵德县", "贵德县公安局", 303, "居民身份证换领", "行政确认", "中华人民共和国居民身份证法", "主席令第4号", 60, 30,
     ("居民身份证工本费", "每证20元", "《中华人民共和国居民身份证法》第二十条;《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》(发改价格〔2003〕2322号)"), "自然人"),
    ("兴海县", "兴海县应急管理局", 502, "烟花爆竹经营(零售)许可", "行政许可", "烟花爆竹安全管理条例", "国务院令第455号", 20, 10, None, "其他组织"),
    ("兴海县", "兴海县医疗保障局", 503, "城乡居民基本医疗保险参保登记", "公共服务", "中华人民共和国社会保险法", "主席令第35号", 5, 0, None, "自然人"),
    ("贵南县", "贵南县自然资源局", 603, "乡村建设规划许可证核发", "行政许可", "中华人民共和国城乡规划法", "主席令第74号", 20, 10, None, "自然人"),
    ("贵南县", "贵南县市场监督管理局", 604, "食品经营许可", "行政许可", "中华人民共和国食品安全法", "主席令第21号", 10, 5, None, "企业法人"),
    ("贵南县", "贵南县民政局", 601, "社会团体成立登记", "行政许可", "社会团体登记管理条例", "国务院令第250号", 60, 20, None, "社会组织法人"),
]


def batch_guide(i: int, row: tuple) -> dict:
    county, unit, serial, item, kind, law, doc, legal, promised, fee, objects = row
    org = code(REGION[county], serial)
    level, level_code = ("市(州)", "3") if county == "州" else ("县", "4")
    catalog = f"0001{20 + i:02d}{serial % 1000:03d}000"[:12]
    immediate = promised == 0
    licence = kind == "行政许可"
    phone = f"0974-85{12 + i:02d}{serial % 1000:03d}"
    guide = {
        "item_name": item,
        "catalog_code": catalog,
        "implement_code": f"{org}{level_code}{catalog}",
        "item_type": kind,
        "legal_basis": [{"law_name": law, "doc_number": doc}],
        "exercise_level": level,
        "implementing_org": unit,
        "implementing_org_uscc": org,
        "implementing_org_nature": "法定机关",
        "handling_office": f"{unit}政务服务窗口",
        "service_objects": [objects],
        "acceptance_conditions": [f"申请人符合{item}的法定条件。", "申请材料齐全、符合法定形式。"],
        "materials": [
            {"name": "申请人身份证明", "kind": "原件", "form": "纸质", "originals": 1, "necessity": "必要",
             "source": "政府部门核发", "issuer": "公安机关或市场监督管理部门"},
        ],
        "procedure": ["申请:申请人到政务服务中心窗口或通过青海政务服务网提交申请。", "受理:材料齐全的当场受理。",
                      "办结:作出决定并送达申请人。"],
        "case_type": "即办件" if immediate else "承诺件",
        "legal_time_limit": legal,
        "legal_time_limit_unit": "工作日",
        "promised_time_limit": promised,
        "onsite_visits": 1,
        "handling_modes": ["窗口办理", "网上办理"],
        "online": True,
        "online_url": URL,
        "address": f"{county if county != '州' else '海南州'}政务服务中心({SEAT[county]})",
        "office_hours": HOURS,
        "fee_required": fee is not None,
        "consult_phone": phone,
        "complaint_phone": "12345",
    }
    if not immediate:
        guide["promised_time_limit_unit"] = "工作日"
    if kind != "公共服务":
        guide["power_source"] = "法定本级行使"
    if licence:
        guide["materials"].append({
            "name": "行政许可申请书", "kind": "原件", "form": "纸质和电子", "originals": 1, "necessity": "必要",
            "source": "申请人自备", "blank_form": ["表格/行政许可申请书.docx", "表格/行政许可申请书.pdf"],
        })
    if fee:
        guide["fees"] = [{"name": fee[0], "standard": fee[1], "basis": fee[2], "reducible": False}]
    return guide


# -- negative examples: one clean guide, one defect each --------------------------------------

def base_guide() -> dict:
    org = code(REGION["兴海县"], 501)
    return {
        "item_name": "生育登记",
        "catalog_code": "000120040000",
        "implement_code": f"{org}4000120040000",
        "item_type": "公共服务",
        "legal_basis": [{"law_name": "中华人民共和国人口与计划生育法", "doc_number": "主席令第63号", "article": "第十八条"}],
        "exercise_level": "县",
        "implementing_org": "兴海县卫生健康局",
        "implementing_org_uscc": org,
        "implementing_org_nature": "法定机关",
        "handling_office": "兴海县卫生健康局人口监测与家庭发展股",
        "service_objects": ["自然人"],
        "acceptance_conditions": ["夫妻双方或一方户籍在兴海县,或在兴海县居住。", "已依法办理结婚登记。"],
        "materials": [
            {"name": "夫妻双方居民身份证", "kind": "原件", "form": "纸质", "originals": 2, "necessity": "必要",
             "source": "政府部门核发", "issuer": "公安机关"},
        ],
        "procedure": ["申请:夫妻一方到乡镇卫生健康服务窗口提出申请。", "核验:工作人员核验身份和婚姻信息。", "办结:当场完成登记。"],
        "case_type": "即办件",
        "legal_time_limit": 1,
        "legal_time_limit_unit": "工作日",
        "promised_time_limit": 0,
        "onsite_visits": 1,
        "handling_modes": ["窗口办理"],
        "online": False,
        "address": "兴海县政务服务中心卫生健康窗口(子科滩镇)",
        "office_hours": HOURS,
        "fee_required": False,
        "consult_phone": "0974-8591516",
        "complaint_phone": "0974-8591510",
    }


def _promised(g, case, legal, lunit, promised, punit):
    g.update(case_type=case, legal_time_limit=legal, legal_time_limit_unit=lunit,
             promised_time_limit=promised, promised_time_limit_unit=punit)


def _fee(g, basis, kind="公共服务"):
    g.update(item_type=kind, fee_required=True,
             fees=[{"name": "证书工本费", "standard": "每本10元", "basis": basis}])
    if kind != "公共服务":
        g["power_source"] = "法定本级行使"


def _form(g, files):
    g["materials"].append({"name": "生育登记申请表", "kind": "原件", "form": "纸质", "originals": 1,
                           "necessity": "必要", "source": "申请人自备", "blank_form": files})


NEGATIVES = {
    "GDE002-缺少办理地点": ("没有填写“办理地点”。", lambda g: g.pop("address")),
    "GDE003-事项类型不在代码表": ("事项类型写成了代码表之外的“行政审批”。", lambda g: g.update(item_type="行政审批")),
    "GDE004-咨询电话填写暂无": ("必填的咨询电话只写了“暂无”。", lambda g: g.update(consult_phone="暂无")),
    "GDE005-承诺时限超过法定时限": ("承诺 30 个工作日,超过法定的 20 个工作日。",
                                 lambda g: _promised(g, "承诺件", 20, "工作日", 30, "工作日")),
    "GDE006-时限单位不一致": ("法定时限按工作日计,承诺时限按自然日计。",
                           lambda g: _promised(g, "承诺件", 20, "工作日", 25, "自然日")),
    "GDE007-即办件承诺时限不为零": ("即办件却承诺 3 个工作日办结。",
                                  lambda g: _promised(g, "即办件", 5, "工作日", 3, "工作日")),
    "GDE008-统一社会信用代码校验失败": ("实施主体代码的校验位抄错了(最后一位)。",
                                     lambda g: g.update(implementing_org_uscc=g["implementing_org_uscc"][:17] + ("1" if g["implementing_org_uscc"][17] != "1" else "2"))),
    "GDE009-实施编码结构不符": ("实施编码中的行使层级写成了 3(市州),而行使层级是县(4)。",
                              lambda g: g.update(implement_code=g["implementing_org_uscc"] + "3" + g["catalog_code"])),
    "GDE010-电话缺少区号": ("咨询电话没有区号 0974。", lambda g: g.update(consult_phone="8591516")),
    "GDE011-收费缺少依据文号": ("收费依据只写“按规定收取”,没有文号。", lambda g: _fee(g, "按规定收取")),
    "GDE012-行政许可收费依据为规范性文件": ("行政许可事项收费,依据只有一份省级部门的通知,没有法律或行政法规。",
                                         lambda g: _fee(g, "《青海省发展和改革委员会关于证书工本费收费标准的通知》(青发改价格〔2018〕301号)", "行政许可")),
    "GDE013-网办地址填写无": ("是否网办为“是”,网办地址却写“无”。",
                            lambda g: g.update(online=True, online_url="无", handling_modes=["窗口办理", "网上办理"])),
    "GDE014-兜底条件": ("受理条件中有兜底表述“法律、法规规定的其他条件”。",
                      lambda g: g["acceptance_conditions"].append("法律、法规规定的其他条件。")),
    "GDE015-材料缺少份数": ("纸质原件没有写份数。", lambda g: g["materials"][0].pop("originals")),
    "GDE016-表格缺少PDF": ("表格只提供了 Word 文件,没有 PDF。", lambda g: _form(g, ["表格/生育登记申请表.docx"])),
    "GDE017-表格Word文件损坏": ("表格的 Word 文件被截断,打不开。",
                              lambda g: _form(g, ["表格/损坏的申请表.docx", "表格/损坏的申请表.pdf"])),
    "GDE018-份数不是数字": ("原件份数写成了汉字“两份”。", lambda g: g["materials"][0].update(originals="两份")),
    "GDE019-未知要素": ("多了一个不属于办事指南的要素“网站栏目”。", lambda g: g.update({"网站栏目": "办事服务"})),
}


def dump(guide: dict, note: str) -> str:
    head = f"# 反例:{note}\n# 其余要素与 examples/office-guides/兴海县-卫健局-生育登记.yaml 一样完整、正确。\n"
    return head + yaml.safe_dump(guide, allow_unicode=True, sort_keys=False, width=200)


def make_negatives(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "GDE001-格式错误.yaml").write_text(
        "# 反例:缩进错乱,YAML 无法解析。\nitem_name: 生育登记\n  address: 兴海县政务服务中心\nitem_type: 公共服务\n", encoding="utf-8")
    for name, (note, mutate) in NEGATIVES.items():
        guide = copy.deepcopy(base_guide())
        mutate(guide)
        (folder / f"{name}.yaml").write_text(dump(guide, note), encoding="utf-8")
    forms = folder / "表格"
    make_forms(forms, {"生育登记申请表": ["生育登记申请表", "夫妻双方姓名:", "登记事由:"]})
    (forms / "生育登记申请表.pdf").unlink()  # GDE016: the Word file alone
    full = forms / "损坏的申请表.docx.tmp"
    make_docx(full, ["生育登记申请表"] + [f"第{i}栏:" for i in range(1, 40)])
    data = full.read_bytes()
    (forms / "损坏的申请表.docx").write_bytes(data[: int(len(data) * 0.7)])
    full.unlink()
    make_pdf(forms / "损坏的申请表.pdf", "hnsubmit example form (fictitious)")
    # GDE020: three clean guides; one material row points at row 9, which holds no guide.
    guides = [OfficeGuide.model_validate(base_guide() | {"item_name": f"生育登记(示例{i})"}) for i in (1, 2, 3)]
    target = folder / "GDE020-材料行无对应指南.xlsx"
    write_guides_xlsx(guides, target)
    import openpyxl

    wb = openpyxl.load_workbook(target)
    ws = wb["申请材料"]
    ws.append([9, "结婚证", "原件", "纸质", 1, None, None, "必要", "政府部门核发", "民政部门"])
    wb.save(target)


def main() -> None:
    make_forms(OUT / "表格")
    write_guide_docx(OfficeGuide.model_validate(docx_guide()), OUT / "贵南县-民政局-婚姻登记档案查询.docx",
                     date=__import__("datetime").date(2026, 11, 20))
    batch = [OfficeGuide.model_validate(batch_guide(i, row)) for i, row in enumerate(ITEMS)]
    write_guides_xlsx(batch, OUT / "海南州-办事指南批量报送.xlsx")
    make_negatives(OUT / "negative")
    print("office-guide examples regenerated under", OUT)


if __name__ == "__main__":
    main()
