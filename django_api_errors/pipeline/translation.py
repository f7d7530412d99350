"""Lazy strings resolved once per language: the error path must not pay for gettext on every call."""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import Promise

from django_api_errors.caches import BoundedCache

#: ``(text, resolved)`` by ``(id(text), language)``: a few hundred texts in a few languages.
_resolved = BoundedCache(4096)


def in_language(text: str | Promise, language: str | None) -> str:
    """``str(text)`` in ``language``, cached per text and language."""
    if isinstance(text, str):
        return text
    key = (id(text), language)
    entry = _resolved.get(key)
    # Keeping the Promise in the entry keeps its id from being reused by another object.
    if entry is None or entry[0] is not text:
        with translation.override(language):
            entry = _resolved.put(key, (text, str(text)))
    return entry[1]
