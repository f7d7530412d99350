"""Create the example's admin user and a few rows, and print how to log in."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token

from shop.models import Product, Project

USERNAME = "admin"
PASSWORD = "admin"


class Command(BaseCommand):
    help = "Seed the example project (idempotent) and print the admin login."

    def handle(self, *args, **options):
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        token, _ = Token.objects.get_or_create(user=user)
        Project.objects.get_or_create(
            name="Moon base", defaults={"budget": 1000, "tags": ["space"], "city": "Tranquility"}
        )
        Project.objects.get_or_create(name="Old rocket", defaults={"archived": True})
        Product.objects.get_or_create(name="Telescope", defaults={"stock": 3})
        Product.objects.get_or_create(name="Star map", defaults={"stock": 0})
        self.stdout.write(
            f"Admin login: http://127.0.0.1:8000/admin/  user: {USERNAME}  password: {PASSWORD}\n"
            f"API token:   Authorization: Token {token.key}"
        )
