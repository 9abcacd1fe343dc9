"""Clear a .doc's personal document properties (DOC011) and change nothing else.

The two property-set streams are rewritten in place through olefile (same length: each personal
string becomes empty and its old characters zero bytes), so every other byte of the OLE file —
the WordDocument and table streams, the FAT, the directory — stays as it was.  The result is read
back before it is handed on: if olefile does not see exactly the blanked streams, nothing is fixed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hnsubmit.checks.fixers.base import Change, FixContext
from hnsubmit.checks.formats import docprops
from hnsubmit.checks.formats import olepropset

# Findings that mean the container is not sound (or not readable) enough to rewrite.
UNSOUND = ("DOC001", "DOC004", "FMT008")


def fix(src: Path, dst: Path, ctx: FixContext) -> list[Change] | None:
    import olefile

    if not ctx.has("DOC011") or ctx.has(*UNSOUND):
        return None
    try:
        with olefile.OleFileIO(str(src)) as ole:
            streams = {n: ole.openstream(n).read() for n in (olepropset.SUMMARY, olepropset.DOC_SUMMARY) if ole.exists(n)}
        found = olepropset.personal(streams)
        if not found:
            return None
        new = {n: olepropset.blanked(data, [v for v in found if v.stream == n]) for n, data in streams.items()}
        shutil.copyfile(src, dst)
        with olefile.OleFileIO(str(dst), write_mode=True) as ole:
            for name, data in new.items():
                if data != streams[name]:
                    ole.write_stream(name, data)
        with olefile.OleFileIO(str(dst)) as ole:
            if any(ole.openstream(n).read() != data for n, data in new.items()):
                return None
    except Exception:  # olefile raises many kinds on a damaged container; the check reports it
        dst.unlink(missing_ok=True)
        return None
    labels = list(dict.fromkeys(v.label for v in found))
    return [Change("清除了文档属性中的个人信息:" + "、".join(docprops.label_zh(x) for x in labels),
                   "cleared personal information from the document properties: " + ", ".join(labels))]
