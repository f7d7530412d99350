"""Tables more than one test module states: one copy here, imported where a test needs it."""

# The built-in styles (django_api_errors.styles), each test of "every style" runs over.
STYLES = ("awork", "asana", "problem")

# The members of an error body in the awork style, the default (a 5xx adds "phrase").
AWORK_KEYS = frozenset({"code", "description", "link", "details", "validationErrors"})
