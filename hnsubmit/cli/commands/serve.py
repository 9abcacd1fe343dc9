"""`hnsubmit serve`: run the reference exchange server on a data directory."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def serve(
    data: Optional[Path] = typer.Option(None, "--data", help="Data directory (default: HNSUBMIT_EXCHANGE_DATA or the user data folder)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port; 0 picks a free one."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Policy file to publish at /api/v1/policy (default: built-in)."),
    seed: Optional[Path] = typer.Option(None, "--seed", help="Units, columns and 分工表 for a new data directory (default: built-in)."),
    ready_file: Optional[Path] = typer.Option(None, "--ready-file", help="Write the listening URL to this file once ready."),
    access_log: bool = typer.Option(True, "--access-log/--no-access-log", help="Log each request (method, path, status)."),
    body_timeout: float = typer.Option(20.0, "--body-timeout", min=0.1, max=3600,
                                       help="Seconds an upload chunk may go without a byte before its session is freed."),
    tls_cert: Optional[Path] = typer.Option(None, "--tls-cert", help="PEM certificate (chain): serve HTTPS."),
    tls_key: Optional[Path] = typer.Option(None, "--tls-key", help="PEM private key of --tls-cert (if not in the same file)."),
    header_timeout: float = typer.Option(10.0, "--header-timeout", min=0.1, max=600,
                                         help="Seconds a connection may take to send a request's headers before it is closed."),
    auth_failures: int = typer.Option(20, "--auth-failures", min=2, max=1_000_000,
                                      help="Refused credentials a minute per client address (half that per token prefix) before 429."),
) -> None:
    """Run the exchange server; a new data directory is created and seeded with the 海南州 units."""
    from hnsubmit.cli.extras import require_server

    require_server()
    import json
    import os

    from hnsubmit.cli.output import write_text_file
    from hnsubmit.errors import UsageError
    from hnsubmit.exchange.app import create_app
    from hnsubmit.exchange.context import default_data_dir
    from hnsubmit.exchange.server import is_loopback, serve as run_server
    from hnsubmit.exchange.throttle import AuthThrottle
    from hnsubmit.i18n import _
    from hnsubmit.policy.model import load_policy

    if tls_key is not None and tls_cert is None:
        raise UsageError("--tls-key needs --tls-cert.")
    if tls_cert is not None:
        import ssl

        try:  # a wrong path or a key that does not match: say so now, not as a failure to listen
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(tls_cert, tls_key)
        except (OSError, ssl.SSLError) as exc:
            raise UsageError("Cannot use the TLS certificate {path}: {problem}", path=str(tls_cert),
                             problem=getattr(exc, "strerror", None) or str(exc)) from None
    elif not is_loopback(host):
        typer.echo(_("WARNING: serving plain HTTP on {host}, which is not this machine's loopback: tokens and content "
                     "cross the network unencrypted. Use --tls-cert/--tls-key, or put an HTTPS proxy in front and "
                     "listen on 127.0.0.1.").format(host=host), err=True)
    data_dir = data or default_data_dir()
    app = create_app(data_dir, load_policy(policy), seed, body_idle_timeout=body_timeout,
                     auth_throttle=AuthThrottle(per_address=auth_failures, per_prefix=auth_failures // 2))
    scheme = "https" if tls_cert is not None else "http"

    def ready(bound_host: str, bound_port: int) -> None:
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        url = f"{scheme}://{shown}:{bound_port}"
        typer.echo(_("hnsubmit exchange listening on {url} (data: {data})").format(url=url, data=data_dir), err=True)
        if ready_file is not None:
            write_text_file(ready_file, json.dumps({"url": url, "port": bound_port, "pid": os.getpid()}))

    try:
        run_server(app, host, port, on_ready=ready, access_log=access_log, header_timeout=header_timeout,
                   tls_cert=str(tls_cert) if tls_cert else None, tls_key=str(tls_key) if tls_key else None)
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise UsageError("Cannot listen on {host}:{port}: {problem}", host=host, port=port, problem=exc.strerror or str(exc)) from None


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
