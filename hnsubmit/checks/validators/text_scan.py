"""The TXT text scanner: every text a validator extracted, through scan_text, as TXT findings."""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from hnsubmit.rules.findings import Finding, finding
from hnsubmit.checks.textscan.scanner import scan_text
from hnsubmit.checks.textscan.place import describe
from hnsubmit.checks.textscan.scanner import BANK_CARD, EMAIL_ADDRESS, ID_CARD, MARK, MOBILE
from hnsubmit.checks.context import FileContext

CODES = {MARK: "TXT001", ID_CARD: "TXT002", BANK_CARD: "TXT003", MOBILE: "TXT004", EMAIL_ADDRESS: "TXT005"}
VARIANTS = {
    "18": {"zh": "18 位", "en": "18 characters"},
    "15": {"zh": "15 位旧版号码", "en": "15-digit legacy form"},
}
# Bounds: a 500-page document is about 500,000 characters; past these limits TXT006 says what was
# left out, rather than the scan running unbounded or the report drowning in one kind of finding.
MAX_CHARS = 5_000_000
MAX_PER_CODE = 20
SCANS: Counter[str] = Counter()  # texts actually scanned ("TXT"), for the tests of the run's memo


def _hits(memo: dict | None, text: str):
    """scan_text(text), once per text of a run when the context carries a memo."""
    if memo is None:
        SCANS["TXT"] += 1
        return scan_text(text)
    key = ("TXT", text)
    hits = memo.get(key)
    if hits is None:
        SCANS["TXT"] += 1
        hits = memo[key] = tuple(scan_text(text))
    return hits


def scan(ctx: FileContext) -> Iterable[Finding]:
    counts: dict[str, int] = {}
    scanned = 0
    unscanned = 0
    for segment in ctx.texts:
        if scanned >= MAX_CHARS:
            unscanned += len(segment.text)
            continue
        text = segment.text[: MAX_CHARS - scanned]
        unscanned += len(segment.text) - len(text)
        scanned += len(text)
        hits = _hits(ctx.memo, text)
        if not hits:
            continue
        place = describe(segment.location)  # worded only for a text with hits, as PRF does
        for hit in hits:
            code = CODES[hit.kind]
            counts[code] = counts.get(code, 0) + 1
            if counts[code] > MAX_PER_CODE:
                continue
            args = {"value": hit.value, "excerpt": hit.excerpt, "place": place}
            if hit.kind == ID_CARD:
                args["variant"] = VARIANTS[hit.variant]
            yield finding(code, ctx.display, segment.location, **args)
    for code, count in sorted(counts.items()):
        if count > MAX_PER_CODE:
            yield finding(
                "TXT006",
                ctx.display,
                reason={
                    "zh": f"{code} 共 {count} 处,只列出前 {MAX_PER_CODE} 处",
                    "en": f"{count} places for {code}, only the first {MAX_PER_CODE} listed",
                },
            )
    if unscanned:
        yield finding(
            "TXT006",
            ctx.display,
            reason={
                "zh": f"文字超过 {MAX_CHARS:,} 字,其后 {unscanned:,} 字未检查",
                "en": f"the text exceeds {MAX_CHARS:,} characters; the remaining {unscanned:,} were not scanned",
            },
        )
