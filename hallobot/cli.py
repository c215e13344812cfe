"""Command-line tools: ``flask seed``, ``flask create-user``, ``flask search reindex``."""

from __future__ import annotations

import os

import click
from flask import Flask, current_app

from config import BASE_DIR

SEED_DIR = BASE_DIR / "seed_data"


def register(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(search_group)


@click.group("search")
def search_group() -> None:
    """The search index."""


@search_group.command("reindex")
@click.option(
    "--if-empty", is_flag=True, help="Only when the index is empty (e.g. after an upgrade)."
)
def reindex_command(if_empty: bool) -> None:
    """Rebuild the search index from the published directory (one transaction)."""
    from sqlalchemy import func, select

    from hallobot.directory.models import Business, Status
    from hallobot.extensions import db
    from hallobot.search.index import index_is_empty, reindex_all

    if if_empty and not index_is_empty():
        click.echo("Der Suchindex ist gefüllt – nichts zu tun.")
        return
    total = db.session.scalar(
        select(func.count(Business.id)).where(Business.status == Status.PUBLISHED)
    )
    with click.progressbar(length=total, label="Suchindex", show_pos=True) as bar:
        written = reindex_all(db.session, progress=bar.update)
    db.session.commit()
    click.echo(f"Suchindex: {written} Betriebe.")


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also load the fictional demo businesses and accounts.")
@click.option(
    "--if-empty", is_flag=True, help="Load the demo data only if there is no business yet."
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder with the JSON files (default: seed_data/).",
)
def seed_command(demo: bool, if_empty: bool, data_dir: str | None) -> None:
    """Load reference data (districts, categories, attributes); with --demo, demo data too."""
    from pathlib import Path

    from hallobot.extensions import db, write_transactions
    from hallobot.importers import seed

    if demo and current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("Demo-Daten werden in der Produktion nicht geladen.")
    folder = Path(data_dir) if data_dir else SEED_DIR
    with write_transactions():
        try:
            report = seed.load_reference(folder)
            if demo and not (if_empty and seed.has_businesses()):
                seed.load_demo(folder, report)
            elif demo:
                click.echo("Es gibt schon Betriebe – Demo-Daten werden nicht erneut geladen.")
            db.session.commit()
        except seed.SeedError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Seed: {report.summary()}")


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(["shopper", "owner", "moderator", "admin"]),
    default="shopper",
    show_default=True,
)
@click.option("--name", "display_name", default="", help="Display name.")
def create_user_command(email: str, role: str, display_name: str) -> None:
    """Create a confirmed user. The password comes from HALLOBOT_PASSWORD or a prompt."""
    from hallobot.accounts import service

    password = os.environ.get("HALLOBOT_PASSWORD") or click.prompt(
        "Passwort", hide_input=True, confirmation_prompt=True
    )
    try:
        user = service.create_user(email, password, role=role, display_name=display_name)
    except service.AccountError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(f"Konto angelegt: {user.email} ({user.role})")
