"""Fill the Chinese catalog from scripts/zh_messages*.py and report msgids still untranslated.

Each area keeps its own file (zh_messages.py, zh_messages_<area>.py, each a dict ZH), so work on
different rooms never edits the same translation file; a msgid in two files must agree.

Run after `make i18n` has updated the catalog: `python scripts/fill_zh_catalog.py`, then
`make i18n` again to compile.  The .po file stays the record; this only saves hand-editing it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import importlib  # noqa: E402

ZH: dict[str, str] = {}
for _file in sorted((ROOT / "scripts").glob("zh_messages*.py")):
    for _id, _text in importlib.import_module(_file.stem).ZH.items():
        if ZH.get(_id, _text) != _text:
            raise SystemExit(f"{_file.name}: {_id!r} translated differently elsewhere")
        ZH[_id] = _text

PO = ROOT / "hnsubmit" / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES" / "hnsubmit.po"


def main() -> int:
    with open(PO, "rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    catalog.project, catalog.copyright_holder = "hnsubmit", "hnsubmit developers"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "hnsubmit developers"
    catalog.language_team = "hnsubmit developers"
    catalog.fuzzy = False  # `pybabel init` marks a new catalog fuzzy, and compile then skips it
    missing = []
    for message in catalog:
        if not message.id:
            continue
        if message.id in ZH:
            message.string = ZH[message.id]
        elif not message.string:
            missing.append(message.id)
    with open(PO, "wb") as fh:
        write_po(fh, catalog, omit_header=False, sort_output=True, no_location=True)
    for m in missing:
        print("untranslated:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
