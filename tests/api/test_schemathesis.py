"""Fuzz every operation of /api/v1/openapi.json with schemathesis, as each role.

The app is called in-process (WSGI). For every operation schemathesis
generates requests from the description (bounded: a few examples each, no
deadline) and checks that the answer is never a 5xx, that its status and
content type are documented, and that its body matches the schema. Path
parameters are pinned to an input the role may see, so the fuzzing reaches
past the 404 into the code that does the work.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from consult.inputs.states import Status
from tests.factories import make_input

#: Examples per operation and role; CI may raise it with CONSULT_FUZZ_EXAMPLES.
EXAMPLES = int(os.environ.get("CONSULT_FUZZ_EXAMPLES", "12"))

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def world(app, cso_user, moderator_user, hq_user, admin_user, consultation, make_token):
    """Inputs in several states and a token per role."""
    submitted = make_input(consultation, cso_user, title="Submitted one")
    forwarded = make_input(consultation, cso_user, status=Status.FORWARDED, title="Forwarded")
    draft = make_input(consultation, cso_user, status=Status.DRAFT, title="A draft")
    direct = make_input(consultation, cso_user, hq_direct=True, title="Direct to HQ")
    return {
        "cso": (make_token(cso_user), draft.id),
        "moderator": (make_token(moderator_user), submitted.id),
        "hq": (make_token(hq_user), direct.id),
        "admin": (make_token(admin_user), forwarded.id),
    }


@pytest.mark.slow
@pytest.mark.parametrize("role", ["cso", "moderator", "hq", "admin"])
def test_fuzz_every_operation(app, world, role):
    token, input_id = world[role]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:
        pinned = {"input_id": str(input_id)} if "{input_id}" in operation.path else None
        strategy = operation.as_strategy(path_parameters=pinned)

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)

        check()
