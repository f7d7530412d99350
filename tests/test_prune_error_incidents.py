"""``prune_error_incidents``: deletes incidents older than the given age, and only those."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from django_api_errors.incidents.management.commands.prune_error_incidents import parse_age
from django_api_errors.incidents.models import Incident

pytestmark = pytest.mark.django_db


def incident(phrase, age):
    row = Incident.objects.create(phrase=phrase, code="server-error", status=500)
    Incident.objects.filter(pk=row.pk).update(created_at=timezone.now() - age)


def prune(*args):
    out = StringIO()
    call_command("prune_error_incidents", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("30d", timedelta(days=30)),
        ("12h", timedelta(hours=12)),
        ("2w", timedelta(weeks=2)),
        ("90m", timedelta(minutes=90)),
        (" 7D ", timedelta(days=7)),
    ],
)
def test_ages_are_a_number_and_a_unit(text, age):
    assert parse_age(text) == age


@pytest.mark.parametrize("text", ["30", "d", "30 days", "-3d", "1y", ""])
def test_an_unreadable_age_is_a_command_error(text):
    with pytest.raises(CommandError, match="number and a unit"):
        prune(f"--older-than={text}")


def test_incidents_older_than_the_age_are_deleted_and_the_rest_kept():
    incident("2 old owls hoot loudly", timedelta(days=31))
    incident("3 old owls hoot loudly", timedelta(days=90))
    incident("4 new owls hoot loudly", timedelta(days=29))

    output = prune("--older-than", "30d")

    assert list(Incident.objects.values_list("phrase", flat=True)) == ["4 new owls hoot loudly"]
    assert output.startswith("Deleted 2 incidents recorded before ")


def test_a_dry_run_counts_and_deletes_nothing():
    incident("2 old owls hoot loudly", timedelta(days=31))

    output = prune("--older-than", "30d", "--dry-run")

    assert output.startswith("1 incidents recorded before ")
    assert Incident.objects.count() == 1


def test_groups_not_seen_since_the_cutoff_are_deleted_too():
    from django.utils import timezone

    from django_api_errors.incidents.models import IncidentGroup

    now = timezone.now()
    for digest, age in (("a" * 40, timedelta(days=31)), ("b" * 40, timedelta(days=1))):
        IncidentGroup.objects.create(
            fingerprint=digest, code="server-error", status=500, first_seen=now - age, last_seen=now - age
        )

    output = prune("--older-than", "30d")

    assert list(IncidentGroup.objects.values_list("fingerprint", flat=True)) == ["b" * 40]
    assert "Deleted 1 incident groups last seen before " in output
