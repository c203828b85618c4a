"""audit chain head: the newest event's hash in one row, kept by a trigger, so that an event is appended
in one statement

Revision ID: 7ab15f025423
Revises: eda6e65150ac
Create Date: 2026-11-22 07:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7ab15f025423'
down_revision = 'eda6e65150ac'
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade():
    op.create_table(
        'audit_chain_head',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_audit_chain_head_one_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head')),
    )
    # The chain goes on from the newest event already recorded.
    op.execute(sa.text(
        "INSERT INTO audit_chain_head (id, hash) "
        "SELECT 1, COALESCE((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), :genesis)"
    ).bindparams(genesis=GENESIS))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_chain_advance() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN UPDATE audit_chain_head SET hash = NEW.hash WHERE id = 1; RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_chain_advance AFTER INSERT ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_chain_advance()"
        )
    else:
        op.execute(
            "CREATE TRIGGER audit_chain_advance AFTER INSERT ON audit_events "
            "BEGIN UPDATE audit_chain_head SET hash = NEW.hash WHERE id = 1; END"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_chain_advance ON audit_events")
        op.execute("DROP FUNCTION audit_chain_advance()")
    else:
        op.execute("DROP TRIGGER audit_chain_advance")
    op.drop_table('audit_chain_head')
