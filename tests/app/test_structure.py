"""Rules of the code's shape that a reader relies on: one audit spelling, named predicates."""

from __future__ import annotations

import ast
import re
from pathlib import Path

CONSULT = Path(__file__).resolve().parents[2] / "consult"


def _audit_actions() -> list[tuple[str, str]]:
    """Every constant an audit ``record(...)`` call can write, with where it is."""
    found = []
    for path in CONSULT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name != "record":
                continue
            where = f"{path.relative_to(CONSULT)}:{node.lineno}"
            first = node.args[0]
            parts = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            for part in parts:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    found.append((part.value, where))
                elif isinstance(part, ast.JoinedStr):
                    # input.{verb}: the constant parts with a stand-in for each value
                    text = "".join(
                        v.value if isinstance(v, ast.Constant) else "x" for v in part.values
                    )
                    found.append((text, where))
    return found


def test_audit_actions_are_spelled_object_dot_verb():
    actions = _audit_actions()
    assert len(actions) > 40
    wrong = [(a, where) for a, where in actions if not re.fullmatch(r"[a-z_]+\.[a-z_]+", a)]
    assert wrong == []


def test_no_role_is_compared_by_name_outside_auth_and_the_input_scope():
    allowed = {Path("inputs/scope.py"), Path("access.py")}
    pattern = re.compile(r"\brole\s*[!=]=\s*Role\.|Role\.\w+\s*[!=]=")
    offenders = [
        f"{path.relative_to(CONSULT)}:{number}"
        for path in CONSULT.rglob("*.py")
        if path.relative_to(CONSULT) not in allowed and path.relative_to(CONSULT).parts[0] != "auth"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
