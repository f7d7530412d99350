"""``manage.py sync_error_catalogue``: mirror the code enums into the catalogue table."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS

from django_api_errors.catalogue.sync import sync_catalogue


class Command(BaseCommand):
    """Create, update and retire catalogue rows; running it twice changes nothing the second time."""

    help = "Mirror every registered error code into the catalogue table (also run after migrate)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database to sync (default: 'default')."
        )

    def handle(self, *args: Any, database: str, verbosity: int, **options: Any) -> None:
        report = sync_catalogue(using=database)
        if verbosity >= 1:
            self.stdout.write(str(report))
        if verbosity >= 2:
            for slug in report.slugs_retired:
                self.stdout.write(f"retired: {slug}")
