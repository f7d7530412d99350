"""The shop's own throttle: refused requests answer 429 with Retry-After like DRF's throttles."""

from rest_framework.throttling import SimpleRateThrottle


class PurchaseRateThrottle(SimpleRateThrottle):
    """Two purchases a minute per user (or per address for anonymous buyers)."""

    rate = "2/min"

    def get_cache_key(self, request, view):
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return f"shop-purchase-{ident}"
