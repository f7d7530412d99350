from rest_framework import serializers

from shop.models import Product, Project


class AddressSerializer(serializers.Serializer):
    """The project's postal address, nested in the API but flat in the table."""

    street = serializers.CharField(max_length=120)
    city = serializers.CharField(max_length=80)


class MilestoneSerializer(serializers.Serializer):
    """A milestone given when a project is created (validated only, to show list-item errors)."""

    title = serializers.CharField(max_length=40)
    due = serializers.DateField()


class ProjectSerializer(serializers.ModelSerializer):
    """Projects with a nested address, a list of tags, milestones and a dict of limits."""

    address = AddressSerializer(source="*")
    tags = serializers.ListField(child=serializers.CharField(max_length=20), required=False)
    milestones = MilestoneSerializer(many=True, required=False, write_only=True)
    limits = serializers.DictField(
        child=serializers.IntegerField(min_value=0), required=False, write_only=True
    )

    class Meta:
        model = Project
        fields = ["id", "name", "budget", "tags", "address", "milestones", "limits", "archived"]
        read_only_fields = ["archived"]

    def validate(self, attrs):
        if "paid" in attrs.get("tags", []) and not attrs.get("budget"):
            raise serializers.ValidationError("A paid project needs a budget.", code="budget")
        return attrs

    def create(self, validated_data):
        validated_data.pop("milestones", None)
        validated_data.pop("limits", None)
        return super().create(validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("milestones", None)
        validated_data.pop("limits", None)
        return super().update(instance, validated_data)


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "stock"]


class PhotoSerializer(serializers.Serializer):
    """A product photo upload."""

    photo = serializers.FileField()
