"""Checking a submit receipt before an item leaves the outbox.

A gateway, a proxy or a captive portal can answer `201` to anything; an item marked sent on such an
answer is lost without anyone noticing.  So a receipt counts only when every field is what this
client sent (protocol §4): the id has the protocol's shape, the unit and the idempotency key are the
item's, the manifest digest is the SHA-256 of the bytes posted, the state is a protocol state and the
time is a real RFC 3339 time.  Then the submission is read back by its id and must agree with the
receipt and hold the manifest as posted.  Any difference is a `ReceiptRejected` (exit 6): the item
stays in the outbox.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from hnsubmit.client.safe_text import printable
from hnsubmit.errors import RefusedError
from hnsubmit.i18n import N_, fill

SUBMISSION_ID = re.compile(r"HN-[0-9]{8}-[0-9A-HJKMNP-TV-Z]{6}")  # protocol §4: HN-<day>-<6 Crockford base32>
# awaiting_approval and returned: the approver step (issue 15 §2, exchange/approvals.py)
STATES = ("awaiting_approval", "returned", "received", "in_review", "published", "rejected", "withdrawn")
CLOCK_SKEW = timedelta(days=1)  # a receipt time this far ahead of our clock is not believed
RECEIPT_FIELDS = ("submission_id", "received_at", "manifest_digest", "unit", "state", "idempotency_key")


class ReceiptRejected(RefusedError):
    """The server's answer to a submit (or its read-back) is not a receipt for what was sent."""

    def __init__(self, field: str, got: Any, expected: Any, texts: tuple[str, ...] = ()) -> None:
        """`texts`: which of "got" and "expected" are msgids (a description) rather than values."""
        if got is None:
            got, texts = N_("(missing)"), (*texts, "got")
        super().__init__(
            N_("The exchange's receipt was not accepted: its field `{field}` is {got}, expected {expected}. "
               "The item was not marked sent."),
            hint=N_("The item stays in the outbox. Check the endpoint (a proxy or gateway may be answering instead of "
                    "the exchange) and tell the portal office; `hnsubmit outbox retry` sends it again."),
            field=field,
            got=got if "got" in texts else _shown(got),
            expected=expected if "expected" in texts else _shown(expected),
        )
        self.field = field
        self.texts = texts

    def render(self, translate=lambda s: s) -> str:
        args = {k: translate(v) if k in self.texts else v for k, v in self.args_map.items()}
        return fill(translate(self.template), args)


def _shown(value: Any) -> str:
    return printable(json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value), 120)


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)", value):
        return None
    try:
        text = value.replace("Z", "+00:00")
        if "." in text:  # Python < 3.11 takes at most 6 fractional digits
            head, _, rest = text.partition(".")
            digits = re.match(r"\d+", rest).group(0)  # type: ignore[union-attr]
            text = head + "." + (digits + "000000")[:6] + rest[len(digits):]
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def verify_receipt(receipt: Any, *, unit: str, key: str, manifest_digest: str, now: datetime | None = None) -> dict[str, Any]:
    """The receipt when every field is what was sent; else ReceiptRejected naming the first wrong field."""
    if not isinstance(receipt, dict):
        raise ReceiptRejected("receipt", receipt, N_("a JSON object"), ("expected",))
    sid = receipt.get("submission_id")
    if not isinstance(sid, str) or not SUBMISSION_ID.fullmatch(sid):
        raise ReceiptRejected("submission_id", sid, "HN-YYYYMMDD-XXXXXX")
    for field, expected in (("unit", unit), ("idempotency_key", key), ("manifest_digest", manifest_digest)):
        if receipt.get(field) != expected:
            raise ReceiptRejected(field, receipt.get(field), expected)
    if receipt.get("state") not in STATES:
        raise ReceiptRejected("state", receipt.get("state"), " | ".join(STATES))
    at = _time(receipt.get("received_at"))
    now = now or datetime.now(timezone.utc)
    if at is None or at.year < 2020 or at > now + CLOCK_SKEW:
        raise ReceiptRejected("received_at", receipt.get("received_at"), N_("an RFC 3339 time not in the future"),
                              ("expected",))
    return receipt


def verify_readback(receipt: dict[str, Any], stored: Any, manifest: dict[str, Any]) -> None:
    """The submission read back by id must be the receipt's and hold the manifest as posted."""
    if not isinstance(stored, dict):
        raise ReceiptRejected("read-back", stored, N_("a JSON object"), ("expected",))
    for field in RECEIPT_FIELDS:
        if field == "state":
            if stored.get("state") not in STATES:
                raise ReceiptRejected("read-back state", stored.get("state"), " | ".join(STATES))
            continue  # a reviewer may have moved it on since
        if stored.get(field) != receipt.get(field):
            raise ReceiptRejected("read-back " + field, stored.get(field), receipt.get(field))
    if stored.get("manifest") != manifest:
        raise ReceiptRejected("read-back manifest", N_("a different manifest"), N_("the manifest as posted"),
                              ("got", "expected"))
