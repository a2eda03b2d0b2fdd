"""An input's status and attribution are checked by the database too.

Rows with a value outside the known ones would make the upgrade fail; there
are none, since the code only ever writes the values of its enumerations.

Revision ID: 3c1f0e7a9b21
Revises: 54786b6b8778
Create Date: 2026-11-30 19:00:00
"""

from alembic import op

revision = "3c1f0e7a9b21"
down_revision = "54786b6b8778"
branch_labels = None
depends_on = None

STATUSES = (
    "draft",
    "submitted",
    "in_review",
    "returned",
    "forwarded",
    "declined",
    "withdrawn",
    "used",
)
ATTRIBUTIONS = ("non-attributable", "attributable", "eu-only")


def _within(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    with op.batch_alter_table("inputs", schema=None) as batch_op:
        batch_op.create_check_constraint("status", _within("status", STATUSES))
        batch_op.create_check_constraint("attribution", _within("attribution", ATTRIBUTIONS))


def downgrade() -> None:
    with op.batch_alter_table("inputs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_inputs_status"), type_="check")
        batch_op.drop_constraint(op.f("ck_inputs_attribution"), type_="check")
