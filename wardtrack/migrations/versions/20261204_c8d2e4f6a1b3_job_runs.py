"""job runs: the last run of each scheduled job, so that /readyz on any host can tell a stale scheduler

Revision ID: c8d2e4f6a1b3
Revises: b5ff25f336c8
Create Date: 2026-12-04 22:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

import wardtrack.core.db

# revision identifiers, used by Alembic.
revision = "c8d2e4f6a1b3"
down_revision = "b5ff25f336c8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_runs",
        sa.Column("job", sa.String(length=40), nullable=False),
        sa.Column("last_run_at", wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_success_at", wardtrack.core.db.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_duration_ms", sa.Integer(), nullable=True),
        sa.Column("failures_in_a_row", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("job", name=op.f("pk_job_runs")),
    )


def downgrade():
    op.drop_table("job_runs")
