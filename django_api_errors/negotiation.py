"""The one ``Accept`` parser: media ranges with their q-values (RFC 9110, section 12.5.1).

``q=0`` means "not acceptable"; a more specific range wins over a wildcard for the same type
(``text/html;q=0, */*`` refuses HTML). Every decision the package takes on ``Accept`` (API error or
HTML page, the catalogue's JSON, problem details) is made here.
"""

from __future__ import annotations

JSON = "application/json"
HTML = "text/html"
PROBLEM_JSON = "application/problem+json"

Ranges = tuple[tuple[str, float], ...]


def parse_accept(header: str) -> Ranges:
    """``(media range, q)`` pairs in header order, lower-cased, parameters other than q dropped."""
    ranges: list[tuple[str, float]] = []
    for part in header.split(","):
        media_range, *params = part.split(";")
        media_range = media_range.strip().lower()
        if not media_range:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0  # an unreadable weight accepts nothing rather than everything
                if not 0.0 <= quality <= 1.0:  # out of range, or "nan" (which compares false)
                    quality = 0.0 if not quality > 1.0 else 1.0
        ranges.append((media_range, quality))
    return tuple(ranges)


def quality(header: str | Ranges, media_type: str, *, exact: bool = False) -> float:
    """How much ``header`` (or its parse) accepts ``media_type``: the q of the most specific range
    matching it.

    With ``exact`` only a range naming the type itself counts (wildcards say nothing). A missing
    ``Accept`` header accepts everything.
    """
    if isinstance(header, str):
        if not header:
            return 0.0 if exact else 1.0
        header = parse_accept(header)
    main = media_type.split("/")[0] + "/*"
    best, specificity = 0.0, -1
    for media_range, q in header:
        if media_range == media_type:
            rank = 2
        elif exact:
            continue
        elif media_range == main:
            rank = 1
        elif media_range == "*/*":
            rank = 0
        else:
            continue
        if rank > specificity:
            best, specificity = q, rank
    return best


def is_json(media_range: str) -> bool:
    """Whether a concrete media range names JSON (``application/json``, ``…+json``)."""
    sub_type = media_range.partition("/")[2]
    return sub_type == "json" or sub_type.endswith("+json")


def prefers_json(header: str) -> bool:
    """Whether the client ranks a JSON type above HTML; wildcards say nothing either way.

    The highest-weighted concrete JSON range is compared with HTML's weight; a tie goes to the
    range written first, as before q-values were read.
    """
    ranges = parse_accept(header)
    best_json = max((q for media_range, q in ranges if is_json(media_range)), default=0.0)
    if best_json == 0.0:
        return False
    html = max(quality(ranges, HTML, exact=True), quality(ranges, "application/xhtml+xml", exact=True))
    if best_json != html:
        return best_json > html
    for media_range, q in ranges:
        if q == best_json and (is_json(media_range) or media_range in (HTML, "application/xhtml+xml")):
            return is_json(media_range)
    return False


def accepts_json_not_html(header: str) -> bool:
    """The catalogue's rule: JSON acceptable and HTML not asked for (browsers always ask for HTML)."""
    ranges = parse_accept(header)
    return quality(ranges, JSON, exact=True) > 0 and quality(ranges, HTML, exact=True) == 0


def prefers_problem_json(header: str) -> bool:
    """Whether the client names problem details and weighs them at least as much as plain JSON."""
    ranges = parse_accept(header)
    problem = quality(ranges, PROBLEM_JSON, exact=True)
    return problem > 0 and problem >= quality(ranges, JSON, exact=True)
