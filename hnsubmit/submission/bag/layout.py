"""What a package looks like: the BagIt tag files, the bag-info.txt fields hnsubmit writes, and
where the bag sits inside the zip."""

from __future__ import annotations

PAYLOAD = "data/"
BAGIT_TXT = "bagit.txt"
SUBMISSION = "data/submission.toml"
MANIFEST = "manifest-sha256.txt"

# bag-info.txt: RFC 8493 §2.2.2 reserved labels where one fits, `Hnsubmit-*` for the rest.
# (label, field of the submission) — the receiving office reads who sent it without unzipping.
BAG_INFO_FIELDS: tuple[tuple[str, str], ...] = (
    ("Hnsubmit-Unit", "unit"),
    ("Contact-Name", "liaison.name"),
    ("Hnsubmit-Approver", "approval.approver"),
    ("Hnsubmit-Category", "category"),
    ("Hnsubmit-Column", "column"),
)


def bag_prefix(names: list[str]) -> str | None:
    """Where bagit.txt is: "" at the top of the zip (as `pack` writes it) or "NAME/" for a bag
    inside one top-level folder (RFC 8493 §4.2, as other BagIt tools serialise).  None: no bag."""
    if BAGIT_TXT in names:
        return ""
    tops = {n.split("/", 1)[0] for n in names if n}
    if len(tops) == 1:
        top = tops.pop()
        if f"{top}/{BAGIT_TXT}" in names:
            return f"{top}/"
    return None
