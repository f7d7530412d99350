from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("testapp", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Label",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(db_column="label_name_col", max_length=20, unique=True)),
                ("owner", models.CharField(default="", max_length=20)),
                ("colour", models.CharField(default="", max_length=20)),
                (
                    "parent",
                    models.ForeignKey(
                        null=True, on_delete=models.deletion.CASCADE, to="testapp.label"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("owner", "colour"), name="testapp_label_owner_colour")
                ]
            },
        ),
    ]
