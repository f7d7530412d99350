"""Lazy strings resolved once per language: the error path must not pay for gettext on every call.

The resolved texts are forgotten when a setting that changes Django's catalogues changes
(``override_settings`` in tests) and when runserver's autoreloader sees a ``.mo`` file change.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.signals import setting_changed
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.functional import Promise

_resolved: dict[tuple[int, str | None], tuple[Promise, str]] = {}
#: Every cache of texts resolved per language, emptied together when the catalogues change.
_caches: list[dict[Any, Any]] = [_resolved]

# Settings after whose change Django reloads its catalogues (django.test.signals); so do we.
_CATALOGUE_SETTINGS = {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}


def in_language(text: str | Promise, language: str | None) -> str:
    """``str(text)`` in ``language``, cached per text and language."""
    if isinstance(text, str):
        return text
    key = (id(text), language)
    entry = _resolved.get(key)
    # Keeping the Promise in the entry keeps its id from being reused by another object.
    if entry is None or entry[0] is not text:
        with translation.override(language):
            entry = (text, str(text))
        _resolved[key] = entry
    return entry[1]


def cleared_with_catalogues(cache: dict[Any, Any]) -> dict[Any, Any]:
    """Register ``cache`` (of texts resolved per language) to be emptied whenever Django's catalogues
    change, as :func:`in_language`'s own is; returns it."""
    _caches.append(cache)
    return cache


def _forget_resolved() -> None:
    for cache in _caches:
        cache.clear()


def _forget_on_catalogue_change(*, setting: str, **kwargs: Any) -> None:
    if setting in _CATALOGUE_SETTINGS:
        _forget_resolved()


setting_changed.connect(_forget_on_catalogue_change)


def _forget_on_catalogue_file_change(*, file_path: Path, **kwargs: Any) -> None:
    # runserver's autoreloader reloads Django's catalogues when a .mo file changes; so do we.
    if file_path.suffix == ".mo":
        _forget_resolved()


file_changed.connect(_forget_on_catalogue_file_change)
