"""Deep validators, by identified kind.

An explicit registry (yamllint's way): adding a validator is a visible one-line change here.  Each
entry is "module:function", imported only when a file of that kind is checked, so `--help` stays
fast.  A validator takes a :class:`~hnsubmit.checks.context.FileContext` and yields findings; the
text scanners then run over the text the validators extracted.
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable

VALIDATORS: dict[str, tuple[str, ...]] = {
    "jpeg": ("hnsubmit.checks.validators.jpeg:check",),
    "submission": ("hnsubmit.checks.validators.submission:check",),
    "zip": ("hnsubmit.checks.validators.package:check",),
    "wmv": ("hnsubmit.checks.validators.wmv:check",),
    "wma": ("hnsubmit.checks.validators.wmv:check",),
    "asf": ("hnsubmit.checks.validators.wmv:check",),
    "docx": ("hnsubmit.checks.validators.docx:check",),
    "docx-encrypted": ("hnsubmit.checks.validators.docx:check_encrypted",),
    "doc": ("hnsubmit.checks.validators.doc:check",),
    "office-guide": ("hnsubmit.guide.check:check",),
}

# Run after the validators of every kind, over ctx.texts.
TEXT_SCANNERS: tuple[str, ...] = (
    "hnsubmit.checks.validators.text_scan:scan",
    "hnsubmit.checks.proofing.scanner:scan",
)


def _load(spec: str) -> Callable:
    module, _, func = spec.partition(":")
    return getattr(import_module(module), func)


def validators_for(kind: str) -> list[Callable]:
    return [_load(spec) for spec in VALIDATORS.get(kind, ())]


def text_scanners() -> list[Callable]:
    return [_load(spec) for spec in TEXT_SCANNERS]
