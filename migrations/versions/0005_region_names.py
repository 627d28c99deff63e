"""regions named in Russian, Kyrgyz and Tajik

Revision ID: 0005_region_names
Revises: 0004_feedback
Create Date: 2026-12-05 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# The reference regions' names, frozen here as they were at this revision: (country, English
# name, Russian, Kyrgyz, Tajik). Regions renamed or added by staff are left as they are.
REGION_NAMES = [
    ("KG", "Batken Region", "Баткенская область", "Баткен облусу", "Вилояти Баткен"),
    ("KG", "Chüy Region", "Чуйская область", "Чүй облусу", "Вилояти Чуй"),
    ("KG", "Issyk-Kul Region", "Иссык-Кульская область", "Ысык-Көл облусу", "Вилояти Иссиқкӯл"),
    ("KG", "Jalal-Abad Region", "Джалал-Абадская область", "Жалал-Абад облусу", "Вилояти Ҷалолобод"),
    ("KG", "Naryn Region", "Нарынская область", "Нарын облусу", "Вилояти Нарин"),
    ("KG", "Osh Region", "Ошская область", "Ош облусу", "Вилояти Ӯш"),
    ("KG", "Talas Region", "Таласская область", "Талас облусу", "Вилояти Талас"),
    ("KG", "Bishkek city", "город Бишкек", "Бишкек шаары", "шаҳри Бишкек"),
    ("KG", "Osh city", "город Ош", "Ош шаары", "шаҳри Ӯш"),
    ("TJ", "Sughd Region", "Согдийская область", "Соғд облусу", "Вилояти Суғд"),
    ("TJ", "Khatlon Region", "Хатлонская область", "Хатлон облусу", "Вилояти Хатлон"),
    (
        "TJ",
        "Gorno-Badakhshan Autonomous Region",
        "Горно-Бадахшанская автономная область",
        "Тоолуу Бадахшан автономиялуу облусу",
        "Вилояти Мухтори Кӯҳистони Бадахшон",
    ),
    (
        "TJ",
        "Districts of Republican Subordination",
        "Районы республиканского подчинения",
        "Республикалык баш ийүүдөгү райондор",
        "Ноҳияҳои тобеи ҷумҳурӣ",
    ),
    ("TJ", "Dushanbe city", "город Душанбе", "Душанбе шаары", "шаҳри Душанбе"),
]

# revision identifiers, used by Alembic.
revision = '0005_region_names'
down_revision = '0004_feedback'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_ru', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('name_ky', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('name_tg', sa.String(length=120), nullable=True))

    regions = sa.table(
        'regions',
        sa.column('country', sa.String),
        sa.column('name', sa.String),
        sa.column('name_ru', sa.String),
        sa.column('name_ky', sa.String),
        sa.column('name_tg', sa.String),
    )
    for country, name, russian, kyrgyz, tajik in REGION_NAMES:
        op.execute(
            regions.update()
            .where(regions.c.country == country, regions.c.name == name)
            .values(name_ru=russian, name_ky=kyrgyz, name_tg=tajik)
        )


def downgrade():
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_column('name_tg')
        batch_op.drop_column('name_ky')
        batch_op.drop_column('name_ru')
