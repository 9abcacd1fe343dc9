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
    db: Optional[str] = typer.Option(None, "--db", help="Metadata store: sqlite:///PATH or postgresql://USER@HOST:PORT/DB "
                                     "(default: HNSUBMIT_EXCHANGE_DB, the config file, else the data directory)."),
    blobs: Optional[str] = typer.Option(None, "--blobs", help="Blob store: file:///PATH or s3://BUCKET/PREFIX?endpoint=URL "
                                        "(default: HNSUBMIT_EXCHANGE_BLOBS, the config file, else the data directory)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Server config file (TOML, table [server]; default: "
                                          "HNSUBMIT_EXCHANGE_CONFIG)."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, max=64,
                                          help="Server processes accepting on the one port (default 1)."),
) -> None:
    """Run the exchange server; a new data directory is created and seeded with the 海南州 units."""
    from hnsubmit.cli.extras import require_server

    require_server()
    import json
    import os

    from hnsubmit.cli.output import write_text_file
    from hnsubmit.errors import UsageError
    from hnsubmit.exchange.app import create_app
    from hnsubmit.exchange.context import default_data_dir, resolve_locations
    from hnsubmit.exchange.server import bind, is_loopback, serve as run_server
    from hnsubmit.exchange.serverconfig import load_server_config
    from hnsubmit.exchange.store.locations import Locations
    from hnsubmit.exchange.workers import run_workers
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
    configured = load_server_config(config)
    data_dir = data or (Path(configured["data"]) if "data" in configured else default_data_dir())
    host = configured.get("host", host) if host == "127.0.0.1" else host
    port = configured.get("port", port) if port == 8765 else port
    workers = workers or configured.get("workers", 1)
    policy = policy or (Path(configured["policy"]) if "policy" in configured else None)
    seed = seed or (Path(configured["seed"]) if "seed" in configured else None)
    locations = resolve_locations(data_dir, db, blobs, configured)
    where = data_dir if locations == Locations.of_data_dir(data_dir) else locations.shown()
    loaded_policy = load_policy(policy)

    def make_app():
        return create_app(data_dir, loaded_policy, seed, body_idle_timeout=body_timeout, locations=locations,
                          auth_throttle=AuthThrottle(per_address=auth_failures, per_prefix=auth_failures // 2))

    scheme = "https" if tls_cert is not None else "http"
    said: list[int] = []

    def ready(bound_host: str, bound_port: int) -> None:
        if said:  # a restarted worker
            return
        said.append(bound_port)
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        url = f"{scheme}://{shown}:{bound_port}"
        typer.echo(_("hnsubmit exchange listening on {url} (data: {data})").format(url=url, data=where), err=True)
        typer.echo(_("Review console in a browser: {url}/console/").format(url=url), err=True)  # issue 16
        if ready_file is not None:
            write_text_file(ready_file, json.dumps({"url": url, "port": bound_port, "pid": os.getpid()}))

    options = dict(access_log=access_log, header_timeout=header_timeout,
                   tls_cert=str(tls_cert) if tls_cert else None, tls_key=str(tls_key) if tls_key else None)
    try:
        if workers == 1:
            run_server(make_app(), host, port, on_ready=ready, **options)
            return
        make_app().state.exchange.close()  # schema refused, seeding, a wrong URL: said once, here, before forking
        sock = bind(host, port)
        run_workers(workers, sock, lambda s: run_server(make_app(), host, port, on_ready=ready, sock=s, **options))
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise UsageError("Cannot listen on {host}:{port}: {problem}", host=host, port=port, problem=exc.strerror or str(exc)) from None


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
