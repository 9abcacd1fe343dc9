"""Sending outbox items with bars and a results table: what `push` and `outbox retry` share."""

from __future__ import annotations

from hnsubmit.cli.context import current, report_retries


def send_items(box, items, *, concurrency: int = 2, ca_bundle: str | None = None, quiet: bool = False,
               retries: int | None = None) -> int:
    """Push outbox items (one token per endpoint and unit); render the table; return the exit code."""
    from hnsubmit.client.api import ExchangeClient, RetryPolicy
    from hnsubmit.client.push import exit_code_for, push_by_target
    from hnsubmit.render.push import TransferProgress, render_results

    report_retries()
    retry = RetryPolicy(attempts=retries) if retries else RetryPolicy()

    def connect(endpoint: str, token):
        return ExchangeClient(endpoint, token, ca_bundle=ca_bundle, retry=retry, pool=max(2, concurrency))

    with TransferProgress(quiet) as progress:
        results = push_by_target(box, items, credentials=current().credentials, connect=connect,
                                 concurrency=concurrency, events=progress.events())
    render_results(results)
    return int(exit_code_for(results))
