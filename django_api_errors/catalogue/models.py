"""The catalogue of error codes, mirrored from the enums so staff can browse it in the admin."""

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CatalogueEntry(models.Model):
    """One error code. Code-defined fields are synced from the enums; editorial fields belong to staff."""

    # Defined in code (read-only in the admin, rewritten by every sync)
    slug = models.SlugField(_("code"), max_length=100, unique=True)
    status = models.PositiveSmallIntegerField(_("HTTP status"), db_index=True)
    description = models.TextField(_("description"))
    app_label = models.CharField(_("app"), max_length=100, db_index=True)
    enum_name = models.CharField(_("enum"), max_length=200)
    retired = models.BooleanField(
        _("retired"),
        default=False,
        db_index=True,
        help_text=_("Set by the sync when no enum declares this code any more."),
    )
    synced_at = models.DateTimeField(
        _("last changed in code"),
        default=timezone.now,
        help_text=_("When a sync last found this code new or different in the enums."),
    )
    # Editorial (written by staff)
    documentation = models.TextField(
        _("documentation"),
        blank=True,
        help_text=_("Shown on the public page of the code: when it happens and what to do about it."),
    )
    hints = models.TextField(_("hints"), blank=True, help_text=_("One hint per line."))
    docs_url = models.URLField(
        _("documentation URL"),
        blank=True,
        help_text=_("Where more documentation of this code lives; the public page links to it."),
    )

    class Meta:
        ordering = ["status", "slug"]
        verbose_name = _("error code")
        verbose_name_plural = _("error codes")

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        """The public page of the code (the admin's "view on site"); empty where it is not mounted."""
        try:
            return reverse("django_api_errors:code-detail", args=[self.slug])
        except NoReverseMatch:
            return ""
