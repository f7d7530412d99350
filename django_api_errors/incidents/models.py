"""5xx incidents: one row per server failure, found again by its phrase, grouped by fingerprint."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Incident(models.Model):
    """A server-side failure as support needs it; the traceback never leaves the server."""

    # In the order the admin shows them.
    phrase = models.CharField(_("phrase"), max_length=200, unique=True)
    # The time of the failure, not of the write (rows are written in batches, off the request).
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    code = models.CharField(_("code"), max_length=100, db_index=True)
    status = models.PositiveSmallIntegerField(_("HTTP status"), db_index=True)
    method = models.CharField(_("method"), max_length=16, blank=True)
    path = models.TextField(_("path"), blank=True)
    user_id = models.CharField(_("user id"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=200, blank=True)
    exception_type = models.CharField(_("exception type"), max_length=300, blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=40, blank=True, db_index=True)
    traceback = models.TextField(_("traceback"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return self.phrase


class IncidentGroup(models.Model):
    """All failures of one fingerprint: how often, since when, and how many went unstored by the cap."""

    fingerprint = models.CharField(_("fingerprint"), max_length=40, unique=True)
    code = models.CharField(_("code"), max_length=100, db_index=True)
    status = models.PositiveSmallIntegerField(_("HTTP status"))
    exception_type = models.CharField(_("exception type"), max_length=300, blank=True)
    route = models.CharField(_("route"), max_length=300, blank=True)
    frame = models.CharField(_("project frame"), max_length=300, blank=True)
    count = models.PositiveBigIntegerField(_("failures"), default=0)
    capped = models.PositiveBigIntegerField(_("failures without a row"), default=0)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("incident group")
        verbose_name_plural = _("incident groups")

    def __str__(self) -> str:
        return f"{self.code} {self.exception_type} {self.route}".strip()
