"""Renderers turn a Report into output; the only package besides commands/ that may use Rich.

`REPORTER_BY_NAME` maps an output format to "module:function"; every function takes
(report, lang) and returns text, except the text renderer, which draws on a Rich console.
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable

REPORTER_BY_NAME: dict[str, str] = {
    "text": "hnsubmit.render.text:render_plain",
    "json": "hnsubmit.render.machine:render_json",
    "junit": "hnsubmit.render.machine:render_junit",
    "sarif": "hnsubmit.render.sarif:render_sarif",
    "github": "hnsubmit.render.machine:render_github",
    "gitlab": "hnsubmit.render.machine:render_gitlab",
}


def reporter(name: str) -> Callable:
    module, _, func = REPORTER_BY_NAME[name].partition(":")
    return getattr(import_module(module), func)
