"""API clients of the fixed world and a helper to call the API as one."""

import json

import pytest

from api.services import api_client_add


class Caller:
    """Calls /api/v1/ with a client's token: ``api.put("councils/801/children/C1", {...})``."""

    def __init__(self, client, token: str):
        self.client = client
        self.token = token

    def _call(self, method: str, path: str, body=None, **extra):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {self.token}", **extra}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(f"/api/v1/{path}", **kwargs)

    def get(self, path: str, **extra):
        return self._call("get", path, **extra)

    def put(self, path: str, body, **extra):
        return self._call("put", path, body, **extra)

    def delete(self, path: str, **extra):
        return self._call("delete", path, **extra)

    def post(self, path: str, body, **extra):
        return self._call("post", path, body, **extra)


@pytest.fixture
def make_caller(client):
    def make(*, name: str, councils=None, region=None) -> Caller:
        _, token = api_client_add(name=name, councils=councils, region=region)
        return Caller(client, token)

    return make


@pytest.fixture
def api_a(world, make_caller) -> Caller:
    """Council A's case system (LA 801)."""
    return make_caller(name="Council A LCS", councils=[world.councils["A"]])
