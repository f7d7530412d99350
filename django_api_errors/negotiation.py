"""The one ``Accept`` parser: media ranges with their q-values (RFC 9110, section 12.5.1).

``q=0`` means "not acceptable"; a more specific range wins over a wildcard for the same type
(``text/html;q=0, */*`` refuses HTML). Every decision the package takes on ``Accept`` (API error or
HTML page, the catalogue's JSON, problem details) is made here.

Parses are cached, as a few headers (each browser's, ``application/json``, ``*/*``) come back on
every request; the header is the client's to choose, so the cache is bounded by size, not only by
count: at most :data:`MAX_CACHED_HEADERS` headers of at most :data:`MAX_CACHED_HEADER_LENGTH`
characters (about 1 MB with their parses at worst); a longer header is parsed each time.
"""

from __future__ import annotations

from django_api_errors.caches import BoundedCache

JSON = "application/json"
HTML = "text/html"
PROBLEM_JSON = "application/problem+json"

#: Longest ``Accept`` header whose parse is cached (a browser's is about 150 characters).
MAX_CACHED_HEADER_LENGTH = 256
#: Parses cached at once; when full the cache starts again, so cycling headers gains a client nothing.
MAX_CACHED_HEADERS = 64

_parsed = BoundedCache(MAX_CACHED_HEADERS)


def parse_accept(header: str) -> tuple[tuple[str, float], ...]:
    """``(media range, q)`` pairs in header order, lower-cased, parameters other than q dropped."""
    ranges = _parsed.get(header)
    if ranges is None:
        ranges = _parse(header)
        if len(header) <= MAX_CACHED_HEADER_LENGTH:
            _parsed.put(header, ranges)
    return ranges


def _parse(header: str) -> tuple[tuple[str, float], ...]:
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


def quality(header: str, media_type: str, *, exact: bool = False) -> float:
    """How much ``header`` accepts ``media_type``: the q of the most specific range matching it.

    With ``exact`` only a range naming the type itself counts (wildcards say nothing). A missing
    ``Accept`` header accepts everything.
    """
    if not header:
        return 0.0 if exact else 1.0
    main = media_type.split("/")[0] + "/*"
    best, specificity = 0.0, -1
    for media_range, q in parse_accept(header):
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
    best_json = max((q for media_range, q in parse_accept(header) if is_json(media_range)), default=0.0)
    if best_json == 0.0:
        return False
    html = max(quality(header, HTML, exact=True), quality(header, "application/xhtml+xml", exact=True))
    if best_json != html:
        return best_json > html
    for media_range, q in parse_accept(header):
        if q == best_json and (is_json(media_range) or media_range in (HTML, "application/xhtml+xml")):
            return is_json(media_range)
    return False


def accepts_json_not_html(header: str) -> bool:
    """The catalogue's rule: JSON acceptable and HTML not asked for (browsers always ask for HTML)."""
    return quality(header, JSON, exact=True) > 0 and quality(header, HTML, exact=True) == 0


def prefers_problem_json(header: str) -> bool:
    """Whether the client names problem details and weighs them at least as much as plain JSON."""
    problem = quality(header, PROBLEM_JSON, exact=True)
    return problem > 0 and problem >= quality(header, JSON, exact=True)
