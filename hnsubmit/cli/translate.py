"""Help texts and Click's own words (usage, sections, errors) in the user's language.

The command modules write their help in English, as Typer wants it; hnsubmit/cli/help_extract.py
extracts those texts (help=, docstrings of commands) into the gettext catalog.  Each invocation
builds the Click command tree afresh (`typer.main.get_command`), and `translated_command` passes
every help text, argument name and type label of it through `_()` in the language chosen from
argv (cli/argv.py) before anything is rendered.  Typer's vendored Click writes its words as plain
English f-strings: the usage prefix and the help option are set here, and `click_error` rewrites
its error messages through the catalog.
"""

from __future__ import annotations

import re

import typer

from hnsubmit.i18n import N_, _, current_lang

# Words Typer writes through gettext (typer/core.py); pointed at our catalog by `install`.
TYPER_WORDS = (
    N_("Arguments"), N_("Options"), N_("Commands"), N_("default: {default}"), N_("required"),
    N_("env var: {var}"), N_("(dynamic)"), N_("Missing command."), N_("No such command {name!r}."),
    N_("Aborted!"),
)
USAGE = N_("Usage: ")
OPTIONS_METAVAR = N_("[OPTIONS]")
SUBCOMMAND_METAVAR = N_("COMMAND [ARGS]...")
HELP_OPTION = N_("Show this message and exit.")
TRY_HELP = N_("Try '{command} {option}' for help.")

# An argument's name as the usage line and errors show it.
ARGUMENT_NAMES = {
    "paths": N_("PATHS"), "path": N_("PATH"), "submission_id": N_("SUBMISSION_ID"), "code": N_("CODE"),
    "directory": N_("DIRECTORY"), "ids": N_("IDS"), "kind": N_("KIND"), "name": N_("NAME"),
    "token_id": N_("TOKEN_ID"), "target": N_("TARGET"),
}
# Typer's type labels (<str>, <list[Path]>, <int>…) in people's words.
TYPE_WORDS = {
    "str": N_("text"), "int": N_("integer"), "float": N_("number"), "path": N_("path"), "Path": N_("path"),
    "file": N_("file"), "File": N_("file"), "directory": N_("folder"), "Directory": N_("folder"),
    "bool": N_("yes/no"), "datetime": N_("date and time"), "integer": N_("integer"), "boolean": N_("yes/no"),
}

# Click's error messages (f-strings in typer/_click and typer/_coercion), matched and re-said.
_ERRORS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?P<message>.+?)\.? Did you mean (?P<suggestions>.+)\?", re.S), N_("{message} Did you mean {suggestions}?")),
    (re.compile(r"Missing argument (?P<name>.+?)\.(?: (?P<extra>.+))?", re.S), N_("Missing argument {name}.")),
    (re.compile(r"Missing option (?P<name>.+?)\.(?: (?P<extra>.+))?", re.S), N_("Missing option {name}.")),
    (re.compile(r"Missing parameter:? (?P<name>.+?)\.?", re.S), N_("Missing parameter {name}.")),
    (re.compile(r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)", re.S),
     N_("No such option: {name} (possible options: {options})")),
    (re.compile(r"No such option: (?P<name>\S+)", re.S), N_("No such option: {name}")),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)", re.S), N_("Unexpected extra arguments: {args}")),
    (re.compile(r"Option (?P<name>'\S+') requires an argument\.", re.S), N_("Option {name} requires a value.")),
    (re.compile(r"Option (?P<name>'\S+') requires (?P<count>\d+) arguments\.", re.S), N_("Option {name} requires {count} values.")),
    (re.compile(r"Option (?P<name>'\S+') does not take a value\.", re.S), N_("Option {name} does not take a value.")),
    (re.compile(r"Invalid value for (?P<name>.+?): (?P<message>.+)", re.S), N_("Invalid value for {name}: {message}")),
    (re.compile(r"Invalid value: (?P<message>.+)", re.S), N_("Invalid value: {message}")),
    (re.compile(r"Value (?P<value>.+) is not a valid (?P<type>\w+)\.", re.S), N_("{value} is not a valid {type}.")),
    (re.compile(r"(?P<value>.+) is not one of (?P<choices>.+)\.", re.S), N_("{value} is not one of {choices}.")),
    (re.compile(r"Input should be a valid (?P<type>\w+)\b.*", re.S), N_("Not a valid {type}.")),
    (re.compile(r"(?:Path|File|Directory) (?P<path>.+) does not exist\.", re.S), N_("{path} does not exist.")),
    (re.compile(r"(?:Path|File|Directory) (?P<path>.+) is a file\.", re.S), N_("{path} is a file, not a folder.")),
    (re.compile(r"(?:Path|File|Directory) (?P<path>.+) is a directory\.", re.S), N_("{path} is a folder, not a file.")),
    (re.compile(r"(?:Path|File|Directory) (?P<path>.+) is not readable\.", re.S), N_("{path} cannot be read.")),
    (re.compile(r"(?:Path|File|Directory) (?P<path>.+) is not writable\.", re.S), N_("{path} cannot be written.")),
]


def say_click_message(text: str) -> str:
    """One of Click's English messages in the user's language (unknown ones stay as they are)."""
    for pattern, msgid in _ERRORS:
        match = pattern.fullmatch(text.strip())
        if match:
            fields = {k: v or "" for k, v in match.groupdict().items() if k != "extra"}
            if "message" in fields:
                fields["message"] = say_click_message(fields["message"])
            if "args" in fields:  # the user's own words, quoted as Click quotes the others
                fields["args"] = " ".join(f"'{arg}'" for arg in fields["args"].split())
            if fields.get("type") in TYPE_WORDS:
                fields["type"] = _(TYPE_WORDS[fields["type"]])
            said = _(msgid).format(**fields)
            extra = match.groupdict().get("extra")
            return f"{said} {say_click_message(extra)}" if extra else said
    return _(text)


def click_error(exc) -> str:
    """The text Click's `UsageError.show` would print, in the user's language."""
    if type(exc).__name__ == "NoArgsIsHelpError":  # a group run bare: its help, not an error
        return exc.format_message()
    lines = []
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(_(TRY_HELP).format(command=ctx.command_path, option=ctx.help_option_names[0]))
        lines.append("")
    lines.append(_("Error: ") + say_click_message(exc.format_message()))
    return "\n".join(lines)


def install() -> None:
    """Let Typer's gettext words go through our catalog, and measure and wrap help text by display
    cells, not characters (a Chinese character takes two columns), so tables stay aligned (idempotent)."""
    import typer.core
    from typer._click import formatting

    typer.core._ = _
    if not getattr(formatting, "_hnsubmit_cells", False):
        from rich.cells import cell_len

        original_wrap = formatting.wrap_text
        formatting.term_len = cell_len
        formatting.wrap_text = lambda text, width=78, initial_indent="", subsequent_indent="", preserve_paragraphs=False: (
            _wrap_cells(text, width, initial_indent, subsequent_indent)
            if cell_len(text) != len(text) else
            original_wrap(text, width, initial_indent, subsequent_indent, preserve_paragraphs))
        formatting._hnsubmit_cells = True


_NO_LINE_START_CHARS = "，。、：；）】」』！？,.:;)]!?…"  # a line never starts with these


def _wrap_cells(text: str, width: int, initial_indent: str, subsequent_indent: str) -> str:
    """Greedy wrapping by display cells; a Chinese character may end a line, a Latin word may not."""
    from rich.cells import cell_len

    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        tokens = re.findall(r"[\x21-\x7e]+|\s+|.", " ".join(paragraph.split()))
        line, indent = "", initial_indent if not out else subsequent_indent
        for token in tokens:
            if cell_len(indent + line + token) > width and line.strip() and token.strip(_NO_LINE_START_CHARS):
                out.append(indent + line.rstrip())
                line, indent = "", subsequent_indent
                if token.isspace():
                    continue
            line += token
        out.append(indent + line.rstrip())
        out.append("")
    return "\n".join(out[:-1])


def _type_label(label: str) -> str:
    inner = label[1:-1] if label.startswith("<") and label.endswith(">") else label
    many = inner.startswith("list[") and inner.endswith("]")
    if many:
        inner = inner[5:-1]
    if inner.endswith(" range"):  # the range itself is shown with the default
        inner = inner[: -len(" range")]
    word = _(TYPE_WORDS[inner]) if inner in TYPE_WORDS else inner
    return f"<{word}>..." if many else f"<{word}>"


def _short(help_text: str, limit: int = 26) -> str:
    """The first sentence of a Chinese help, for the command list (Click cuts at spaces only)."""
    first = re.split(r"。|\n\n", help_text.strip(), maxsplit=1)[0].strip()
    if len(first) <= limit:
        return first
    for mark in (":", ";", "(", ","):
        cut = first.find(mark)
        if 0 < cut <= limit:
            return first[:cut]
    cut = limit - 1
    while cut > 0 and first[cut - 1].isascii() and first[cut - 1].isalnum():  # never halve a Latin word
        cut -= 1
    return first[:cut].rstrip() + "…"


def _translate_params(command) -> None:
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _(param.help)
        if param.param_type_name == "argument" and param.metavar is None and param.name in ARGUMENT_NAMES:
            param.metavar = _(ARGUMENT_NAMES[param.name])
        if hasattr(param, "display_type_rich"):
            original = param.display_type_rich
            param.display_type_rich = lambda ctx, _original=original: _type_label(_original(ctx))
    original_help_option = command.get_help_option

    def help_option(ctx, _original=original_help_option):
        option = _original(ctx)
        if option is not None and option.help == HELP_OPTION:
            option.help = _(HELP_OPTION)
        return option

    command.get_help_option = help_option


def _translate(command) -> None:
    for attr in ("help", "short_help", "epilog"):
        text = getattr(command, attr, None)
        if text:
            setattr(command, attr, _(text))
    if current_lang() == "zh" and command.help and not command.short_help:
        command.short_help = _short(command.help)
    _translate_params(command)
    if getattr(command, "options_metavar", None) == OPTIONS_METAVAR:
        command.options_metavar = _(OPTIONS_METAVAR)
    if getattr(command, "subcommand_metavar", None) == SUBCOMMAND_METAVAR:
        command.subcommand_metavar = _(SUBCOMMAND_METAVAR)
    command.context_class = _context_class(command.context_class)
    for sub in getattr(command, "commands", {}).values():
        _translate(sub)


_CONTEXTS: dict[type, type] = {}


def _context_class(base: type) -> type:
    """A context whose help formatter writes the usage prefix in the user's language."""
    if base not in _CONTEXTS:
        class Formatter(base.formatter_class):  # type: ignore[name-defined,misc]
            def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
                super().write_usage(prog, args, _(USAGE) if prefix is None else prefix)

        _CONTEXTS[base] = type("TranslatedContext", (base,), {"formatter_class": Formatter})
    return _CONTEXTS[base]


def translated_command(app: typer.Typer):
    """The app's Click command, every text of it in the current language."""
    install()
    command = typer.main.get_command(app)
    _translate(command)
    return command
