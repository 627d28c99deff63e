"""which details of a quote the speaker agreed to show

Revision ID: 0009_consent_details
Revises: 0008_logins
Create Date: 2026-12-05 15:35:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_consent_details'
down_revision = '0008_logins'
branch_labels = None
depends_on = None

# On a quote (what is agreed now) and on each consent change (what was agreed then). The server
# defaults are the least revealing: a quote published before keeps no name unless a pseudonym is
# recorded, and shows neither age, occupation nor place until its consent says so.
TABLES = ('quotes', 'quote_consent_changes')


def _columns():
    return [
        sa.Column('name_shown', sa.Enum('pseudonym', 'first_name', name='nameshown', native_enum=False, length=18), server_default='pseudonym', nullable=False),
        sa.Column('pseudonym', sa.String(length=80), server_default='', nullable=False),
        sa.Column('show_age_band', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('show_occupation', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('place_shown', sa.Enum('none', 'country', 'region', name='placeshown', native_enum=False, length=15), server_default='none', nullable=False),
    ]


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in _columns():
                batch_op.add_column(column)


def downgrade():
    # A quote waiting to be asked again was not published: "internal only" is what it was.
    op.execute("UPDATE quotes SET consent = 'internal' WHERE consent = 'pending'")
    op.execute("UPDATE quote_consent_changes SET consent = 'internal' WHERE consent = 'pending'")
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in reversed(_columns()):
                batch_op.drop_column(column.name)
