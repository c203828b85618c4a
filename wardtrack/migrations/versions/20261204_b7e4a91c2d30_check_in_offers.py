"""check-in offers: a delivery's subject may be a patient's occasion to check in (check_in_offer), one
push per occasion; a push subscription keeps the language its browser spoke
(wardtrack/notifications/offers.py; docs/checkins.md)

Revision ID: b7e4a91c2d30
Revises: 5d0f3c9a7e21
Create Date: 2026-12-04 22:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7e4a91c2d30"
down_revision = "5d0f3c9a7e21"
branch_labels = None
depends_on = None

# The subject rule as it was, and as it is from here on (tables as they were, by name).
TWO_SUBJECTS = "(reminder_id IS NULL) <> (digest_id IS NULL)"
THREE_SUBJECTS = (
    "(CASE WHEN reminder_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN digest_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN check_in_offer IS NULL THEN 0 ELSE 1 END) = 1"
)


def upgrade():
    with op.batch_alter_table("push_subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), server_default="en", nullable=False))
    # On SQLite the table is copied; its indexes go with it.
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("check_in_offer", sa.String(length=60), nullable=True))
        batch_op.drop_constraint(batch_op.f("ck_deliveries_one_subject"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_deliveries_one_subject"), THREE_SUBJECTS)
        batch_op.create_unique_constraint(
            "uq_deliveries_check_in_offer_user_id_channel", ["check_in_offer", "user_id", "channel"]
        )


def downgrade():
    op.execute(sa.text("DELETE FROM deliveries WHERE check_in_offer IS NOT NULL"))
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_constraint("uq_deliveries_check_in_offer_user_id_channel", type_="unique")
        batch_op.drop_constraint(batch_op.f("ck_deliveries_one_subject"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_deliveries_one_subject"), TWO_SUBJECTS)
        batch_op.drop_column("check_in_offer")
    with op.batch_alter_table("push_subscriptions", schema=None) as batch_op:
        batch_op.drop_column("language")
