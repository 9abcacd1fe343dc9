"""Which identified kinds a policy allows, their aliases, and the short names messages use for them."""

from __future__ import annotations

from hnsubmit.policy.model import Policy

# A policy that allows a Word format allows its encrypted variant: the DOC rules judge encryption.
ALIASES = {"docx": ("docx-encrypted",)}

SHORT_NAMES = {
    "docx": ("Word (.docx)", "Word(.docx)"),
    "doc": ("Word 97–2003 (.doc)", "Word 97–2003(.doc)"),
    "jpeg": ("JPEG", "JPEG"),
    "wmv": ("WMV", "WMV"),
}


def allowed_kinds(policy: Policy) -> set[str]:
    kinds = set(policy.formats.allowed)
    for kind in list(kinds):
        kinds.update(ALIASES.get(kind, ()))
    return kinds


def allowed_description(policy: Policy) -> dict[str, str]:
    names = [SHORT_NAMES.get(k, (k, k)) for k in policy.formats.allowed]
    return {"zh": "、".join(n[1] for n in names), "en": ", ".join(n[0] for n in names)}
