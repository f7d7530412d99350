"""Views for the contract tests of negotiation and property casing (no models)."""
