"""`hnsubmit config show|path|policy`: the effective settings and where each came from."""

from __future__ import annotations

import json

import typer

from hnsubmit.cli.context import current
from hnsubmit.render.console import console

config_app = typer.Typer(help="Show the effective configuration.", no_args_is_help=True)


@config_app.command("show")
def show(fmt: str = typer.Option("text", "--format", "-f", help="text or json")) -> None:
    """Print every setting, its value and where it came from (secrets as <hidden>)."""
    from hnsubmit.config import config_file

    settings = current().settings
    rows = {k: {"value": s.shown(), "source": s.source} for k, s in settings.values.items()}
    if "token" in rows:
        rows["token"]["source"] = _token_source(settings, rows["token"]["source"])
    if fmt == "json":
        typer.echo(json.dumps({"profile": settings.profile, "file": str(config_file()), "settings": rows}, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    from hnsubmit.i18n import _

    table = Table(title=_("profile") + f": {settings.profile}   ({config_file()})")
    table.add_column(_("setting"))
    table.add_column(_("value"))
    table.add_column(_("source"))
    from hnsubmit.render.words import source_label

    for key, row in rows.items():
        table.add_row(key, row["value"], source_label(row["source"]))
    console().print(table)


def _token_source(settings, source: str) -> str:
    """Where the token of the profile's endpoint and unit actually is (the file store, the keyring or
    nowhere), rather than where it would be looked up; never the token itself."""
    from hnsubmit.client.credentials import get_credential
    from hnsubmit.errors import HnsubmitError

    endpoint, unit = settings.get("endpoint"), settings.get("unit")
    if not source.startswith("keyring (") or not endpoint or not unit:
        return source
    try:
        return get_credential(str(endpoint), str(unit)).source
    except HnsubmitError:
        return "none stored"


@config_app.command("path")
def path() -> None:
    """Print the path of the configuration file."""
    from hnsubmit.config import config_file

    typer.echo(str(config_file()))


@config_app.command("policy")
def policy() -> None:
    """Print the built-in default policy (TOML), to start an office's own policy from."""
    from hnsubmit.policy.model import default_policy_text

    typer.echo(default_policy_text(), nl=False)


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
