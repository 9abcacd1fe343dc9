"""Language choice and gettext: messages in Chinese by default, English with --lang en or an English locale.
The bottom layer: it imports nothing of hnsubmit, and everything may import it.

Interface strings are English msgids translated through the compiled catalog in
``locale/zh_CN/LC_MESSAGES/hnsubmit.mo`` (Babel extracts and compiles it: `make i18n`).  Rule
messages are data in the rule catalogs and carry both languages themselves.
"""

from __future__ import annotations

import gettext
import os
import string
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

LANGS = ("zh", "en")
_current: str | None = None


def detect_lang(environ: dict[str, str] | None = None) -> str:
    """HNSUBMIT_LANG, then the POSIX locale variables; Chinese unless the locale says English."""
    env = os.environ if environ is None else environ
    explicit = env.get("HNSUBMIT_LANG", "").strip().lower()
    if explicit[:2] in LANGS:
        return explicit[:2]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "").strip().lower()
        if value and value not in ("c", "posix", "c.utf-8", "c.utf8"):
            return "en" if value.startswith("en") else "zh"
    return "zh"


def set_lang(lang: str | None) -> str:
    global _current
    _current = lang if lang in LANGS else detect_lang()
    return _current


def current_lang() -> str:
    return _current or set_lang(None)


@lru_cache(maxsize=2)
def _translation(lang: str) -> gettext.NullTranslations:
    if lang != "zh":
        return gettext.NullTranslations()
    localedir = resources.files("hnsubmit.i18n") / "locale"
    try:
        with resources.as_file(localedir) as path:
            return gettext.translation("hnsubmit", localedir=str(path), languages=["zh_CN"])
    except OSError:
        return gettext.NullTranslations()


def _(message: str) -> str:
    return _translation(current_lang()).gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, args: Mapping[str, Any]) -> str:
    """Fill `{name}` fields of a message template; a field without a value stays as written."""
    try:
        return string.Formatter().vformat(template, (), _Blank(args))
    except (ValueError, IndexError, KeyError, AttributeError):
        return template
