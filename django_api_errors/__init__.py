"""One standardised, documented error contract for Django REST framework APIs (docs/quickstart.md)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_api_errors.errors import ApiError, UnknownErrorCode
    from django_api_errors.flatten import FieldError

__all__ = ["ApiError", "FieldError", "UnknownErrorCode"]
__version__ = "0.1.0.dev0"

# Imported on first use (PEP 562): settings.py imports ``django_api_errors.wiring`` while Django's
# settings are being read, when DRF's serializers, which these modules import, cannot be imported yet.
_MODULE_OF = {"ApiError": "errors", "UnknownErrorCode": "errors", "FieldError": "flatten"}


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = globals()[name] = getattr(import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    return value
