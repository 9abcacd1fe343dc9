"""Issue 12 items 4 and 8: global options anywhere on the line, and a Chinese command line with no
English left in help texts and error messages (but for the names a user types: options, codes,
formats, paths)."""

from __future__ import annotations

import re

import pytest

from conftest import EXAMPLES

# Words a Chinese user types or reads as names: format and tool names, option values, enumerations.
ALLOWED = {
    "text", "json", "junit", "sarif", "github", "gitlab", "docx", "yaml", "xlsx", "csv", "toml", "zip",
    "TOML", "JSON", "DOCX", "YAML", "PEM", "CA", "BagIt", "Word", "Excel", "GPS", "ISO", "CI", "Schema",
    "GB", "T", "zh", "en", "error", "warning", "info", "county", "department", "unit", "reviewer", "admin",
    "received", "in_review", "published", "rejected", "withdrawn", "approver", "returned", "news", "guide", "national", "portal",
    "YYYY", "Www", "hnsubmit", "python", "pytest", "m", "quarantine", "table", "true", "hidden", "xxj",
    "FMT", "DOC", "JPG", "WMV", "TXT", "GDE", "SUB", "PKG", "PRF", "CSV", "HTTP", "HTTPS", "URL",
    "PostgreSQL", "SQLite", "S3",  # the storage engines' names (serve --db/--blobs, admin migrate/export/import)
}


def english_words(text: str) -> list[str]:
    """Latin words of `text` that are not names a user types: options, paths, URLs, codes, `code`,
    command names."""
    text = re.sub(r"`[^`]*`|'[^'\n]*'|\[默认:[^\]]*\]", " ", text)  # code, the user's own values, defaults
    words = []
    for run in re.findall(r"[!-~]+", text):  # each run of printable ASCII
        run = run.strip("()[]{}<>'\".,;:!?|")
        if (run.startswith("-") or re.search(r"\w[/\\.=_:@-]\w|^[./\\~]|://", run) or re.search(r"\d", run)
                or "_" in run):
            continue
        words += [w for w in re.findall(r"[A-Za-z]+", run) if w not in ALLOWED and w not in COMMAND_NAMES]
    return words


def _command_paths():
    from typer.main import get_command

    from hnsubmit.cli.app import app

    def walk(command, path):
        yield path
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, path + [name])

    return list(walk(get_command(app), []))


COMMAND_PATHS = _command_paths()
COMMAND_NAMES = {name for path in COMMAND_PATHS for name in path}


def test_global_options_work_after_the_subcommand(cli):
    code, out, err = cli("check", EXAMPLES / "positive", "--lang", "en", "-q")
    assert code == 0, err
    assert "PASSED" in out and "通过" not in out
    code, out, err = cli("explain", "FMT001", "-v", "--lang=en")
    assert code == 0, err
    assert "Severity" in out or "severity" in out.lower()


def test_profile_after_the_subcommand_chooses_the_language(cli, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[profiles.office]\nlang = "en"\n', encoding="utf-8")
    monkeypatch.setenv("HNSUBMIT_CONFIG", str(config))
    code, out, err = cli("check", EXAMPLES / "positive", "-q", "--profile", "office")
    assert code == 0, err
    assert "PASSED" in out
    code, out, err = cli("check", "--help", "--profile", "office")
    assert code == 0 and "Usage:" in out and "用法" not in out


def test_a_commands_own_option_of_the_same_name_stays_its_own(cli):
    """`guide schema --profile national` names a guide profile, not a config profile."""
    code, out, err = cli("guide", "schema", "--profile", "national")
    assert code == 0, err
    assert '"$schema"' in out or '"properties"' in out


def test_own_options_table_names_every_command_option_that_shadows_a_global_one():
    from typer.main import get_command

    from hnsubmit.cli.app import app
    from hnsubmit.cli.argv import OWN_OPTIONS

    globals_ = {"--lang", "--profile", "-v", "--verbose"}
    root = get_command(app)
    for path in COMMAND_PATHS[1:]:
        command = root
        for name in path:
            command = command.commands[name]
        own = {o for p in command.params for o in p.opts} & globals_
        assert own <= OWN_OPTIONS.get(path[0], frozenset()), (path, own)


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "root")
def test_every_help_is_chinese(cli, path):
    code, out, err = cli(*path, "--help")
    assert code == 0, err
    assert "用法:" in out and "显示本帮助并退出" in out
    assert english_words(out) == [], out


ERROR_PATHS = [
    ["check"],                                  # missing argument
    ["check", "--nope", "x"],                   # no such option
    ["nosuch"],                                 # no such command
    ["chek", "x"],                              # no such command, with a suggestion
    ["status", "--limit", "many"],              # not an integer
    ["check", "-f", "nope", "x"],               # a choice of ours
    ["check", "--severity", "X", "x"],
    ["check", "-o", "nope", "x"],
    ["check", "--lang"],                        # an option without its value
    ["--lang", "fr", "rules"],
    ["review", "reject", "HN-1"],               # missing option
    ["rules", "extra"],                         # unexpected extra argument
    ["check", "没有这个文件"],
    ["explain", "XYZ999"],
    ["guide", "new", "--format", "nope"],
    ["outbox", "drop"],                         # a missing argument of a subcommand
    ["admin", "token", "issue"],                # a missing required option
    ["withdraw"],
    ["status", "--format", "nope"],
]


@pytest.mark.parametrize("argv", ERROR_PATHS, ids=" ".join)
def test_errors_are_chinese(cli, argv):
    code, out, err = cli(*argv)
    assert code == 2, (code, out, err)
    assert "Traceback" not in err and err.strip()
    assert english_words(err) == [], err


def test_english_stays_english(cli):
    code, out, err = cli("check", "--lang", "en")
    assert code == 2 and "Missing argument 'PATHS'." in err and "Usage:" in err
    code, out, err = cli("review", "--help", "--lang", "en")
    assert "Usage:" in out and "Review submissions" in out


def test_help_texts_are_extracted_for_the_catalog():
    """Plain English help= and command docstrings reach the catalog without any marking."""
    from hnsubmit.cli.help_extract import help_texts

    source = (
        "import typer\n"
        "X_HELP = 'Shared help.'\n"
        "def register(app):\n    app.command('go')(go)\n"
        "def go(n: int = typer.Option(1, help='How many.')):\n    '''Go somewhere.\n\n    Far.'''\n"
        "def helper(x):\n    '''Not a command.'''\n"
    )
    assert sorted(t for _, t in help_texts(source)) == ["Go somewhere.\n\nFar.", "How many.", "Shared help."]
