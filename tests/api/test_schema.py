"""schemathesis against the live schema: every operation of /api/v1/openapi.json, called with
generated requests through the WSGI application; no answer is a server error and every answer
(status, content type, headers, body) is what the schema says.

Kept quick and the same on every run: few examples per operation, derandomised. The council
in the address is the client's own (801), so requests reach the services and the date rules
rather than stopping at 404; children, references and bodies are generated.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from raa.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# Loaded at collection through the WSGI application (the schema needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE], max_examples=8, deterministic=True, allow_x00=False
)


@pytest.fixture
def live_app(world, settings):
    """The WSGI application runs in the test's transaction: it must not close the connection at
    the end of each request (Django's own test client arranges the same)."""
    settings.API_RATE_LIMIT = "100000/min"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
# One client and one database for every example of an operation: what an example writes (a
# child, a step) stays for the next, as it would in a case system's day.
@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_every_operation_answers_as_the_schema_says(case, live_app, api_a):
    if "la" in (case.path_parameters or {}):
        case.path_parameters["la"] = "801"
    case.call_and_validate(headers={"Authorization": f"Bearer {api_a.token}"}, checks=CHECKS)
