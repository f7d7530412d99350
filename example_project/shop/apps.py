from django.apps import AppConfig


class ShopConfig(AppConfig):
    """The example shop: projects with nested addresses, tags and members."""

    name = "shop"
    default_auto_field = "django.db.models.BigAutoField"
