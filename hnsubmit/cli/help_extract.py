"""Babel extractor (babel.cfg): the `_()` strings as usual, plus the command line's help texts.

Help texts stay plain English where Typer wants them (`help=` of options, arguments, commands and
groups; a command's docstring; a module constant named *_HELP), so no command module needs to
know about translation; cli/translate.py looks each up in the catalog at run time.  Only files
under cli/ are searched for help texts.  Used by `make i18n` and tests/test_i18n.py only.
"""

from __future__ import annotations

import ast
import inspect

_HELP_KEYWORDS = ("help", "short_help", "epilog")
_COMMAND_DECORATORS = ("command", "callback")


def _text(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
        return inspect.cleandoc(node.value)
    return None


def _is_option_call(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("Option", "Argument")


def _registered(tree: ast.AST) -> set[str]:
    """Names of functions registered as `app.command(...)(func)` / `app.callback(...)(func)`."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Call) and node.args:
            inner = node.func.func
            if isinstance(inner, ast.Attribute) and inner.attr in _COMMAND_DECORATORS and isinstance(node.args[0], ast.Name):
                names.add(node.args[0].id)
    return names


def _is_command(node: ast.FunctionDef | ast.AsyncFunctionDef, registered: set[str]) -> bool:
    decorated = any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in _COMMAND_DECORATORS
        for d in node.decorator_list
    )
    defaults = node.args.defaults + [d for d in node.args.kw_defaults if d is not None]
    return decorated or node.name in registered or any(_is_option_call(d) for d in defaults)


def help_texts(source: str):
    """(line, text) of every help text in a module's source."""
    tree = ast.parse(source)
    registered = _registered(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                text = _text(keyword.value) if keyword.arg in _HELP_KEYWORDS else None
                if text:
                    yield keyword.value.lineno, text
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=True)
            if doc and _is_command(node, registered):
                yield node.body[0].lineno, doc
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("_HELP") for t in node.targets):
            text = _text(node.value)
            if text:
                yield node.lineno, text


def extract(fileobj, keywords, comment_tags, options):
    """Babel's Python extractor, then the help texts of command-line modules."""
    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    name = str(getattr(fileobj, "name", "")).replace("\\", "/")
    if "/cli/" not in name and not name.startswith("cli/"):
        return
    fileobj.seek(0)
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    for line, text in help_texts(source):
        yield line, "_", text, []
