"""A renderer for ``application/problem+json``, so clients asking for it are not refused with 406."""

from rest_framework.renderers import JSONRenderer


class ProblemJSONRenderer(JSONRenderer):
    """JSON under RFC 9457's media type; add it to ``DEFAULT_RENDERER_CLASSES`` with ``NEGOTIATE``."""

    media_type = "application/problem+json"
