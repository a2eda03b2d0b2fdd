"""The JSON API, version 1 (endpoints follow in their own issue)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
