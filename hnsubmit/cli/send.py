"""Sending outbox items with bars and a results table: what `push` and `outbox retry` share."""

from __future__ import annotations

from hnsubmit.cli.context import current, report_retries
from hnsubmit.i18n import N_

PROBE_TIMEOUT = 5.0  # seconds for one TCP connect to the endpoint before any request

_STATES = {"queued": N_("queued"), "uploading": N_("uploading"), "sent": N_("delivered"), "failed": N_("failed")}


def state_label(state: str) -> str:
    """An outbox state in the reader's language."""
    from hnsubmit.i18n import _

    return _(_STATES[state]) if state in _STATES else state


def stuck_hint(items) -> str:
    """The way out for items that keep failing: another endpoint, or give them up."""
    from hnsubmit.i18n import _

    ids = " ".join(str(i.id if hasattr(i, "id") else i.item_id) for i in items)
    return "  → " + _("If the endpoint is wrong: `hnsubmit outbox retry --endpoint URL {ids}`; "
                      "to give these up: `hnsubmit outbox drop {ids}`.").format(ids=ids)


def unreachable(endpoint: str) -> str | None:
    """None when something listens at the endpoint's host and port; else why not.

    Why this exists: every request retries a failed connection with backoff (stamina: 0.5, 1, 2, 4,
    8 s…), which is right for a server that restarts mid-upload but made `outbox retry` of an item
    stuck on a wrong address wait ~20 s for a port where nothing listens.  One TCP connect answers
    that at once.  Behind a proxy the endpoint is not dialled directly, so nothing is probed.
    """
    import socket
    import urllib.request
    from urllib.parse import urlsplit

    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if urllib.request.getproxies() and not urllib.request.proxy_bypass(host):
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=PROBE_TIMEOUT):
            return None
    except ConnectionRefusedError:
        return N_("nothing is running at that address and port")
    except socket.gaierror:
        return N_("the host name cannot be resolved")
    except TimeoutError:
        return N_("the connection got no answer")
    except OSError as exc:
        return type(exc).__name__


def _fail_unreachable(box, items, problem: str):
    """Mark the items of an endpoint nothing answers at as failed, without a request."""
    from hnsubmit.client.outbox import error_record
    from hnsubmit.client.push import PushResult
    from hnsubmit.errors import NetworkError

    from hnsubmit.i18n import _

    results = []
    for item in items:
        # stored with the reason's msgid (shown later in the reader's language), shown now in the user's
        stored = NetworkError("The exchange at {endpoint} could not be reached ({problem}).",
                              endpoint=item.endpoint, problem=problem)
        box.mark_failed(item.id, error_record(stored))
        shown = NetworkError(stored.template, endpoint=item.endpoint, problem=_(problem))
        results.append(PushResult(item.id, item.name, "failed", error=shown))
    return results


def send_items(box, items, *, concurrency: int = 2, ca_bundle: str | None = None, quiet: bool = False,
               retries: int | None = None, allow_http: bool = False) -> int:
    """Push outbox items (one token per endpoint and unit); render the table; return the exit code."""
    from hnsubmit.cli.interrupt import Interrupted
    from hnsubmit.client.api import ExchangeClient, RetryPolicy
    from hnsubmit.client.push import exit_code_for, push_by_target
    from hnsubmit.i18n import _
    from hnsubmit.render.console import console
    from hnsubmit.render.push import TransferProgress, render_results

    report_retries()
    retry = RetryPolicy(attempts=retries) if retries else RetryPolicy()

    def connect(endpoint: str, token):
        from hnsubmit.cli.options import client_options, warn_plain_http

        client = ExchangeClient(endpoint, token, ca_bundle=ca_bundle, pool=max(2, concurrency),
                                **client_options(current().settings, allow_http, retry))
        warn_plain_http(client)
        return client

    try:
        problems = {ep: unreachable(ep) for ep in dict.fromkeys(i.endpoint for i in items)}
        cut_off = [i for i in items if problems[i.endpoint]]
        results = []
        for ep in dict.fromkeys(i.endpoint for i in cut_off):
            results += _fail_unreachable(box, [i for i in cut_off if i.endpoint == ep], problems[ep])
        reachable = [i for i in items if not problems[i.endpoint]]
        if reachable:
            with TransferProgress(quiet) as progress:
                results += push_by_target(box, reachable, credentials=current().credentials, connect=connect,
                                          concurrency=concurrency, events=progress.events())
    except KeyboardInterrupt:
        raise Interrupted(_("Interrupted: the items are kept in the outbox and the original files are untouched; "
                            "continue with `hnsubmit outbox retry`.")) from None
    order = {i.id: n for n, i in enumerate(items)}
    results.sort(key=lambda r: order.get(r.item_id, len(order)))
    render_results(results)
    failed = [r for r in results if r.state == "failed"]
    if failed:
        import typer

        typer.echo(stuck_hint(failed))  # one line, never cut inside the command
    return int(exit_code_for(results))
