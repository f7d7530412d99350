"""Every module cache of the package: bounded, registered at definition, emptied together
(docs/performance.md says which stay and why)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.autoreload import file_changed

F = TypeVar("F", bound=Callable[..., Any])

#: Settings a cached value may depend on: ours and Django's catalogues, what ``reverse()`` gives,
#: which host is allowed and how it is read.
RESET_ON = frozenset(
    {"API_ERRORS", "INSTALLED_APPS", "LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}
    | {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}
    | {"ALLOWED_HOSTS", "DEBUG", "SECURE_PROXY_SSL_HEADER", "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT"}
)

_clears: list[Callable[[], None]] = []


class BoundedCache(dict):  # type: ignore[type-arg]
    """A dict of at most ``max_entries`` entries that starts again when full (a client cycling keys
    gains nothing); emptied with every other cache."""

    __slots__ = ("max_entries",)

    def __init__(self, max_entries: int) -> None:
        super().__init__()
        self.max_entries = max_entries
        _clears.append(self.clear)

    def put(self, key: Hashable, value: Any) -> Any:
        """Keep ``value`` under ``key`` and return it."""
        if len(self) >= self.max_entries:
            self.clear()
        self[key] = value
        return value


def cached(max_entries: int) -> Callable[[F], F]:
    """``functools.lru_cache(max_entries)``, emptied with every other cache."""

    def decorate(function: F) -> F:
        wrapper = lru_cache(maxsize=max_entries)(function)
        _clears.append(wrapper.cache_clear)
        return wrapper  # type: ignore[return-value]

    return decorate


def clear_all() -> None:
    """Empty every registered cache."""
    for clear in _clears:
        clear()


@receiver(setting_changed)
@receiver(file_changed)
def _clear_on_change(*, setting: str = "", file_path: Path | None = None, **kwargs: Any) -> None:
    if setting in RESET_ON or (file_path is not None and file_path.suffix == ".mo"):
        clear_all()
