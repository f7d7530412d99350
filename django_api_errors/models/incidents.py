"""5xx incidents: one row per server failure, found again by its phrase."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Incident(models.Model):
    """A server-side failure as support needs it; the traceback never leaves the server."""

    phrase = models.CharField(_("phrase"), max_length=200, unique=True)
    code = models.CharField(_("code"), max_length=100, db_index=True)
    status = models.PositiveSmallIntegerField(_("HTTP status"), db_index=True)
    method = models.CharField(_("method"), max_length=16, blank=True)
    path = models.TextField(_("path"), blank=True)
    user_id = models.CharField(_("user id"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=200, blank=True)
    exception_type = models.CharField(_("exception type"), max_length=300, blank=True)
    traceback = models.TextField(_("traceback"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return self.phrase
