"""anonymous feedback released in batches

Revision ID: 0007_feedback_batches
Revises: 0006_outcomes
Create Date: 2026-12-05 15:35:00

"""
import random
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_feedback_batches'
down_revision = '0006_outcomes'
branch_labels = None
depends_on = None


def _rewrite_earlier_responses():
    """Answer sheets written before this revision were written with their receipt, in one
    transaction (PostgreSQL's xmin names the author) and in the order of answering (ctid), each
    dated by its own day. Write them again: new random ids, in shuffled order, by this migration's
    transaction, and each survey's sheets dated alike (by the latest of their days)."""
    responses = sa.table(
        'feedback_responses',
        sa.column('id', sa.String(32)),
        sa.column('survey_id', sa.Integer()),
        sa.column('submitted_on', sa.Date()),
        sa.column('answers', sa.JSON()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(responses.c.survey_id, responses.c.submitted_on, responses.c.answers)
    ).all()
    if not rows:
        return
    latest = {}
    for survey_id, day, _answers in rows:
        latest[survey_id] = max(day, latest.get(survey_id, day))
    sheets = [
        {'id': uuid.uuid4().hex, 'survey_id': survey_id, 'submitted_on': latest[survey_id],
         'answers': answers}
        for survey_id, _day, answers in rows
    ]
    random.SystemRandom().shuffle(sheets)
    connection.execute(responses.delete())
    connection.execute(responses.insert(), sheets)


def upgrade():
    with op.batch_alter_table('session_surveys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pool_version', sa.Integer(), server_default='0', nullable=False))

    op.create_table('feedback_pending_sheets',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['session_surveys.id'], name=op.f('fk_feedback_pending_sheets_survey_id_session_surveys')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_pending_sheets')),
    sqlite_with_rowid=False,  # no hidden insertion order to pair waiting sheets with receipts
    )
    with op.batch_alter_table('feedback_pending_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_pending_sheets_survey_id'), ['survey_id'], unique=False)

    _rewrite_earlier_responses()


def downgrade():
    # Sheets still waiting are dropped with their table: released now, fewer than the minimum
    # at a time, they would single their authors out.
    with op.batch_alter_table('feedback_pending_sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_pending_sheets_survey_id'))

    op.drop_table('feedback_pending_sheets')
    with op.batch_alter_table('session_surveys', schema=None) as batch_op:
        batch_op.drop_column('pool_version')
