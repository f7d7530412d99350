from django.db import models


class Note(models.Model):
    """A row a failing request writes before it fails, to prove the rollback."""

    text = models.CharField(max_length=20)


class Label(models.Model):
    """Unique values for the converters: a column named unlike its field, and a named constraint."""

    name = models.CharField(max_length=20, unique=True, db_column="label_name_col")
    owner = models.CharField(max_length=20, default="")
    colour = models.CharField(max_length=20, default="")
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "colour"], name="testapp_label_owner_colour")]


class Pin(models.Model):
    """A row that protects the label it pins: deleting that label is refused (``PROTECT``)."""

    label = models.ForeignKey(Label, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "label pin"


class Hold(models.Model):
    """A row that restricts the deletion of its label (``RESTRICT``)."""

    label = models.ForeignKey(Label, on_delete=models.RESTRICT)
