"""businesses.voucher_teasers: the published voucher offers in brief, handed down by the
vouchers slice (replaces a correlated subquery the vouchers slice attached to Business)

Revision ID: 5b1e7d2c9a41
Revises: 365ac97acf77
Create Date: 2026-12-03 18:20:00

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e7d2c9a41'
down_revision = '365ac97acf77'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('businesses', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('voucher_teasers', sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT id, business_id, how, min_cents, max_cents, values_cents, title "
            "FROM voucher_offers WHERE status = 'published' AND business_id IS NOT NULL "
            "ORDER BY id"
        )
    )
    teasers = {}
    for offer_id, business_id, how, low, high, values, title in rows:
        if isinstance(values, str):
            values = json.loads(values)
        teasers.setdefault(business_id, []).append(
            {
                "id": offer_id,
                "how": how,
                "min_cents": low,
                "max_cents": high,
                "values_cents": list(values or []),
                "title": title,
            }
        )
    for business_id, brief in teasers.items():
        conn.execute(
            sa.text("UPDATE businesses SET voucher_teasers = :brief WHERE id = :id").bindparams(
                sa.bindparam("brief", type_=sa.JSON())
            ),
            {"brief": brief, "id": business_id},
        )


def downgrade():
    with op.batch_alter_table('businesses', schema=None) as batch_op:
        batch_op.drop_column('voucher_teasers')
