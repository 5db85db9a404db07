"""Requests per API client: ``API_RATE_LIMIT`` (e.g. ``600/min``); over it, 429 with
``Retry-After``. A batch counts as one request."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiClient


class ClientRateThrottle(SimpleRateThrottle):
    scope = "api_client"

    def get_rate(self) -> str:
        return settings.API_RATE_LIMIT  # read per request, so a test or an operator can change it

    def get_cache_key(self, request, view) -> str | None:
        client = request.auth
        if not isinstance(client, ApiClient):
            return None
        return f"api-throttle-{client.pk}"
