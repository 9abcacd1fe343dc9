"""The single place where errors become messages and exit codes.  No traceback reaches the user."""

from __future__ import annotations

import sys

import click
import typer

from hnsubmit.exitcodes import ExitCode


def _err(text: str) -> None:
    click.echo(text, err=True)


def run(app: typer.Typer, argv: list[str] | None = None) -> int:
    from hnsubmit.errors import HnsubmitError
    from hnsubmit.i18n import _

    try:
        result = app(args=argv, standalone_mode=False)
        return int(result or 0)
    except HnsubmitError as exc:
        _err(_("Error: ") + exc.render(_))
        hint = exc.render_hint(_)
        if hint:
            _err("  → " + hint)
        return int(exc.exit_code)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        _err(_("Interrupted."))
        return int(ExitCode.INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
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
