"""The PRF text scanner: every text a validator extracted, proofread, as PRF findings."""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Iterator

from hnsubmit.checks.context import FileContext
from hnsubmit.checks.proofing.engine import Proofreader, for_policy
from hnsubmit.checks.proofing.hits import around
from hnsubmit.checks.textscan.place import describe
from hnsubmit.rules.findings import Finding, Location, finding

MAX_CHARS = 5_000_000  # as the TXT scan: a 500-page document is about 500,000 characters
SCANS: Counter[str] = Counter()  # texts actually proofread ("PRF"), for the tests of the run's memo


def scan(ctx: FileContext) -> Iterable[Finding]:
    if not ctx.policy.proofing.check:
        return
    reader = for_policy(ctx.policy)
    memo = ctx.memo
    scanned = 0
    for segment in ctx.texts:
        if scanned >= MAX_CHARS:
            break
        text = segment.text[: MAX_CHARS - scanned]
        scanned += len(text)
        if memo is not None and memo.get(("PRF", reader, text)) == ():
            continue  # proofread earlier in the run, nothing found (most texts of a batch)
        yield from proofread_text(reader, text, segment.location, ctx.display, memo)


def proofread_text(reader: Proofreader, text: str, location: Location, display: str,
                   memo: dict | None = None) -> Iterator[Finding]:
    """The PRF findings of one text, named `display` and placed at `location`; with `memo`, a text
    already proofread by this reader in the run is not read again."""
    if memo is None:
        SCANS["PRF"] += 1
        hits = reader.check(text)
    else:
        key = ("PRF", reader, text)
        hits = memo.get(key)
        if hits is None:
            SCANS["PRF"] += 1
            hits = memo[key] = tuple(reader.check(text))
    if not hits:
        return
    place = describe(location)
    for hit in hits:
        args = around(text, hit.start, hit.end)
        args.update(suggestion=hit.suggestion, note=hit.note or "", place=place, **hit.extra)
        yield finding(hit.code, display, location, **args)
