"""``Authorization: Bearer <token>``: the token of an active API client, or 401."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from api.models import ApiClient
from api.services import api_client_for_token
from raa.security_log import security_event


class BearerTokenAuthentication(BaseAuthentication):
    """The request's user is the client's service user (inactive: it can never sign in to the
    site); ``request.auth`` is the :class:`ApiClient`."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None  # no token: NotAuthenticated, 401
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Bearer <token>'."
            )
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        client = api_client_for_token(token)
        if client is None:
            security_event("api_token_refused", path=request.path)
            raise exceptions.AuthenticationFailed(
                "The token is not valid: unknown, or revoked by an administrator."
            )
        security_event("api_token_used", client_id=client.pk, path=request.path)
        return client.service_user, client

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class IsApiClient(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiClient)


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The token `add_api_client` printed (shown once).",
        }
