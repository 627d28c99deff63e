"""The regions the platform starts with, named in each interface language.

The first migration inserts them with their English names; the fifth adds the other names.
"""

from tot.regions.models import Country

KG, TJ = Country.KYRGYZSTAN, Country.TAJIKISTAN

# (country, English name, {language: name})
REFERENCE_REGIONS: list[tuple[Country, str, dict[str, str]]] = [
    (
        KG,
        "Batken Region",
        {"ru": "Баткенская область", "ky": "Баткен облусу", "tg": "Вилояти Баткен"},
    ),
    (KG, "Chüy Region", {"ru": "Чуйская область", "ky": "Чүй облусу", "tg": "Вилояти Чуй"}),
    (
        KG,
        "Issyk-Kul Region",
        {"ru": "Иссык-Кульская область", "ky": "Ысык-Көл облусу", "tg": "Вилояти Иссиқкӯл"},
    ),
    (
        KG,
        "Jalal-Abad Region",
        {"ru": "Джалал-Абадская область", "ky": "Жалал-Абад облусу", "tg": "Вилояти Ҷалолобод"},
    ),
    (KG, "Naryn Region", {"ru": "Нарынская область", "ky": "Нарын облусу", "tg": "Вилояти Нарин"}),
    (KG, "Osh Region", {"ru": "Ошская область", "ky": "Ош облусу", "tg": "Вилояти Ӯш"}),
    (KG, "Talas Region", {"ru": "Таласская область", "ky": "Талас облусу", "tg": "Вилояти Талас"}),
    (KG, "Bishkek city", {"ru": "город Бишкек", "ky": "Бишкек шаары", "tg": "шаҳри Бишкек"}),
    (KG, "Osh city", {"ru": "город Ош", "ky": "Ош шаары", "tg": "шаҳри Ӯш"}),
    (TJ, "Sughd Region", {"ru": "Согдийская область", "ky": "Соғд облусу", "tg": "Вилояти Суғд"}),
    (
        TJ,
        "Khatlon Region",
        {"ru": "Хатлонская область", "ky": "Хатлон облусу", "tg": "Вилояти Хатлон"},
    ),
    (
        TJ,
        "Gorno-Badakhshan Autonomous Region",
        {
            "ru": "Горно-Бадахшанская автономная область",
            "ky": "Тоолуу Бадахшан автономиялуу облусу",
            "tg": "Вилояти Мухтори Кӯҳистони Бадахшон",
        },
    ),
    (
        TJ,
        "Districts of Republican Subordination",
        {
            "ru": "Районы республиканского подчинения",
            "ky": "Республикалык баш ийүүдөгү райондор",
            "tg": "Ноҳияҳои тобеи ҷумҳурӣ",
        },
    ),
    (TJ, "Dushanbe city", {"ru": "город Душанбе", "ky": "Душанбе шаары", "tg": "шаҳри Душанбе"}),
]
