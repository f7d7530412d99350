"""A project's own style, selected by dotted path in the tests."""

MEDIA_TYPE = "application/vnd.custom+json"


def render(error, request):
    return {"oops": error.slug, "status": error.status}
