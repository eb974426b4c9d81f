"""The API keeps the word of its OpenAPI schema, checked with the tools its users run:
openapi-spec-validator on the schema, openapi-schema-validator on every list response of the
report's data, and schemathesis on every GET operation (a bounded, derandomised budget)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def resolved(node, components: dict):
    """The schema with every local $ref replaced by what it points to."""
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].removeprefix("#/components/schemas/")
            return resolved(components[name], components)
        return {key: resolved(value, components) for key, value in node.items()}
    if isinstance(node, list):
        return [resolved(value, components) for value in node]
    return node


def get_operations(schema: dict):
    """(path, operation) for every GET of the public data (not the schema itself, not the
    moderators' contributions)."""
    for path, item in schema["paths"].items():
        if "get" in item and not path.startswith(("/api/schema", "/api/contributions")):
            yield path, item["get"]


def test_the_schema_is_a_valid_openapi_document_with_licence_and_contact(schema):
    validate(schema)
    assert "Licence Ouverte" in schema["info"]["license"]["name"]
    assert schema["info"]["license"]["url"].startswith("https://")
    assert schema["info"]["contact"]["url"]
    for path, operation in get_operations(schema):
        assert {"200", "404"} <= set(operation["responses"]), path
        if "{" not in path:  # the lists: their parameters can be wrong
            assert "400" in operation["responses"], path


def test_every_list_response_validates_against_its_schema(client, schema):
    components = schema["components"]["schemas"]
    lists = [(path, op) for path, op in get_operations(schema) if "{" not in path]
    assert len(lists) >= 5
    for path, operation in lists:
        content = operation["responses"]["200"]["content"]
        media_type = next(iter(content))
        validator = OAS30Validator(resolved(content[media_type]["schema"], components))
        url = path
        while url:
            paged = url == path and not path.endswith(".geojson")
            response = client.get(url, {"page_size": 1000} if paged else {})
            assert response.status_code == 200, (url, response.content[:300])
            data = response.json()
            errors = [
                f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
                for error in validator.iter_errors(data)
            ]
            assert errors == [], (url, len(errors), errors[:10])
            url = data.get("next") if isinstance(data, dict) else None


def test_the_error_responses_follow_their_schema(client, schema):
    components = schema["components"]["schemas"]
    operation = schema["paths"]["/api/actors/"]["get"]
    for status, url in [("400", "/api/actors/?disparus=peut-etre"), ("404", "/api/actors/x-y/")]:
        if status == "404":
            operation = schema["paths"]["/api/actors/{slug}/"]["get"]
        content = operation["responses"][status]["content"]["application/json"]
        validator = OAS30Validator(resolved(content["schema"], components))
        response = client.get(url)
        assert response.status_code == int(status)
        assert list(validator.iter_errors(response.json())) == []


# Loaded when the module is collected: the schema view reads no table.
api_schema = (
    schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    .include(method="GET")
    .exclude(path_regex="^/api/(schema|contributions)")
)


REFERENCES = {"territoire", "parent"}


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """schemathesis calls the WSGI application, which closes the database connection after each
    request (request_started, request_finished), the test's transaction with it: Django's test client holds that
    signal back the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@api_schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_schemathesis_finds_no_failure_on_any_get_operation(case, wsgi_keeps_the_test_connection):
    # The WSGI transport does not decompress: ask for the plain body (GZipMiddleware).
    response = case.call(headers={"Accept-Encoding": "identity"})
    # A territory is named by an existing slug, which a schema cannot say: an unknown one is a
    # documented 400 (checked below), not a valid request rejected.
    names_a_territory = bool(REFERENCES & set(case.query or {}))
    case.validate_response(
        response, excluded_checks=[positive_data_acceptance] if names_a_territory else []
    )


def test_an_unknown_territory_is_a_400_naming_it(client):
    response = client.get("/api/actors/", {"territoire": "atlantide"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["territoire"]
