"""Global options anywhere on the command line, and the language known before the app is built.

`hnsubmit check 报送材料/ --lang en` is how people write it (the Chinese README does too), but Click
only takes a group's options before the subcommand.  `split_globals` moves `--lang`, `--profile`
and `-v/--verbose` to the front once, so the root callback sees them wherever they were written;
the language they choose is set before any help text or error is rendered.  Imports nothing heavy:
the console script's fast root help uses it too.
"""

from __future__ import annotations

from dataclasses import dataclass

# Options a subcommand defines itself with the same name mean that command's own thing there and
# are left in place (`guide check --profile` names a guide profile).  tests/test_chinese_cli.py
# keeps this in step with the commands.
OWN_OPTIONS: dict[str, frozenset[str]] = {"guide": frozenset({"--profile"})}
_VALUED = ("--lang", "--profile")
_FLAGS = ("-v", "--verbose")


@dataclass(frozen=True)
class Globals:
    lang: str | None = None
    profile: str | None = None
    verbose: bool = False


def split_globals(argv: list[str]) -> tuple[Globals, list[str]]:
    """(the global options found, argv with them moved in front of the subcommand)."""
    front: list[str] = []
    rest: list[str] = []
    lang = profile = None
    verbose = False
    command: str | None = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        name, eq, value = arg.partition("=")
        own = OWN_OPTIONS.get(command or "", frozenset())
        if name in _VALUED and name not in own:
            if not eq:
                if i + 1 >= len(argv):  # no value: leave it for Click to report
                    front.append(arg)
                    break
                value = argv[i + 1]
                i += 1
            front += [name, value]
            if name == "--lang":
                lang = value
            else:
                profile = value
        elif arg in _FLAGS and arg not in own:
            front.append(arg)
            verbose = True
        else:
            if command is None and not arg.startswith("-"):
                command = arg
            rest.append(arg)
        i += 1
    return Globals(lang, profile, verbose), front + rest


def choose_lang(flag: str | None, profile: str | None) -> str:
    """--lang, else HNSUBMIT_LANG or the profile's `lang`, else the locale (as build_context does)."""
    from hnsubmit.errors import HnsubmitError
    from hnsubmit.i18n import LANGS, detect_lang

    if flag in LANGS:
        return flag
    try:
        from hnsubmit.config import load_settings

        configured = str(load_settings(profile).get("lang") or "").strip().lower()[:2]
    except HnsubmitError:  # a broken config file is reported by the command itself
        configured = ""
    return configured if configured in LANGS else detect_lang()


def prepare(argv: list[str]) -> list[str]:
    """Move the global options to the front and set the language they choose; the new argv."""
    from hnsubmit.i18n import set_lang

    found, argv = split_globals(argv)
    set_lang(choose_lang(found.lang, found.profile))
    return argv
