"""Exit codes, defined once (httpie-style IntEnum); `exit_code_for` is the one place that picks one."""

from __future__ import annotations

import enum


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
