"""For `hnsubmit demo`: wrap each example office guide (one YAML guide per file) as a guide submission folder.

A county's guide is sent by its county government; a prefecture department's by the 政务服务监督管理局,
which feeds the portal's 办事指南 column in the seed's 分工表.  The forms a guide names travel with it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path, PureWindowsPath

COUNTIES = {"共和县": ("632521", "共和县人民政府"), "同德县": ("632522", "同德县人民政府"), "贵德县": ("632523", "贵德县人民政府"),
            "兴海县": ("632524", "兴海县人民政府"), "贵南县": ("632525", "贵南县人民政府")}
PREFECTURE = ("632500-zwj", "海南州政务服务监督管理局")
CHINA = dt.timezone(dt.timedelta(hours=8))


def unit_for(guide_file: Path) -> tuple[str, str]:
    """(code, name) from the file name's first part: 共和县-… → 632521; 海南州-… → the 政务服务 office."""
    return COUNTIES.get(guide_file.name.split("-", 1)[0], PREFECTURE)


def wrap_guides(source: Path, outdir: Path, skip_titles: set[str] = frozenset()) -> list[Path]:
    """One submission folder per single-guide YAML file under `source` (not its negative/ examples)."""
    import tomli_w

    from hnsubmit.checks.guides import check_guides

    folders: list[Path] = []
    approved = dt.datetime.now(CHINA).replace(microsecond=0) - dt.timedelta(hours=1)  # 五(二): approved before sent
    for guide_file in sorted(source.glob("*.yaml")):
        report = check_guides([guide_file])
        if len(report.guides) != 1 or report.guides[0].guide is None:
            continue
        guide = report.guides[0].guide
        title = f"{guide.item_name}办事指南"
        if title in skip_titles:
            continue  # already among the example submissions
        forms = [str(PureWindowsPath(ref).as_posix()) for m in guide.materials or ()
                 for ref in list(m.blank_form or ()) + list(m.sample_form or ())]
        forms = [f for f in dict.fromkeys(forms) if (guide_file.parent / f).is_file()]
        code, name = unit_for(guide_file)
        folder = outdir / guide_file.stem
        folder.mkdir(parents=True)
        shutil.copyfile(guide_file, folder / guide_file.name)
        for form in forms:
            (folder / form).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(guide_file.parent / form, folder / form)
        data = {
            "kind": "guide", "title": title, "unit": code, "unit_name": name, "column": "guides",
            "category": "services",  # 三(五): 办事指南
            "source": guide.implementing_org or name, "written": approved.date(), "channels": ["portal", "wechat"],
            "liaison": {"name": "李海英", "phone": "0974-8512655"},
            "approval": {"approver": "马国栋", "approved_at": approved},
            "files": [{"path": guide_file.name, "role": "body"}] + [{"path": f, "role": "form"} for f in forms],
        }
        (folder / "submission.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
        folders.append(folder)
    return folders
