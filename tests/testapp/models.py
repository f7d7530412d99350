from django.db import models


class Note(models.Model):
    """A row a failing request writes before it fails, to prove the rollback."""

    text = models.CharField(max_length=20)
