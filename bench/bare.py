"""B0's reference: a bare Flask app served with the same gunicorn settings as consult."""

from __future__ import annotations

from flask import Flask, jsonify

app = Flask(__name__)


@app.post("/api/v1/inputs")
def submit():  # noqa: ANN201 - the smallest possible endpoint
    return jsonify(id="00000000-0000-4000-8000-000000000000"), 201
