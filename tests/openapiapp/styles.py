"""Two project styles: one documenting its schema, one not."""

MEDIA_TYPE = "application/vnd.shop.error+json"


def render(error, request):
    return {"oops": error.slug}


def openapi_schema():
    return {
        "type": "object",
        "properties": {"oops": {"$ref": "#/components/schemas/ErrorCode"}},
        "required": ["oops"],
    }
