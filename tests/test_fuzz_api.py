"""Schemathesis against the app's own OpenAPI: every operation, schema-valid and negative data, bounded.

Each operation gets ``NLPS_FUZZ_EXAMPLES`` generated requests (default 15; CI's bound) through the
ASGI app with a loaded pipeline and a temporary store. Checks: no 5xx (``not_a_server_error``),
invalid requests rejected (``negative_data_rejection``), and the documented content types
(``content_type_conformance``: problem+json errors included). Schema-valid data that the service
refuses on purpose (a text without Chinese is schema-valid and answered 422) is not a failure here.
Hypothesis drives the generation with a fixed seed, so a failure reproduces.
"""

from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip("schemathesis")

from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from nlp_service.api.app import create_app  # noqa: E402
from nlp_service.settings import Settings  # noqa: E402

EXAMPLES = int(os.environ.get("NLPS_FUZZ_EXAMPLES", "15"))
OPERATIONS = sorted({f"{method.upper()} {path}" for path, item in create_app().openapi()["paths"].items()
                     for method in item})


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    db = tmp_path_factory.mktemp("fuzz") / "store.db"
    app = create_app(Settings(database_url=f"sqlite:///{db}", max_input_bytes=50_000, max_batch_items=5))
    with TestClient(app):  # runs the lifespan: the pipeline and the store are loaded
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.parametrize("label", OPERATIONS)
def test_operation_survives_fuzzing(schema, label):
    from schemathesis import checks

    operation = next(r.ok() for r in schema.get_all_operations() if r.ok().label == label)

    @seed(7)
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(checks=[checks.not_a_server_error, checks.negative_data_rejection,
                                       checks.content_type_conformance],
                               excluded_checks=[checks.positive_data_acceptance, checks.status_code_conformance,
                                                checks.response_schema_conformance, checks.missing_required_header,
                                                checks.response_headers_conformance, checks.unsupported_method,
                                                checks.ignored_auth, checks.use_after_free,
                                                checks.ensure_resource_availability])

    run()
