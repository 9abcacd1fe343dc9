"""The single place where errors become messages and exit codes.  No traceback reaches the user."""

from __future__ import annotations

import sys

import typer

from hnsubmit.errors import ExitCode

try:  # Typer ≥ 0.20 vendors Click; older Typer uses the click package.
    from typer._click import exceptions as _cx
except ImportError:  # pragma: no cover - depends on the installed Typer
    from click import exceptions as _cx

_EXIT = tuple({getattr(typer, "Exit", None), getattr(_cx, "Exit", None)} - {None})
_ABORT = tuple({getattr(typer, "Abort", None), getattr(_cx, "Abort", None)} - {None})


def _err(text: str) -> None:
    typer.echo(text, err=True)


def run(app: typer.Typer, argv: list[str] | None = None) -> int:
    """Global options may follow the subcommand (cli/argv.py); the language they choose is set before
    the command tree is built and translated (cli/translate.py), so help and Click's errors speak it."""
    from hnsubmit.cli.argv import prepare
    from hnsubmit.cli.translate import click_error, translated_command
    from hnsubmit.errors import HnsubmitError
    from hnsubmit.i18n import _

    argv = prepare(list(sys.argv[1:] if argv is None else argv))
    try:
        # the name users type, also under `python -m hnsubmit` or a test runner (click would read sys.argv)
        result = translated_command(app).main(args=argv, prog_name="hnsubmit", standalone_mode=False)
        return int(result or 0)
    except HnsubmitError as exc:
        _err(_("Error: ") + exc.render(_))
        hint = exc.render_hint(_)
        if hint:
            _err("  → " + hint)
        return int(exc.exit_code)
    except _EXIT as exc:
        return int(getattr(exc, "exit_code", 0) or 0)
    except _ABORT:
        _err(_("Interrupted."))
        return int(ExitCode.INTERRUPTED)
    except _cx.ClickException as exc:
        _err(click_error(exc))
        return int(ExitCode.USAGE)
    except KeyboardInterrupt:
        _err(_("Interrupted."))
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)
    except Exception as exc:  # a bug: say so briefly, without locals (they may hold tokens)
        _err(_("Internal error: {error}. Please report it with `hnsubmit --version`.").format(error=type(exc).__name__))
        if "-v" in (argv or sys.argv) or "--verbose" in (argv or sys.argv):
            import traceback

            traceback.print_exception(type(exc), exc, exc.__traceback__, limit=-3, file=sys.stderr)
        return 70
