"""The one ``Accept`` parser: media ranges with their q-values (RFC 9110, section 12.5.1).

``q=0`` means "not acceptable", and a more specific range wins over a wildcard for the same type
(``text/html;q=0, */*`` refuses HTML): Django's ``HttpRequest.accepted_types`` drops ``q=0`` ranges
before matching and reads an unreadable weight as 1, so it would accept both. Every decision the
package takes on ``Accept`` (API error or HTML page, the catalogue's JSON, problem details) is made here.
"""

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


def quality(header: str | Ranges, media_type: str, *, exact: bool = False) -> float:
    """How much ``header`` (or its parse) accepts ``media_type``: the q of the most specific range
    matching it. With ``exact`` only a range naming the type counts; no ``Accept`` accepts anything."""
    if isinstance(header, str):
        if not header:
            return 0.0 if exact else 1.0
        header = parse_accept(header)
    ranks = {media_type: 2} if exact else {media_type: 2, media_type.split("/")[0] + "/*": 1, "*/*": 0}
    best, specificity = 0.0, -1
    for media_range, q in header:
        if (rank := ranks.get(media_range, -1)) > specificity:
            best, specificity = q, rank
    return best


def is_json(media_range: str) -> bool:
    """Whether a concrete media range names JSON (``application/json``, ``…+json``)."""
    sub_type = media_range.partition("/")[2]
    return sub_type == "json" or sub_type.endswith("+json")


def prefers_json(header: str) -> bool:
    """Whether the client ranks a concrete JSON type above HTML (wildcards say nothing); in a tie the
    range written first wins."""
    ranges = parse_accept(header)
    best_json = max((q for media_range, q in ranges if is_json(media_range)), default=0.0)
    html = max(quality(ranges, media_type, exact=True) for media_type in HTML_TYPES)
    if best_json == 0.0 or best_json != html:
        return best_json > html
    return next(is_json(r) for r, q in ranges if q == best_json and (is_json(r) or r in HTML_TYPES))


def accepts_json_not_html(header: str) -> bool:
    """The catalogue's rule: JSON acceptable and HTML not asked for (browsers always ask for HTML)."""
    ranges = parse_accept(header)
    return quality(ranges, JSON, exact=True) > 0 and quality(ranges, HTML, exact=True) == 0


def prefers_problem_json(header: str) -> bool:
    """Whether the client names problem details and weighs them at least as much as plain JSON."""
    ranges = parse_accept(header)
    problem = quality(ranges, PROBLEM_JSON, exact=True)
    return problem > 0 and problem >= quality(ranges, JSON, exact=True)
