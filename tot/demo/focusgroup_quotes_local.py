"""Fictional focus groups held in Russian and in Kyrgyz, with quotes in the language spoken.

Occupations are written in the language of the quote, as a speaker would say them.

Any likeness to real people is chance. Shaped like FOCUS_GROUPS in tot.demo.focusgroup_data: each
quote carries its consent history, (consent, days after the focus group, how it was given), first
the consent recorded with the quote, then any change. The last entry is the consent now.
"""

from tot.demo.focusgroup_data import (
    ANONYMOUS,
    COUNTRY,
    FIRST_NAME,
    INTERNAL,
    MESSAGE,
    NAMED,
    PHONE,
    PSEUDONYM,
    REGION,
    SIGNED,
    TEAM_ONLY,
    VERBAL,
    WITHDRAWN,
)
from tot.focusgroups.models import Shown

LOCAL_FOCUS_GROUPS = [
    {
        "region": "Chüy Region",
        "programme": "ru-programme",
        "after_session": False,
        "days_ago": 58,
        "attendees": {"women": 5, "men": 4, "other_genders": 0},
        "notes": "Встреча прошла в офисе партнёрской организации в Токмоке. Участники — члены "
        "общественных мониторинговых групп, прошедшие программу около года назад; половина из "
        "них уже провела каскадные тренинги для новых наблюдателей. Группа попросила отдельное "
        "занятие о том, как писать отчёты о визитах.",
        "quotes": [
            {"speaker": "Эркин", "age": 39, "occupation": "юрист",
             "region": "Chüy Region", "themes": ["legal skills", "confidence"],
             "text": "Раньше я заходил в изолятор и сразу начинал спорить с начальником. Теперь "
             "я сначала спокойно объясняю мандат и прошу журналы, и разговор идёт совсем "
             "по-другому.",
             "consent": [(NAMED, 0, SIGNED)],
             "shown": Shown(PSEUDONYM, "Марат", age_band=True, place=COUNTRY)},
            {"speaker": "Надежда", "age": 46, "occupation": "врач",
             "region": "Bishkek city", "themes": ["safety", "legal skills"],
             "text": "Самое важное, что я поняла: после нашего ухода человек остаётся там. "
             "Теперь мы всегда говорим с несколькими задержанными и через месяц возвращаемся "
             "проверить, всё ли у них в порядке.",
             "consent": [(ANONYMOUS, 2, PHONE)], "shown": Shown(occupation=True, place=REGION)},
            {"speaker": "Айбек", "age": 31, "occupation": "социальный работник",
             "region": "Chüy Region", "themes": ["networking", "community"],
             "text": "Мы с наблюдателями из других районов завели общий чат. Если где-то группу "
             "не пускают в изолятор, через час об этом знают все, и юрист уже звонит куда нужно.",
             "consent": [(ANONYMOUS, 0, VERBAL), (INTERNAL, 12, WITHDRAWN)],
             "shown": Shown(age_band=True, place=REGION)},
            {"speaker": "Людмила", "age": 52, "occupation": "правозащитница",
             "region": "Chüy Region", "themes": ["legal skills", "community"],
             "text": "Мы написали рекомендацию по схеме «кто — что — к какому сроку», и через "
             "два месяца в изоляторе наконец починили вентиляцию. Раньше наши отчёты просто "
             "лежали в столе.",
             "consent": [(INTERNAL, 0, TEAM_ONLY)]},
        ],
    },
    {
        "region": "Naryn Region",
        "programme": "ky-programme",
        "after_session": False,
        "days_ago": 39,
        "attendees": {"women": 8, "men": 2, "other_genders": 0},
        "notes": "Кочкор районундагы айылдык китепканада өттү. Катышуучулар — бир жыл мурун "
        "программадан өткөн параюристтер; алардын жетөөсү өз айылында кабыл алуу күнүн "
        "өткөрүп жатат. Алимент жана чет өлкөдө иштеген күйөөлөр боюнча кошумча сабак "
        "суралды.",
        "quotes": [
            {"speaker": "Жылдыз", "age": 43, "occupation": "айыл кеңешинин депутаты",
             "region": "Naryn Region", "themes": ["legal skills", "community"],
             "text": "Мурун аялдар мага келип, ыйлап эле кетишчү. Азыр ар бирине кийинки "
             "кадамды жазып берем: кайсы кагаз керек, кайсы кабинетке баруу керек. Быйыл биздин "
             "айылда он бир бала туулгандыгы тууралуу күбөлүк алды.",
             "consent": [(NAMED, 0, SIGNED)], "featured": True,
             "shown": Shown(FIRST_NAME, age_band=True, place=COUNTRY)},
            {"speaker": "Айпери", "age": 27, "occupation": "китепканачы",
             "region": "Naryn Region", "themes": ["confidence", "leadership"],
             "text": "Тренингге чейин аксакалдардын алдында үнүмдү чыгара алчу эмесмин. Ролдук "
             "оюнда аксакалга сылык жооп берүүнү машыктык, эми чыныгы жыйында да ойумду айта "
             "алам.",
             "consent": [(ANONYMOUS, 0, VERBAL)], "shown": Shown(age_band=True)},
            {"speaker": "Нурлан", "age": 35, "occupation": "мектеп мугалими",
             "region": "Naryn Region", "themes": ["legal skills", "safety"],
             "text": "Эң негизгиси — купуялык. Айыл кичинекей, бир сөз тез тарайт. Аялдар менин "
             "оозумдан эч нерсе чыкпай турганын билгенден кийин гана кайрыла башташты.",
             "consent": [(NAMED, 3, PHONE)], "shown": Shown(FIRST_NAME, occupation=True)},
            {"speaker": "Гүлзада", "age": 38, "occupation": "медайым",
             "region": "Naryn Region", "themes": ["networking", "community"],
             "text": "Коңшу айылдардын параюристтери менен ай сайын жолугабыз. Бирибиз "
             "билбегенди экинчибиз билет, татаал иштерди райондогу юристке чогуу жөнөтөбүз.",
             "consent": [(ANONYMOUS, 4, MESSAGE), (INTERNAL, 9, WITHDRAWN)],
             "shown": Shown(occupation=True, place=COUNTRY)},
        ],
    },
]  # fmt: skip
