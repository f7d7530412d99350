"""A project style without an OpenAPI schema."""


def render(error, request):
    return {"failure": error.slug}
