from django.conf import settings
from django.db import models


class Project(models.Model):
    """A customer project with a budget, tags and a postal address."""

    name = models.CharField(max_length=80, unique=True)
    budget = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    tags = models.JSONField(default=list, blank=True)
    street = models.CharField(max_length=120, blank=True)
    city = models.CharField(max_length=80, blank=True)
    archived = models.BooleanField(default=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    """Something the shop sells, with a stock count."""

    name = models.CharField(max_length=80)
    stock = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name
