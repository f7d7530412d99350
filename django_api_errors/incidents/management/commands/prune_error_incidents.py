"""``manage.py prune_error_incidents --older-than 30d``: delete incidents past their retention."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_api_errors.incidents.models import Incident, IncidentGroup

_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_age(text: str) -> timedelta:
    """``30d`` -> 30 days; the units are m(inutes), h(ours), d(ays) and w(eeks)."""
    match = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", text.lower())
    if match is None:
        message = _("Cannot read the age %(age)r: write a number and a unit, e.g. 30d, 12h, 2w or 90m.")
        raise CommandError(message % {"age": text})
    return timedelta(**{_UNITS[match[2]]: int(match[1])})


class Command(BaseCommand):
    help = _("Delete the 5xx incidents recorded longer ago than the given age.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            required=True,
            help=_("Age past which incidents are deleted: a number and a unit, e.g. 30d, 12h, 2w or 90m."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Only say how many incidents would be deleted.")
        )

    def handle(self, *args: Any, older_than: str, dry_run: bool, **options: Any) -> None:
        cutoff = timezone.now() - parse_age(older_than)
        old = Incident.objects.filter(created_at__lt=cutoff)
        when = f"{cutoff:%Y-%m-%d %H:%M %Z}"
        if dry_run:
            message = _("%(count)d incidents recorded before %(when)s would be deleted.")
            self.stdout.write(message % {"count": old.count(), "when": when})
            return
        deleted, _by_model = old.delete()
        message = _("Deleted %(count)d incidents recorded before %(when)s.")
        self.stdout.write(message % {"count": deleted, "when": when})
        # A group not seen since the cutoff has no incident left either.
        groups, _by_model = IncidentGroup.objects.filter(last_seen__lt=cutoff).delete()
        if groups:
            message = _("Deleted %(count)d incident groups last seen before %(when)s.")
            self.stdout.write(message % {"count": groups, "when": when})
