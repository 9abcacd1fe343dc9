"""The rule registry: every check has a stable code, messages in both languages and an explanation.

Rules are data, one TOML catalog per family in ``rules/catalog/`` (FMT format identification, DOC
Word, JPG, WMV, TXT sensitive text, GDE office guide, SUB submission, PKG package), so adding a rule
is a visible change to one file and the explanations live beside the messages they explain.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

from hnsubmit.i18n import fill
from hnsubmit.rules.severity import Severity

CODE_RE = re.compile(r"^(?P<family>[A-Z]{3})\d{3}$")
FAMILIES = {
    "FMT": ("格式识别", "format identification"),
    "DOC": ("Word 文档", "Word documents"),
    "JPG": ("JPEG 图片", "JPEG images"),
    "WMV": ("WMV 视频", "WMV video"),
    "TXT": ("敏感内容", "sensitive text"),
    "GDE": ("办事指南", "office guides"),
    "SUB": ("报送信息", "submissions"),
    "PKG": ("报送包", "packages"),
    "PRF": ("文字校对", "proofreading"),
    "WCH": ("“海南政务”微信", "the 海南政务 WeChat account"),
}
LANGS = ("zh", "en")


class RuleCatalogError(Exception):
    """A catalog file is malformed: a bug in the package, caught by the catalog tests."""


@dataclass(frozen=True)
class Rule:
    code: str
    slug: str
    severity: Severity
    title: Mapping[str, str]
    message: Mapping[str, str]
    hint: Mapping[str, str]
    explanation: Mapping[str, str]
    fixable: bool = False
    clause: str = ""
    examples_fail: tuple[str, ...] = ()
    examples_pass: tuple[str, ...] = ()
    examples_policy: str = ""  # a policy file (under examples/) the examples are checked with
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def family(self) -> str:
        return self.code[:3]

    def render(self, what: str, lang: str, args: Mapping[str, Any] | None = None) -> str:
        """Fill the template `what` ("title", "message", "hint", "explanation") in `lang`."""
        texts: Mapping[str, str] = getattr(self, what)
        template = texts.get(lang) or texts.get("zh") or ""
        return fill(template, localise_args(args or {}, lang))


def localise_args(args: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Arguments may be bilingual ({"zh": …, "en": …}); pick the one for `lang`."""
    out: dict[str, Any] = {}
    for key, value in args.items():
        if isinstance(value, Mapping) and set(value) >= {"zh", "en"}:
            value = value[lang] if lang in value else value["zh"]
        out[key] = value
    return out


def _bilingual(raw: Any, code: str, key: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(raw.get(lang), str) for lang in LANGS):
        raise RuleCatalogError(f"{code}: '{key}' needs zh and en texts")
    return {lang: raw[lang].strip() for lang in LANGS}


def _parse_rule(code: str, raw: Mapping[str, Any], family: str) -> Rule:
    m = CODE_RE.match(code)
    if not m or m.group("family") != family:
        raise RuleCatalogError(f"{code}: code must be {family} + three digits")
    examples = raw.get("examples", {})
    try:
        severity = Severity(raw["severity"])
    except (KeyError, ValueError) as exc:
        raise RuleCatalogError(f"{code}: bad or missing severity") from exc
    known = {"slug", "severity", "title", "message", "hint", "explanation", "fixable", "clause", "examples"}
    return Rule(
        code=code,
        slug=str(raw.get("slug", "")),
        severity=severity,
        title=_bilingual(raw.get("title"), code, "title"),
        message=_bilingual(raw.get("message"), code, "message"),
        hint=_bilingual(raw.get("hint"), code, "hint"),
        explanation=_bilingual(raw.get("explanation"), code, "explanation"),
        fixable=bool(raw.get("fixable", False)),
        clause=str(raw.get("clause", "")),
        examples_fail=tuple(examples.get("fail", ())),
        examples_pass=tuple(examples.get("pass", ())),
        examples_policy=str(examples.get("policy", "")),
        extra={k: v for k, v in raw.items() if k not in known},
    )


@lru_cache(maxsize=None)
def family_rules(family: str) -> dict[str, Rule]:
    """The rules of one family catalog, by code. A check that reports one JPG finding reads JPG.toml
    only: parsing all ten catalogs was a quarter of `check one.jpg`'s start-up."""
    from hnsubmit.tomlcompat import tomllib

    if family not in FAMILIES:
        return {}
    entry = resources.files("hnsubmit.rules") / "catalog" / f"{family}.toml"
    if not entry.is_file():
        return {}
    rules: dict[str, Rule] = {}
    for code, raw in tomllib.loads(entry.read_text(encoding="utf-8")).items():
        if code in rules:
            raise RuleCatalogError(f"{code}: duplicate code")
        rules[code] = _parse_rule(code, raw, family)
    return rules


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    """Every rule of every family catalog, by code, in code order."""
    rules: dict[str, Rule] = {}
    slugs: set[str] = set()
    catalog = resources.files("hnsubmit.rules") / "catalog"
    for entry in sorted(catalog.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".toml"):
            continue
        family = entry.name[:-5]
        if family not in FAMILIES:
            raise RuleCatalogError(f"unknown family catalog {entry.name}")
        for code, rule in family_rules(family).items():
            if code in rules or rule.slug in slugs or not rule.slug:
                raise RuleCatalogError(f"{code}: duplicate code or missing/duplicate slug")
            rules[code] = rule
            slugs.add(rule.slug)
    return dict(sorted(rules.items()))


def get_rule(code: str) -> Rule:
    try:
        return family_rules(code[:3])[code]
    except KeyError:
        raise KeyError(f"no rule {code!r} in the registry") from None


def find_rule(code_or_slug: str) -> Rule | None:
    """Look a rule up by code (any case), by slug, or by its whole title in either language."""
    rules = all_rules()
    key = code_or_slug.strip()
    if key.upper() in rules:
        return rules[key.upper()]
    for rule in rules.values():
        if rule.slug == key.lower():
            return rule
    for rule in rules.values():
        if key and (key == rule.title.get("zh", "").strip() or key.lower() == rule.title.get("en", "").strip().lower()):
            return rule
    return None


def rules_titled(words: str) -> list[Rule]:
    """Rules whose title holds `words` (`批注` finds 文档含批注): how people remember a rule."""
    key = words.strip().lower()
    if not key:
        return []
    return [r for r in all_rules().values() if any(key in r.title.get(lang, "").lower() for lang in ("zh", "en"))]


def suggest(code_or_slug: str, n: int = 3) -> list[str]:
    """Close matches among codes and slugs, for an unknown code."""
    rules = all_rules()
    candidates = list(rules) + [r.slug for r in rules.values()]
    key = code_or_slug.strip()
    return difflib.get_close_matches(key.upper(), list(rules), n=n, cutoff=0.5) or difflib.get_close_matches(
        key.lower(), candidates, n=n, cutoff=0.5
    )
