"""DRF views answering 200, 400 and 404, and a serializer whose dict fields hold the client's keys."""

from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response


class AddressSerializer(serializers.Serializer):
    """A nested serializer, inside a dict field and on its own."""

    street_name = serializers.CharField()


class ProfileSerializer(serializers.Serializer):
    """Declared fields in snake case; ``extra_data`` and friends hold keys the client chose."""

    display_name = serializers.CharField()
    extra_data = serializers.DictField(child=serializers.IntegerField())
    tag_map = serializers.HStoreField()
    addresses_by_label = serializers.DictField(child=AddressSerializer())
    home_address = AddressSerializer(required=False)
    settings_json = serializers.JSONField(required=False)


@api_view(["GET", "POST"])
def profile(request):
    """200 on GET; POST validates a :class:`ProfileSerializer` (400 when invalid)."""
    if request.method == "GET":
        return Response({"display_name": "Ada"})
    serializer = ProfileSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return Response(serializer.validated_data)


@api_view(["GET"])
def missing(request):
    """Always 404."""
    raise NotFound()
