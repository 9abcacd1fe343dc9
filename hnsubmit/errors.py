"""Exit codes (httpie-style IntEnum) and one exception base for everything the user can cause.

The command layer turns an error into output and its exit code.

An error carries an English message template (a gettext msgid) and its arguments, so the text is
rendered at the edge in the user's language (sigstore-style errors that carry their own advice:
`hint`).  Never put a secret into the arguments.
"""

from __future__ import annotations

import enum
from typing import Any

from hnsubmit.i18n import fill


class ExitCode(enum.IntEnum):
    OK = 0
    CHECK_FAILED = 1  # error-level findings (or warnings under --strict)
    USAGE = 2  # bad arguments, unknown rule code
    CONFIG = 3  # policy or configuration error
    CREDENTIALS = 4  # no token, token refused
    NETWORK = 5  # endpoint unreachable; items stay in the outbox
    REFUSED = 6  # the server refused the submission
    INTERRUPTED = 130


def exit_code_for_report(failed: bool, exit_zero: bool = False) -> ExitCode:
    """The exit code of a check run: flake8's --exit-zero turns a failing run into a report."""
    if failed and not exit_zero:
        return ExitCode.CHECK_FAILED
    return ExitCode.OK



class HnsubmitError(Exception):
    exit_code: ExitCode = ExitCode.CHECK_FAILED

    def __init__(self, template: str, hint: str = "", **args: Any) -> None:
        super().__init__(template)
        self.template = template
        self.hint = hint
        self.args_map = args

    def render(self, translate=lambda s: s) -> str:
        return fill(translate(self.template), self.args_map)

    def render_hint(self, translate=lambda s: s) -> str:
        return fill(translate(self.hint), self.args_map) if self.hint else ""

    def __str__(self) -> str:
        return self.render()


class UsageError(HnsubmitError):
    exit_code = ExitCode.USAGE


class PolicyError(HnsubmitError):
    exit_code = ExitCode.CONFIG


class ConfigError(HnsubmitError):
    exit_code = ExitCode.CONFIG


class CredentialsError(HnsubmitError):
    exit_code = ExitCode.CREDENTIALS


class NetworkError(HnsubmitError):
    exit_code = ExitCode.NETWORK


class RefusedError(HnsubmitError):
    exit_code = ExitCode.REFUSED
