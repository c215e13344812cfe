"""Command-line tools: ``flask seed``, ``flask create-user``, ``flask search reindex``,
``flask vouchers remind``."""

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
    app.cli.add_command(vouchers_group)


@click.group("vouchers")
def vouchers_group() -> None:
    """Vouchers."""


@vouchers_group.command("remind")
@click.option("--days", default=30, show_default=True, help="Remind this many days ahead.")
def remind_command(days: int) -> None:
    """E-mail the holders of vouchers that expire within DAYS and still hold value — once
    per voucher (run it daily, e.g. from cron). Links point at PUBLIC_URL."""
    from flask import url_for
    from flask_babel import gettext

    from hallobot.directory.hours import local_now
    from hallobot.mail.service import MailError, send_template
    from hallobot.vouchers import codes, reports

    def send(voucher) -> bool:
        grouped = codes.grouped(voucher.code)
        try:
            send_template(
                voucher.holder_email,
                gettext("Ihr Gutschein läuft bald ab"),
                "voucher_reminder",
                voucher=voucher,
                grouped=grouped,
                link=url_for("vouchers.voucher_page", code=grouped, _external=True),
            )
        except MailError:
            return False
        return True

    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        sent, failed = reports.remind(local_now().date(), send, days)
    click.echo(
        f"Erinnerungen verschickt: {sent}" + (f", fehlgeschlagen: {failed}" if failed else "")
    )


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
        written = reindex_all(progress=bar.update)
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

    from hallobot.importers import seed

    if demo and current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("Demo-Daten werden in der Produktion nicht geladen.")
    folder = Path(data_dir) if data_dir else SEED_DIR
    try:
        report, loaded_demo = seed.load(folder, demo=demo, if_empty=if_empty)
    except seed.SeedError as exc:
        raise click.ClickException(str(exc)) from exc
    if demo and not loaded_demo:
        click.echo("Es gibt schon Betriebe – Demo-Daten werden nicht erneut geladen.")
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
