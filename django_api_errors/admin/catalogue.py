"""Admin of the error catalogue."""
