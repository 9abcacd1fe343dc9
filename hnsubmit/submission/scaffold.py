"""Templates for `hnsubmit new news|guide DIR`: a submission.toml with Chinese comments, listing
the files already in the folder with the role their content suggests."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from hnsubmit.errors import UsageError
from hnsubmit.submission.files import SUBMISSION_FILE, folder_files
from hnsubmit.submission.model import CHINA, KINDS

# Which role a file's identified format suggests; images and videos in the wrong format are still
# listed as image/video, so that `check` reports them (FMT001) and `fix` converts them.
IMAGE_KINDS = ("jpeg", "png", "heif", "webp", "bmp", "tiff", "gif")
VIDEO_KINDS = ("wmv", "mp4", "mov", "avi", "mkv", "flv", "mpeg")
WORD_KINDS = ("docx", "docx-encrypted", "doc", "word95", "word2")


@dataclass(frozen=True)
class Scaffolded:
    path: Path  # the submission.toml written
    listed: tuple[tuple[str, str], ...]  # (file, role)
    ignored: tuple[str, ...]


def _s(value: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(value, ensure_ascii=False)


def guess_roles(directory: Path, kind: str) -> tuple[list[tuple[str, str]], list[str]]:
    from hnsubmit.checks.formats.identify import identify_path

    listed: list[tuple[str, str]] = []
    ignored: list[str] = []
    have_body = False
    for rel in folder_files(directory):
        path = directory / rel
        fmt = identify_path(path).kind if path.is_file() and path.stat().st_size else "empty"
        if fmt in IMAGE_KINDS:
            listed.append((rel, "image"))
        elif fmt in VIDEO_KINDS:
            listed.append((rel, "video"))
        elif (fmt in WORD_KINDS or (kind == "guide" and fmt == "office-guide")) and not have_body:
            listed.append((rel, "body"))
            have_body = True
        elif fmt in WORD_KINDS or fmt == "pdf":
            listed.append((rel, "form" if kind == "guide" else "attachment"))
        else:
            ignored.append(rel)
    return listed, ignored


def render(kind: str, listed: list[tuple[str, str]], ignored: list[str], *, unit: str = "", title: str = "",
           liaison: str = "", phone: str = "", today: dt.date | None = None) -> str:
    now = dt.datetime.now(CHINA).replace(second=0, microsecond=0)
    today = today or now.date()
    stamp = now.isoformat() if today == now.date() else f"{today.isoformat()}T09:00:00+08:00"
    guide = kind == "guide"
    lines = [
        f"# 报送说明({'办事指南' if guide else '信息'})— hnsubmit,依据南政办〔2015〕86号",
        "# 填写后运行 `hnsubmit check 本文件夹` 检查,`hnsubmit pack 本文件夹` 打包。",
        "",
        f"kind = {_s(kind)}                    # 类型:news 信息 / guide 办事指南",
        f"title = {_s(title)}                   # 标题(必填,200 字以内)",
        f"unit = {_s(unit)}                    # 报送单位代码(必填):县用行政区划代码,如共和县 632521",
        "unit_name = \"\"                # 报送单位名称,如 共和县人民政府",
        f"column = {_s('guides' if guide else '')}                  # 栏目(必填),如 county-news 县区动态、guides 办事指南",
        f"category = {_s('services' if guide else '')}                # 内容类别(必填,通知第三条八类之一):implementation 方针政策贯彻落实、",
        "                                # meetings 领导讲话和重要会议活动、visits 政务活动、regulations 法规制度、",
        "                                # services 办事指南和便民服务、development 经济社会发展、experience 新经验和调研、other 其他",
        "source = \"\"                   # 来源(信息必填),如 共和县人民政府办公室;转载时写原发单位",
        "author = \"\"                   # 作者",
        f"written = {today.isoformat()}          # 成稿日期",
        "channels = [\"portal\"]         # 发布渠道:portal 门户网站,wechat “海南政务”微信,可同时选两个",
        "summary = \"\"                  # 摘要(可选)",
        "# 有时效的信息(通知、公告)写失效日期 expires = 2026-12-31:过期后 hnsubmit status 提示撤回;",
        "# 转载的信息写 reprint = true 和原文网址 source_url = \"https://…\"(通知四(二))",
        "# 发往“海南政务”微信(channels 含 wechat)时:cover = \"照片.jpg\" 封面图(列出的一张图片),",
        "# cover_focus = [0.5, 0.4] 裁切焦点;标题超过 64 字另写 wechat_title,作者超过 8 字另写 wechat_author,",
        "# 微信摘要 digest 不超过 120 字;然后运行 `hnsubmit fix --channel wechat 本文件夹` 生成微信版本",
        "ignore = [" + ", ".join(_s(p) for p in ignored) + "]" + ("   # 文件夹中不报送的文件" if not ignored else "   # 以下文件不报送(格式无法判断用途,请核对)"),
        "",
        "[liaison]                      # 信息报送员(必填)",
        f"name = {_s(liaison)}",
        f"phone = {_s(phone)}                     # 固定电话带区号(如 0974-8512655)或手机号码",
        "",
        "[approval]                     # 审核(必填):未经审核的信息不得上报(五(二))",
        "approver = \"\"                 # 审核领导(本单位分管领导)",
        "# approved_at = " + f"{stamp}   # 审核时间:领导审核后去掉行首的 # 并改为实际时间",
    ]
    for rel, role in listed:
        lines += ["", "[[files]]", f"path = {_s(rel)}", f"role = {_s(role)}" + _ROLE_COMMENT[role]]
        if role == "image":
            lines.append("caption = \"\"                # 图片说明(必填)")
    if not listed:
        body = "办事指南.docx" if guide else "正文.docx"
        lines += [
            "",
            "# 把文件放进本文件夹后,按下面的格式逐个列出(role:body 正文、image 图片、video 视频、attachment 附件、form 表格):",
            "# [[files]]",
            f"# path = {_s(body)}",
            "# role = \"body\"",
        ]
    return "\n".join(_align(line) for line in lines) + "\n"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _align(line: str) -> str:
    """Put a trailing comment in column 33, so the template reads as a form."""
    m = re.match(r'^(\S.*?(?:"[^"]*"|\]|\S))\s+(# .*)$', line)
    if not m or line.startswith("#"):
        return line
    code, comment = m.groups()
    return code + " " * max(1, 32 - _width(code)) + comment


_ROLE_COMMENT = {
    "body": "                # 正文:Word 文档",
    "image": "               # 图片:JPEG",
    "video": "               # 视频:WMV",
    "attachment": "          # 附件:Word、PDF 或 JPEG",
    "form": "                # 表格:Word 或 PDF",
}


def scaffold(directory: str | Path, kind: str, *, force: bool = False, **values: str) -> Scaffolded:
    """Write DIR/submission.toml for a news item or an office guide; never overwrites unless `force`."""
    if kind not in KINDS:
        raise UsageError("Unknown kind {kind}: use news or guide", kind=kind)
    root = Path(directory)
    target = root / SUBMISSION_FILE
    if target.exists() and not force:
        raise UsageError(
            "{path} already exists", hint="Edit it, or pass --force to replace it with a fresh template", path=str(target)
        )
    if root.exists() and not root.is_dir():
        raise UsageError("{path} is not a folder", path=str(root))
    root.mkdir(parents=True, exist_ok=True)
    listed, ignored = guess_roles(root, kind)
    text = render(kind, listed, ignored, **values)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return Scaffolded(target, tuple(listed), tuple(ignored))
