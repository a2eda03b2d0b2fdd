"""Every API error is JSON ``{"error": {"code", "message", "fields"}}``: never HTML or a trace."""

from __future__ import annotations

import io

from consult.api import views
from tests.factories import make_consultation, make_input


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"] == code and error["message"] and isinstance(error["fields"], dict)
    text = response.get_data(as_text=True)
    assert "<html" not in text.lower() and "Traceback" not in text
    return error


def test_400_bad_json_and_field_errors(app, cso_user, consultation, api_client):
    api = api_client(app, cso_user)
    error_of(
        api.post("/inputs", data="{not json", content_type="application/json"), 400, "bad_json"
    )
    error_of(api.post("/inputs", json=["a", "list"]), 400, "bad_json")
    error = error_of(api.post("/inputs", json={"consultation": 7}), 400, "validation_failed")
    assert error["fields"]["consultation"]


def test_401_without_a_token(app, api_client):
    error_of(api_client(app, token=None).get("/consultations"), 401, "unauthorized")


def test_404_for_unknown_paths_and_objects(app, cso_user, api_client):
    api = api_client(app, cso_user)
    error_of(api.get("/no-such-thing"), 404, "not_found")
    error_of(api.get("/inputs/00000000-0000-0000-0000-000000000000"), 404, "not_found")


def test_405_for_a_wrong_method(app, cso_user, api_client):
    error_of(api_client(app, cso_user).open("DELETE", "/reference"), 405, "method_not_allowed")


def test_409_on_a_stale_version(app, cso_user, moderator_user, consultation, api_client):
    item = make_input(consultation, cso_user)
    response = api_client(app, moderator_user).post(
        f"/inputs/{item.id}/claim", json={"version": item.version + 5}
    )
    error = error_of(response, 409, "conflict")
    assert error["current_version"] == item.version


def test_413_when_the_request_is_larger_than_allowed(
    make_app, app, cso_user, consultation, api_client, make_token
):
    small = make_app(MAX_CONTENT_LENGTH=2048)
    draft = make_input(consultation, cso_user, status="draft")
    api = api_client(small, token=make_token(cso_user))
    response = api.post(
        f"/inputs/{draft.id}/attachments",
        data={"file": (io.BytesIO(b"0" * 10_000), "x.pdf")},
        content_type="multipart/form-data",
    )
    error_of(response, 413, "payload_too_large")


def test_415_for_a_body_that_is_not_json(app, cso_user, api_client):
    error_of(
        api_client(app, cso_user).post("/inputs", data="title=x"), 415, "unsupported_media_type"
    )


def test_422_when_the_rules_refuse(app, cso_user, moderator_user, consultation, api_client):
    item = make_input(consultation, cso_user, status="declined")
    response = api_client(app, moderator_user).post(f"/inputs/{item.id}/claim")
    error_of(response, 422, "unprocessable")


def test_429_when_a_token_sends_too_many_requests(make_app, app, cso_user, api_client, make_token):
    limited = make_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
    token = make_token(cso_user)
    api = api_client(limited, token=token)
    statuses = [api.get("/me").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    error_of(api.get("/me"), 429, "rate_limited")
    # The limit is per token: another token of the same address is not affected.
    other = api_client(limited, token=make_token(cso_user, "second"))
    assert other.get("/me").status_code == 200


def test_500_is_json_without_a_trace(app, cso_user, monkeypatch, make_token):
    def explode(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "consultation_json", explode)
    make_consultation()
    response = app.test_client().get(
        "/api/v1/consultations", headers={"Authorization": f"Bearer {make_token(cso_user)}"}
    )
    error = error_of(response, 500, "server_error")
    assert "secret internals" not in response.get_data(as_text=True)
    assert error["fields"] == {}
