"""Where the office's commands do their work: `open_office` gives an `OfficeSource` (client/office.py).

`--data DIR` → LocalOffice on the server's own data folder (the operator's bootstrap, needs the
server extra; so do HNSUBMIT_EXCHANGE_DATA and, unless --endpoint is given, the default data folder
when `hnsubmit serve` made one on this machine); else → RemoteOffice on `--endpoint` (or the
profile's or HNSUBMIT_ENDPOINT's `endpoint`) with the office's
token, found as push finds a unit's: HNSUBMIT_TOKEN, the file store, the keyring entry that
`hnsubmit login` (without --unit) made under the key "office".  With neither --data nor an endpoint
anywhere, the data folder of HNSUBMIT_EXCHANGE_DATA or the user's data folder is used, as before.

Every office command takes the same four options (`data_option`, `endpoint_option`, `ca_bundle_option`,
`allow_http_option`) and calls `open_office(data, endpoint, ca_bundle, allow_http)` in a `with`.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer

OFFICE_ENDPOINT_HELP = "The exchange endpoint URL, to work at a distance with a reviewer or admin token (default: the profile's `endpoint`)."
OFFICE_DATA_HELP = ("Data directory of the exchange server (default: HNSUBMIT_EXCHANGE_DATA or the user data folder). Given, "
                    "the command works on the server's own data folder instead of over the network.")


def data_option() -> Optional[Path]:
    return typer.Option(None, "--data", help=OFFICE_DATA_HELP)


def endpoint_option() -> Optional[str]:
    return typer.Option(None, "--endpoint", help=OFFICE_ENDPOINT_HELP)


def remote_wanted(data: Path | None, endpoint: str | None) -> bool:
    """Over the network when --endpoint is given, or when an endpoint is configured (profile or
    HNSUBMIT_ENDPOINT) and no data folder is at hand: --data, HNSUBMIT_EXCHANGE_DATA or the server's
    default data folder on this machine mean the operator works on the server itself."""
    from hnsubmit.cli.context import current

    if data is not None:
        return False
    if endpoint:
        return True
    if os.environ.get("HNSUBMIT_EXCHANGE_DATA", "").strip():
        return False
    from hnsubmit.config import data_dir

    if (data_dir() / "exchange" / "exchange.sqlite3").is_file():
        return False  # `hnsubmit serve` keeps its data here: this is the server's own machine (README's tour)
    chosen = current().settings.values.get("endpoint")  # the built-in default endpoint is no one's choice
    return chosen is not None and chosen.source != "default" and bool(str(chosen.value or "").strip())


@contextmanager
def open_office(data: Path | None = None, endpoint: str | None = None, ca_bundle: str | None = None,
                allow_http: bool = False, policy=None) -> Iterator[object]:
    """The office source for this invocation (module docstring); closed on leaving the block.
    `policy`: on the data folder, the policy `review show` proofreads with and `report` scores with
    (the server uses its own); None there: the profile's policy, else the built-in default."""
    if not remote_wanted(data, endpoint):
        from hnsubmit.cli.context import local_exchange

        with local_exchange(data) as ex:
            from hnsubmit.exchange.office import LocalOffice

            if policy is None:
                from hnsubmit.cli.context import resolve_policy

                policy = resolve_policy(None)
            yield LocalOffice(ex, policy)
        return
    from hnsubmit.cli.context import open_client
    from hnsubmit.client.office import OFFICE_KEY, OFFICE_RETRY, RemoteOffice

    client, _cred = open_client(endpoint, OFFICE_KEY, ca_bundle, retry=OFFICE_RETRY, allow_http=allow_http)
    office = RemoteOffice(client)
    try:
        yield office
    finally:
        office.close()


def local_policy(data: Path | None, endpoint: str | None, flag: Path | None, what: str = "--policy"):
    """The --policy of an office command: read on the data folder; refused over the network, where the
    exchange applies the office's own policy (a usage error, before any network)."""
    if remote_wanted(data, endpoint):
        if flag is not None:
            from hnsubmit.errors import UsageError

            raise UsageError("{option} works with --data only: over the network the exchange applies the office's own policy.",
                             option=what)
        return None
    from hnsubmit.cli.context import resolve_policy

    return resolve_policy(flag)


def invalid_period(kind: str, value: str | None):
    """The usage error for a week or quarter the exchange cannot read."""
    from hnsubmit.errors import UsageError

    if kind == "quarter":
        return UsageError("Not a valid quarter (YYYY-Qn, e.g. 2026-Q4): {quarter}", quarter=value)
    return UsageError("Not a valid ISO week (YYYY-Www): {week}", week=value)
