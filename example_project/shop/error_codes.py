"""The shop's own error codes, found by django-api-errors at start-up."""

from django.utils.translation import gettext_lazy as _

from django_api_errors.codes import BaseErrorCode


class ShopErrorCode(BaseErrorCode):
    """Codes only this shop uses."""

    OUT_OF_STOCK = "out-of-stock", 409, _("The product is sold out.")
