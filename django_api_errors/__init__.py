"""One standardised, documented error contract for Django REST framework APIs.

``from django_api_errors import ApiError`` and raise it from any view; point DRF's
``EXCEPTION_HANDLER`` at ``django_api_errors.handler.exception_handler`` and every failure of the API
answers in the configured style.
"""

from django_api_errors.errors import ApiError, UnknownErrorCode
from django_api_errors.flatten import FieldError

__all__ = ["ApiError", "FieldError", "UnknownErrorCode"]
__version__ = "0.1.0.dev0"
