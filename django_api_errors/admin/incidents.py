"""Admin of 5xx incidents."""
