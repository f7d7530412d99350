"""Optional app storing 5xx incidents from the report step's log records (add it to INSTALLED_APPS)."""
