"""check-ins: relationship and life-and-care check-ins, one row per item score, and the sealed
free text (wardtrack/checkins; docs/checkins.md)

Revision ID: ccf2d05eb225
Revises: 31ba2a15b99d
Create Date: 2026-12-03 19:15:03.763428

"""

import sqlalchemy as sa
from alembic import op

import wardtrack.core.db

# revision identifiers, used by Alembic.
revision = "ccf2d05eb225"
down_revision = "31ba2a15b99d"
branch_labels = None
depends_on = None

# The item ids as they were when this migration was written (tables as they were, by name).
RELATIONSHIP_ITEMS = "'listened', 'person', 'together', 'safe', 'advocate', 'speak_up'"
DIALOG_ITEMS = (
    "'mental_health', 'physical_health', 'job', 'accommodation', 'leisure', 'friendships', "
    "'partner_family', 'personal_safety', 'medication', 'practical_help', 'meetings'"
)


def _enum(name: str, *values: str) -> sa.Enum:
    """A string column limited to `values` by a named CHECK constraint, as enum_column makes."""
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=40)


def upgrade():
    op.add_column("wards", sa.Column("check_in_interval_days", sa.Integer(), server_default="30",
                                     nullable=False))
    op.create_table(
        "check_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            _enum("check_in_kind", "relationship", "dialog"),
            nullable=False,
        ),
        sa.Column("professional_id", sa.Integer(), nullable=True),
        sa.Column("ward_id", sa.Integer(), nullable=True),
        sa.Column(
            "share",
            _enum("check_in_share", "ward", "team_leader", "team_leader_and_person"),
            nullable=False,
        ),
        sa.Column("created_at", wardtrack.core.db.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'relationship' AND professional_id IS NOT NULL) OR (kind = 'dialog' AND professional_id IS NULL)",
            name=op.f("ck_check_ins_professional_for_relationship"),
        ),
        sa.CheckConstraint(
            "share <> 'team_leader_and_person' OR kind = 'relationship'",
            name=op.f("ck_check_ins_person_share_for_relationship"),
        ),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_check_ins_patient_id_patients")),
        sa.ForeignKeyConstraint(
            ["professional_id"],
            ["professionals.id"],
            name=op.f("fk_check_ins_professional_id_professionals"),
        ),
        sa.ForeignKeyConstraint(["ward_id"], ["wards.id"], name=op.f("fk_check_ins_ward_id_wards")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_ins")),
    )
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.create_index("ix_check_ins_patient_id_created_at", ["patient_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_check_ins_professional_id"), ["professional_id"], unique=False)
        batch_op.create_index("ix_check_ins_ward_id_created_at", ["ward_id", "created_at"], unique=False)

    op.create_table(
        "check_in_items",
        sa.Column("check_in_id", sa.Integer(), nullable=False),
        sa.Column(
            "item",
            _enum(
                "check_in_item",
                "listened",
                "person",
                "together",
                "safe",
                "advocate",
                "speak_up",
                "mental_health",
                "physical_health",
                "job",
                "accommodation",
                "leisure",
                "friendships",
                "partner_family",
                "personal_safety",
                "medication",
                "practical_help",
                "meetings",
            ),
            nullable=False,
        ),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("more_help", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            f"(item IN ({RELATIONSHIP_ITEMS}) AND score BETWEEN 0 AND 4)"
            f" OR (item IN ({DIALOG_ITEMS}) AND score BETWEEN 1 AND 7)",
            name=op.f("ck_check_in_items_score_range"),
        ),
        sa.CheckConstraint(
            f"more_help = false OR item IN ({DIALOG_ITEMS})",
            name=op.f("ck_check_in_items_more_help_on_dialog"),
        ),
        sa.ForeignKeyConstraint(
            ["check_in_id"], ["check_ins.id"], name=op.f("fk_check_in_items_check_in_id_check_ins")
        ),
        sa.PrimaryKeyConstraint("check_in_id", "item", name=op.f("pk_check_in_items")),
    )
    op.create_table(
        "check_in_texts",
        sa.Column("check_in_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["check_in_id"], ["check_ins.id"], name=op.f("fk_check_in_texts_check_in_id_check_ins")
        ),
        sa.PrimaryKeyConstraint("check_in_id", name=op.f("pk_check_in_texts")),
    )
    with op.batch_alter_table("check_in_texts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_check_in_texts_key_id"), ["key_id"], unique=False)


def downgrade():
    with op.batch_alter_table("wards", schema=None) as batch_op:
        batch_op.drop_column("check_in_interval_days")
    with op.batch_alter_table("check_in_texts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_check_in_texts_key_id"))

    op.drop_table("check_in_texts")
    op.drop_table("check_in_items")
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.drop_index("ix_check_ins_ward_id_created_at")
        batch_op.drop_index(batch_op.f("ix_check_ins_professional_id"))
        batch_op.drop_index("ix_check_ins_patient_id_created_at")

    op.drop_table("check_ins")
