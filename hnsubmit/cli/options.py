"""Options that several commands share, defined once with their help text."""

from __future__ import annotations

from typing import Optional

import typer

ENDPOINT_HELP = "The exchange endpoint URL (default: the profile's `endpoint`)."
UNIT_HELP = "The unit code (default: the profile's `unit`)."
CA_HELP = "CA certificates (PEM) for a government internal CA, in addition to the system's trust store."
DATA_HELP = "Data directory of the exchange server (default: HNSUBMIT_EXCHANGE_DATA or the user data folder)."


def endpoint_option() -> Optional[str]:
    return typer.Option(None, "--endpoint", help=ENDPOINT_HELP)


def unit_option() -> Optional[str]:
    return typer.Option(None, "--unit", help=UNIT_HELP)


def ca_bundle_option() -> Optional[str]:
    return typer.Option(None, "--ca-bundle", help=CA_HELP)
