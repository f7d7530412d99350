"""The one ``Accept`` parser: media ranges with their q-values (RFC 9110, section 12.5.1); not Django's
``HttpRequest.accepted_types``, which reads an unreadable weight as 1 (docs/http.md)."""

from __future__ import annotations

JSON = "application/json"
HTML = "text/html"
PROBLEM_JSON = "application/problem+json"
HTML_TYPES = (HTML, "application/xhtml+xml")

Ranges = tuple[tuple[str, float], ...]


def parse_accept(header: str) -> Ranges:
    """``(media range, q)`` pairs in header order, lower-cased, parameters other than q dropped."""
    ranges: list[tuple[str, float]] = []
    for part in header.split(","):
        media_range, *params = part.split(";")
        if media_range := media_range.strip().lower():
            ranges.append((media_range, _weight(params)))
    return tuple(ranges)


def _weight(params: list[str]) -> float:
    quality = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0  # an unreadable weight accepts nothing rather than everything
    return min(quality, 1.0) if quality >= 0.0 else 0.0  # "nan" compares false: 0


def weight(ranges: Ranges, media_type: str) -> float:
    """The q of the first range naming ``media_type`` itself; 0 when none does."""
    return next((q for media_range, q in ranges if media_range == media_type), 0.0)


def is_json(media_range: str) -> bool:
    """Whether a concrete media range names JSON (``application/json``, ``…+json``)."""
    sub_type = media_range.partition("/")[2]
    return sub_type == "json" or sub_type.endswith("+json")


def prefers_json(header: str) -> bool:
    """Whether the client ranks a concrete JSON type above HTML (wildcards say nothing); in a tie the
    range written first wins."""
    ranges = parse_accept(header)
    best_json = max((q for media_range, q in ranges if is_json(media_range)), default=0.0)
    html = max(weight(ranges, media_type) for media_type in HTML_TYPES)
    if best_json == 0.0 or best_json != html:
        return best_json > html
    return next(is_json(r) for r, q in ranges if q == best_json and (is_json(r) or r in HTML_TYPES))


def accepts_json_not_html(header: str) -> bool:
    """The catalogue's rule: JSON acceptable and HTML not asked for (browsers always ask for HTML)."""
    ranges = parse_accept(header)
    return weight(ranges, JSON) > 0 and weight(ranges, HTML) == 0


def prefers_problem_json(header: str) -> bool:
    """Whether the client names problem details and weighs them at least as much as plain JSON."""
    ranges = parse_accept(header)
    problem = weight(ranges, PROBLEM_JSON)
    return problem > 0 and problem >= weight(ranges, JSON)
