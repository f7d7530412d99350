"""Fingerprints of server failures: what makes two 5xx one incident group (``docs/incidents.md``)."""

from __future__ import annotations

import functools
import hashlib
import linecache
import sysconfig
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

# Directories whose frames are never "the project's": the standard library and installed packages.
_LIBRARY_DIRS = tuple(
    str(Path(path).resolve())
    for name in ("stdlib", "platstdlib", "purelib", "platlib")
    if (path := sysconfig.get_path(name))
)
# Packages whose frames are never the project's even when run from a checkout (editable installs).
_FRAMEWORK_PACKAGES = ("django", "rest_framework", "django_api_errors", "asgiref", "gunicorn")


@dataclass(frozen=True)
class Fingerprint:
    """The parts that identify one kind of failure, and their digest (the group's key)."""

    code: str
    exception_type: str
    route: str
    #: ``(module, function, line text)`` of each project frame, outermost first.
    frames: tuple[tuple[str, str, str], ...] = ()

    @property
    def frame(self) -> str:
        """``module:function`` of the innermost project frame, or ``""``: what the group shows."""
        return ":".join(self.frames[-1][:2]) if self.frames else ""

    @property
    def digest(self) -> str:
        """40 hex characters of SHA-256 over the parts: the incident group's key."""
        text = "\x1f".join((self.code, self.exception_type, self.route, *map("\x1e".join, self.frames)))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def fingerprint(code: str, exception_type: str, route: str, tb: TracebackType | None) -> Fingerprint:
    """The fingerprint of a failure with this code, exception type, route and traceback."""
    return Fingerprint(code=code, exception_type=exception_type, route=route[:300], frames=project_frames(tb))


def project_frames(tb: TracebackType | None) -> tuple[tuple[str, str, str], ...]:
    """``(module, function, line text)`` of each frame in the project's code, outermost first; the text
    with its whitespace collapsed (re-indenting changes nothing), ``""`` for a file that cannot be read."""
    frames = []
    for frame, lineno in traceback.walk_tb(tb):
        code, module = frame.f_code, str(frame.f_globals.get("__name__", ""))
        if _is_project(code.co_filename, module):
            frames.append(
                (module, code.co_name, " ".join(linecache.getline(code.co_filename, lineno).split()))
            )
    return tuple(frames)


@functools.lru_cache(maxsize=4096)  # one resolve() per source file, not per failure
def _is_project(filename: str, module: str) -> bool:
    if not filename or filename.startswith("<"):
        return False
    if module.split(".", 1)[0] in _FRAMEWORK_PACKAGES:
        return False
    resolved = str(Path(filename).resolve())
    return not resolved.startswith(_LIBRARY_DIRS)


def route_of(request: Any) -> str:
    """The URL pattern (``orders/<int:pk>/``) or view name that served the Django request, or ``""``."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    return str(match.route or match.view_name or match._func_path or "")
