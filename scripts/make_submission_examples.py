"""Regenerate the submission and package examples (run: python scripts/make_submission_examples.py).

examples/submissions/ holds three real-looking items of 共和县 (a news item with a Word body and two
photos, a video, an office guide); examples/negative/submission/ one folder per SUB rule, and
examples/negative/package/ one hostile or broken package per PKG rule, built with zipfile so every
byte is known.  The media are the generated ones of scripts/make_examples.py (copied, so git
stores each only once) or made here with the same factories; nothing is a third-party file.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from factories import make_jpeg  # noqa: E402

NEWS_DIR = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"
VIDEO_DIR = EXAMPLES / "submissions" / "共和县-2026-11-18-宣传片"
GUIDE_DIR = EXAMPLES / "submissions" / "共和县-办事指南-不动产首次登记"
GUIDES = EXAMPLES / "office-guides"  # the GDE family's examples: the guide and its blank forms
NEG_SUB = EXAMPLES / "negative" / "submission"
NEG_PKG = EXAMPLES / "negative" / "package"

NEWS_TOML = """\
# 报送说明(信息)— hnsubmit,依据南政办〔2015〕86号
kind = "news"
title = "共和县召开2026年冬春农牧业生产工作会议"
unit = "632521"
unit_name = "共和县人民政府"
column = "county-news"
category = "meetings"            # 三(二):重要会议
source = "共和县人民政府办公室"
author = "共和县农牧水利和科技局"
written = 2026-11-20
channels = ["portal", "wechat"]
wechat_author = "共和县农牧局"     # 微信作者栏不超过 8 字
cover = "会场照片2.jpg"          # 微信封面:hnsubmit fix --channel wechat 裁切 2.35:1 和 1:1
summary = "共和县召开冬春农牧业生产工作会议,安排部署饲草料储备、牲畜防疫和抗灾保畜工作。"
ignore = []

[liaison]
name = "李海英"
phone = "0974-8512655"

[approval]
approver = "马国栋"              # 分管副县长
approved_at = 2026-11-20T17:30:00+08:00

[[files]]
path = "正文.docx"
role = "body"

[[files]]
path = "会场照片1.jpg"
role = "image"
caption = "共和县2026年冬春农牧业生产工作会议现场"

[[files]]
path = "会场照片2.jpg"
role = "image"
caption = "与会人员听取冬春饲草料储备工作安排"
"""

VIDEO_TOML = """\
kind = "news"
title = "共和县冬季文旅宣传片《青海湖畔的冬天》"
unit = "632521"
unit_name = "共和县人民政府"
column = "videos"
category = "other"               # 三(八):影音资料
source = "共和县融媒体中心"
written = 2026-11-18
channels = ["portal"]

[liaison]
name = "李海英"
phone = "13897400000"

[approval]
approver = "马国栋"
approved_at = 2026-11-18T11:00:00+08:00

[[files]]
path = "宣传片.wmv"
role = "video"
"""

GUIDE_TOML = """\
kind = "guide"
title = "国有建设用地使用权及房屋所有权首次登记办事指南"
unit = "632521"
unit_name = "共和县人民政府"
column = "guides"
category = "services"            # 三(五):行政审批项目办事指南
source = "共和县自然资源局"
written = 2026-11-16
channels = ["portal", "wechat"]

[liaison]
name = "李海英"
phone = "0974-8512655"

[approval]
approver = "马国栋"
approved_at = 2026-11-17T09:30:00+08:00

[[files]]
path = "不动产首次登记.yaml"
role = "body"                    # the guide itself (附件3 elements), checked by the GDE rules

[[files]]
path = "表格/不动产登记申请书.docx"
role = "form"

[[files]]
path = "表格/不动产登记申请书.pdf"
role = "form"
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def positives() -> None:
    pos = EXAMPLES / "positive"
    NEWS_DIR.mkdir(parents=True, exist_ok=True)
    # The same generated media as examples/positive (git keeps one copy of identical bytes).
    shutil.copyfile(pos / "news-2026-11-20" / "正文.docx", NEWS_DIR / "正文.docx")
    shutil.copyfile(pos / "news-2026-11-20" / "活动照片1.jpg", NEWS_DIR / "会场照片1.jpg")
    shutil.copyfile(pos / "news-2026-11-20" / "活动照片2.jpg", NEWS_DIR / "会场照片2.jpg")
    write(NEWS_DIR / "submission.toml", NEWS_TOML)
    VIDEO_DIR.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pos / "video-2026-11-18" / "宣传片.wmv", VIDEO_DIR / "宣传片.wmv")
    write(VIDEO_DIR / "submission.toml", VIDEO_TOML)
    (GUIDE_DIR / "表格").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(GUIDES / "共和县-自然资源局-不动产首次登记.yaml", GUIDE_DIR / "不动产首次登记.yaml")
    for form in ("不动产登记申请书.docx", "不动产登记申请书.pdf"):
        shutil.copyfile(GUIDES / "表格" / form, GUIDE_DIR / "表格" / form)
    write(GUIDE_DIR / "submission.toml", GUIDE_TOML)


# One negative folder per SUB rule: a valid base with one thing wrong.
BASE = """\
kind = "news"
title = "共和县开展冬季森林草原防火宣传"
unit = "632521"
column = "county-news"
category = "implementation"
source = "共和县林业和草原局"
written = 2026-11-19
channels = ["portal"]

[liaison]
name = "李海英"
phone = "0974-8512655"

[approval]
approver = "马国栋"
approved_at = 2026-11-19T16:00:00+08:00

[[files]]
path = "照片.jpg"
role = "image"
caption = "防火宣传现场"
"""

NEGATIVES: dict[str, tuple[str, tuple[str, ...]]] = {
    # folder: (submission.toml, photos present in the folder)
    "语法错误": ('title = 共和县开展冬季森林草原防火宣传\nunit = "632521"\n', ()),
    "缺少栏目和联系电话": (BASE.replace('column = "county-news"\n', "").replace('phone = "0974-8512655"\n', ""), ("照片.jpg",)),
    "未经审核": (BASE.split("[approval]")[0] + BASE.split('approved_at = 2026-11-19T16:00:00+08:00\n')[1], ("照片.jpg",)),
    "审核早于成稿": (BASE.replace("approved_at = 2026-11-19T16:00:00+08:00", "approved_at = 2026-11-18T10:00:00+08:00"), ("照片.jpg",)),
    "类别不存在": (BASE.replace('category = "implementation"', 'category = "工作动态"'), ("照片.jpg",)),
    "渠道不存在": (BASE.replace('channels = ["portal"]', 'channels = ["portal", "weibo"]'), ("照片.jpg",)),
    "列出的照片不存在": (BASE + '\n[[files]]\npath = "照片2.jpg"\nrole = "image"\ncaption = "宣传车"\n', ("照片.jpg",)),
    "照片当正文": (BASE.replace('role = "image"', 'role = "body"'), ("照片.jpg",)),
    "图片缺说明": (BASE.replace('caption = "防火宣传现场"\n', ""), ("照片.jpg",)),
    "有文件未列出": (BASE, ("照片.jpg", "照片2.jpg")),
    "单位代码错误": (BASE.replace('unit = "632521"', 'unit = "共和县"'), ("照片.jpg",)),
    "电话号码错误": (BASE.replace('phone = "0974-8512655"', 'phone = "8512655"'), ("照片.jpg",)),
    "日期格式错误": (BASE.replace("written = 2026-11-19", 'written = "11月19日"'), ("照片.jpg",)),
    "键名拼错": (BASE.replace('channels = ["portal"]\n', 'channels = ["portal"]\nauther = "张三"\n'), ("照片.jpg",)),
    "没有正文": (BASE.replace('role = "image"', 'role = "attachment"'), ("照片.jpg",)),
    # issue 15 §4: 001 第十七条 (source and date), 004 四(二) (a reprint names its original), seed 003 (expiry)
    "缺少来源和成稿日期": (BASE.replace('source = "共和县林业和草原局"\n', "").replace("written = 2026-11-19\n", ""), ("照片.jpg",)),
    "转载未注明原文地址": (BASE.replace('channels = ["portal"]\n', 'channels = ["portal"]\nreprint = true\n'), ("照片.jpg",)),
    "失效日期已过": (BASE.replace('channels = ["portal"]\n', 'channels = ["portal"]\nexpires = 2026-11-10\n'), ("照片.jpg",)),
}


def negative_submissions() -> None:
    if NEG_SUB.exists():
        shutil.rmtree(NEG_SUB)
    for folder, (toml, photos) in NEGATIVES.items():
        d = NEG_SUB / folder
        write(d / "submission.toml", toml)
        for i, name in enumerate(photos):
            make_jpeg(d / name, (320, 240), seed=40 + i, quality=70)


def main() -> None:
    positives()
    negative_submissions()
    if "--no-packages" not in sys.argv:
        sys.path.insert(0, str(ROOT / "scripts"))
        from make_package_examples import negative_packages

        import tempfile

        # the base of every hostile package: the valid one-photo submission the SUB negatives break
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp) / "防火宣传"
            write(base / "submission.toml", BASE)
            make_jpeg(base / "照片.jpg", (320, 240), seed=40, quality=70)
            negative_packages(base, NEG_PKG)
    print("submission examples regenerated under", EXAMPLES)


if __name__ == "__main__":
    main()
