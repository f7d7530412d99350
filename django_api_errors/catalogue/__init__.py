"""The error catalogue: the enums mirrored as rows, their admin and public pages."""
