"""The console's Jinja2 environments, one per language: templates use gettext (`{{ _("Queue") }}`) with English
msgids, translated by the package's catalog (scripts/zh_messages_console.py), so a Chinese and an English
reader are served at once by one process.  Autoescaping is on for every template: a title holding
`<script>` is shown as text."""

from __future__ import annotations

from functools import lru_cache

from hnsubmit.i18n import LANGS


@lru_cache(maxsize=len(LANGS))
def environment(lang: str):
    from jinja2 import Environment, PackageLoader, select_autoescape

    from hnsubmit.i18n import _translation

    env = Environment(
        loader=PackageLoader("hnsubmit.exchange.console", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
    )
    env.install_gettext_translations(_translation(lang if lang in LANGS else "zh"), newstyle=True)
    return env


def render(template: str, lang: str, **context) -> str:
    env = environment(lang)
    return env.get_template(template).render(lang=lang, html_lang="zh-CN" if lang == "zh" else "en", **context)


def gettext_for(lang: str):
    from hnsubmit.i18n import _translation

    return _translation(lang if lang in LANGS else "zh").gettext
