"""businesses.instagram: the Instagram profile, a moderated field owners edit (replaces the
JSON column social, which nobody could edit; its Instagram links move over)

Revision ID: 8d3f0a6b2e17
Revises: 5b1e7d2c9a41
Create Date: 2026-12-03 18:40:00

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d3f0a6b2e17'
down_revision = '5b1e7d2c9a41'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('businesses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('instagram', sa.String(length=300), nullable=True))
    conn = op.get_bind()
    for business_id, social in conn.execute(sa.text("SELECT id, social FROM businesses")):
        if isinstance(social, str):
            social = json.loads(social or "{}")
        url = (social or {}).get("instagram")
        if url:
            conn.execute(
                sa.text("UPDATE businesses SET instagram = :url WHERE id = :id"),
                {"url": str(url)[:300], "id": business_id},
            )
    with op.batch_alter_table('businesses', schema=None) as batch_op:
        batch_op.drop_column('social')


def downgrade():
    with op.batch_alter_table('businesses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('social', sa.JSON(), nullable=True))
    conn = op.get_bind()
    for business_id, url in conn.execute(
        sa.text("SELECT id, instagram FROM businesses WHERE instagram IS NOT NULL")
    ):
        conn.execute(
            sa.text("UPDATE businesses SET social = :social WHERE id = :id").bindparams(
                sa.bindparam("social", type_=sa.JSON())
            ),
            {"social": {"instagram": url}, "id": business_id},
        )
    with op.batch_alter_table('businesses', schema=None) as batch_op:
        batch_op.drop_column('instagram')
