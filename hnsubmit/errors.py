"""One exception base for everything the user can cause; the command layer turns it into output.

An error carries an English message template (a gettext msgid) and its arguments, so the text is
rendered at the edge in the user's language (sigstore-style errors that carry their own advice:
`hint`).  Never put a secret into the arguments.
"""

from __future__ import annotations

from typing import Any

from hnsubmit.exitcodes import ExitCode


class HnsubmitError(Exception):
    exit_code: ExitCode = ExitCode.CHECK_FAILED

    def __init__(self, template: str, hint: str = "", **args: Any) -> None:
        super().__init__(template)
        self.template = template
        self.hint = hint
        self.args_map = args

    def render(self, translate=lambda s: s) -> str:
        from hnsubmit.rules import _format

        return _format(translate(self.template), self.args_map)

    def render_hint(self, translate=lambda s: s) -> str:
        from hnsubmit.rules import _format

        return _format(translate(self.hint), self.args_map) if self.hint else ""

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
