"""Demo training sessions as plain data, built by tot.demo.sessions.

Every venue, address and note is fictional. Dates are relative: `start_in_days` counts from
today in the session's region, so the demo stays fresh whenever it is loaded. Facilitators are
"demo" (facilitator@example.org) or the number of one of the other demo facilitators, in the
order tot.demo.people creates them (1 lives in Gorno-Badakhshan, 2 in Osh Region, 3 in Bishkek,
4 in Issyk-Kul, 5 in Osh city, 6 in Chüy).

Enrolment plan: `applicants` people apply during the enrolment window (the featured demo
participant on top, when `featured`); in approval mode the latest `pending` stay undecided,
`reject` are turned down with a reason and the rest approved; `withdraw` confirmed people later
withdraw, freeing a seat for the waiting list.
"""

from typing import Any

from tot.enrolment.models import AttendanceStatus
from tot.sessions.models import EnrolmentMode, SessionStatus

OPEN, APPROVAL = EnrolmentMode.OPEN, EnrolmentMode.APPROVAL
DRAFT, PUBLISHED, CANCELLED, COMPLETED = (
    SessionStatus.DRAFT,
    SessionStatus.PUBLISHED,
    SessionStatus.CANCELLED,
    SessionStatus.COMPLETED,
)

# How often people were present, absent, or excused (they told the facilitator beforehand).
ATTENDANCE_WEIGHTS = {
    AttendanceStatus.PRESENT: 90,
    AttendanceStatus.ABSENT: 4,
    AttendanceStatus.EXCUSED: 6,
}

# Where participants of a session in a region come from, besides the region itself.
NEIGHBOURS = {
    "Osh city": ["Osh Region", "Jalal-Abad Region", "Batken Region"],
    "Osh Region": ["Osh city", "Jalal-Abad Region", "Batken Region"],
    "Jalal-Abad Region": ["Osh Region", "Osh city", "Talas Region", "Naryn Region"],
    "Batken Region": ["Osh Region", "Osh city", "Sughd Region"],
    "Bishkek city": ["Chüy Region", "Talas Region", "Issyk-Kul Region", "Naryn Region"],
    "Chüy Region": ["Bishkek city", "Talas Region", "Issyk-Kul Region"],
    "Issyk-Kul Region": ["Chüy Region", "Naryn Region", "Bishkek city"],
    "Naryn Region": ["Issyk-Kul Region", "Chüy Region", "Jalal-Abad Region"],
    "Talas Region": ["Chüy Region", "Jalal-Abad Region", "Bishkek city"],
    "Sughd Region": ["Batken Region", "Districts of Republican Subordination", "Dushanbe city"],
    "Khatlon Region": [
        "Dushanbe city",
        "Districts of Republican Subordination",
        "Gorno-Badakhshan Autonomous Region",
    ],
    "Gorno-Badakhshan Autonomous Region": ["Khatlon Region", "Dushanbe city"],
    "Districts of Republican Subordination": ["Dushanbe city", "Khatlon Region", "Sughd Region"],
    "Dushanbe city": [
        "Districts of Republican Subordination",
        "Khatlon Region",
        "Sughd Region",
        "Gorno-Badakhshan Autonomous Region",
    ],
}

SESSIONS: list[dict[str, Any]] = [
    {
        "programme": "women",
        "title": "Women's Leadership TOT in Osh",
        "description": """
            Three days for women who lead groups and initiatives in the south: our own stories of
            leadership, protection from violence, and how to run a safe group at home.
            Lunch and tea breaks are provided; travel costs are reimbursed on the last day.
            """,
        "region": "Osh city",
        "venue": "Youth Resource Centre, conference hall",
        "address": "45 Kurmanjan Datka St., Osh",
        "start_in_days": -40, "days": 3, "hours": ("09:00", "17:00"),
        "capacity": 18, "mode": OPEN, "status": COMPLETED,
        "lead": "demo", "co": [5],
        "applicants": 17, "withdraw": 1, "featured": True,
    },
    {
        "programme": "women",
        "title": "Women's Leadership TOT in Khujand",
        "description": """
            A cohort for volunteers of women's crisis centres and village initiatives of Sughd.
            Day two is given to the support-group role-play: come ready to play, or to observe.
            """,
        "region": "Sughd Region",
        "venue": "Community Centre 'Guli Surkh', training hall",
        "address": "21 Kamoli Khujandi St., Khujand",
        "start_in_days": -26, "days": 3, "hours": ("09:00", "17:00"),
        "capacity": 16, "mode": APPROVAL, "status": COMPLETED,
        "lead": 1, "co": [2],
        "applicants": 18, "reject": 2,
        "role_play": "support-group",
    },
    {
        "programme": "legal",
        "title": "Human Rights and Legal Aid TOT in Bishkek",
        "description": """
            Two intensive days for lawyers and paralegals of the north. Most seats go to
            participants from the regions: no more than five are kept for Bishkek.
            """,
        "region": "Bishkek city",
        "venue": "Training Centre 'Kyzyl-Jar', hall B",
        "address": "112 Chüy Ave., Bishkek",
        "start_in_days": -60, "days": 2, "hours": ("09:30", "17:30"),
        "capacity": 20, "mode": OPEN, "status": COMPLETED,
        "lead": 3, "co": [6],
        "quotas": [{"region": "Bishkek city", "cap": 5}],
        "applicants": 23,
    },
    {
        "programme": "legal",
        "title": "Human Rights and Legal Aid TOT in Bokhtar",
        "description": """
            Legal aid volunteers of Khatlon practise the first consultation and court monitoring.
            Bring a notebook and, if you have one, an anonymised case you worked on.
            """,
        "region": "Khatlon Region",
        "venue": "District Library, reading hall",
        "address": "5 Vahdat St., Bokhtar",
        "start_in_days": -12, "days": 2, "hours": ("09:00", "17:00"),
        "capacity": 14, "mode": OPEN, "status": COMPLETED,
        "lead": 1, "co": [],
        "applicants": 13,
    },
    {
        "programme": "women",
        "title": "Women's Leadership TOT in Karakol",
        "description": """
            Two days by the lake for women leaders of Issyk-Kul and Naryn villages: leadership,
            rights and protection orders, and a first plan for a cascade training at home.
            """,
        "region": "Issyk-Kul Region",
        "venue": "Guesthouse 'Teskey', meeting room",
        "address": "33 Toktogul St., Karakol",
        "start_in_days": -59, "days": 2, "hours": ("09:00", "17:00"),
        "capacity": 15, "mode": OPEN, "status": COMPLETED,
        "lead": 4, "co": [],
        "applicants": 14,
    },
    {
        "programme": "legal",
        "title": "Human Rights and Legal Aid TOT in Jalal-Abad",
        "description": """
            Three days on legal aid for paralegals of Jalal-Abad and the neighbouring regions.
            Day three is a visit to a court hearing, with a monitoring form for each pair.
            """,
        "region": "Jalal-Abad Region",
        "venue": "Guesthouse 'Chinar', seminar room",
        "address": "8 Toktogul St., Jalal-Abad",
        "start_in_days": -1, "days": 3, "hours": ("09:00", "17:00"),
        "capacity": 16, "mode": OPEN, "status": PUBLISHED,
        "lead": "demo", "co": [2],
        "applicants": 16, "withdraw": 1,
    },
    {
        "programme": "women",
        "title": "Women's Leadership TOT in Dushanbe",
        "description": """
            A popular cohort: the seats are taken, and a waiting list is open. If a seat frees
            up, the first person on the list gets it and is told at once.
            """,
        "region": "Dushanbe city",
        "venue": "Youth House 'Navruz', hall 2",
        "address": "48 Rudaki Ave., Dushanbe",
        "start_in_days": 10, "days": 3, "hours": ("09:00", "17:00"),
        "capacity": 14, "mode": OPEN, "status": PUBLISHED,
        "lead": 1, "co": [5],
        "applicants": 18, "withdraw": 1,
    },
    {
        "programme": "legal",
        "title": "Human Rights and Legal Aid TOT in Osh",
        "description": """
            Three days for legal aid volunteers of the Osh valley: human rights foundations, the
            client-centred consultation, and documenting a complaint well.
            """,
        "region": "Osh city",
        "venue": "Community Centre 'Ak-Buura', second floor",
        "address": "17 Navoi St., Osh",
        "start_in_days": 19, "days": 3, "hours": ("09:00", "17:00"),
        "capacity": 20, "mode": OPEN, "status": PUBLISHED,
        "lead": "demo", "co": [],
        "applicants": 12, "featured": True,
    },
    {
        "programme": "legal",
        "title": "Human Rights and Legal Aid TOT in Talas",
        "description": """
            Two days for paralegals of Talas villages. This session is cancelled: the venue
            became unavailable. We will announce new dates.
            """,
        "region": "Talas Region",
        "venue": "Community Centre 'Bakay', small hall",
        "address": "14 Sarygulov St., Talas",
        "start_in_days": 17, "days": 2, "hours": ("09:30", "17:00"),
        "capacity": 16, "mode": OPEN, "status": CANCELLED, "cancelled_days_ago": 3,
        "lead": 6, "co": [],
        "applicants": 6,
    },
    {
        "programme": "women",
        "title": "Women's Leadership TOT in Naryn",
        "description": """
            Two days for women leaders of Naryn's highland villages. Warm clothes advised: the
            hall is heated, the tea breaks are outdoors when the sun allows.
            """,
        "region": "Naryn Region",
        "venue": "Guesthouse 'Ak-Muz', seminar room",
        "address": "9 Lenin St., Naryn",
        "start_in_days": 20, "days": 2, "hours": ("09:00", "17:00"),
        "capacity": 15, "mode": OPEN, "status": PUBLISHED,
        "lead": 4, "co": [],
        "applicants": 7,
    },
    {
        "programme": "legal",
        "title": "Legal aid in border communities: Batken",
        "description": """
            Legal aid where the border is close: do no harm, water disputes and the village
            meeting. Applications are reviewed by the facilitators within a week.
            """,
        "region": "Batken Region",
        "venue": "Youth Centre 'Samal', hall",
        "address": "3 Sovetskaya St., Batken",
        "start_in_days": 33, "days": 3, "hours": ("09:00", "17:00"),
        "capacity": 14, "mode": APPROVAL, "status": PUBLISHED,
        "lead": 2, "co": ["demo"],
        "applicants": 10, "reject": 1, "pending": 3, "featured": True,
    },
    {
        "programme": "survivors",
        "title": "Supporting Survivors of Torture: Advanced TOT",
        "description": """
            An advanced cohort for graduates of the Legal Aid TOT from both countries. Small
            group, quiet venue; a psychologist is present on all three days.
            """,
        "region": "Bishkek city",
        "venue": "Retreat house 'Archa', garden hall",
        "address": "6 Tynystanov St., Bishkek",
        "start_in_days": 44, "days": 3, "hours": ("09:30", "17:00"),
        "capacity": 12, "mode": APPROVAL, "status": PUBLISHED,
        "lead": 3, "co": [1],
        "applicants": 7, "reject": 1, "pending": 2,
    },
    {
        "programme": "legal",
        "title": "Human Rights and Legal Aid TOT in Dushanbe",
        "description": """
            Three days for legal aid volunteers of Tajikistan. Four seats are kept for
            participants from Gorno-Badakhshan until two weeks before the start.
            """,
        "region": "Dushanbe city",
        "venue": "Training Centre 'Sitora', hall 1",
        "address": "19 Ayni St., Dushanbe",
        "start_in_days": 52, "days": 3, "hours": ("09:00", "17:00"),
        "capacity": 20, "mode": OPEN, "status": PUBLISHED,
        "lead": 1, "co": [3],
        "quotas": [
            {"region": "Gorno-Badakhshan Autonomous Region", "reserved": 4, "until_days": 14},
            {"region": "Dushanbe city", "cap": 6},
        ],
        "applicants": 19,
    },
    {
        "programme": "women",
        "title": "Women's Leadership TOT in Kant",
        "description": """
            A draft: dates and venue still to be confirmed with the hosts in Chüy.
            """,
        "region": "Chüy Region",
        "venue": "Community Centre 'Bereke'",
        "address": "27 Frunze St., Kant",
        "start_in_days": 55, "days": 2, "hours": ("09:00", "17:00"),
        "capacity": 20, "mode": OPEN, "status": DRAFT,
        "lead": 6, "co": [],
        "applicants": 0,
    },
    {
        "programme": "ky-programme",
        "title": "Айылдагы параюрист: Өзгөндөгү тренинг",
        "description": """
            Ош облусунун айылдарынан келген параюристтер жана жигердүү аялдар үчүн эки күндүк
            тренинг: аялдардын үй-бүлөлүк жана мүлктүк укуктары, кабыл алуу күнүн өткөрүү.
            Түшкү тамак жана чай берилет; жол кире акыркы күнү кайтарылат.
            """,
        "region": "Osh Region",
        "venue": "Өзгөн районунун маданият үйү, кичи зал",
        "address": "Ленин көчөсү, 12, Өзгөн",
        "start_in_days": 26, "days": 2, "hours": ("09:00", "17:00"),
        "capacity": 16, "mode": OPEN, "status": PUBLISHED,
        "lead": 2, "co": [],
        "applicants": 6,
    },
    {
        "programme": "ru-programme",
        "title": "Общественный мониторинг мест лишения свободы: тренинг в Душанбе",
        "description": """
            Три дня для членов мониторинговых групп и юристов НКО: гарантии первых часов
            задержания, визит в изолятор, отчёт и рекомендации. Обучение на русском языке.
            Проживание для участников из регионов оплачивается.
            """,
        "region": "Dushanbe city",
        "venue": "Учебный центр «Дусти», зал № 2",
        "address": "ул. Айни, 48, Душанбе",
        "start_in_days": 38, "days": 3, "hours": ("09:00", "17:00"),
        "capacity": 14, "mode": APPROVAL, "status": PUBLISHED,
        "lead": 1, "co": [3],
        "applicants": 8, "pending": 3,
    },
]  # fmt: skip

# Why staff turned an application down, by programme (the person reads it).
REJECTION_REASONS = {
    "women": [
        "This cohort is for women who already lead a group or an initiative in their village. "
        "We have kept your application for the next cohort.",
        "Your application came without the recommendation letter of your organisation. Please "
        "apply again with it for the next session.",
    ],
    "legal": [
        "The seats went to legal aid volunteers who already work in the border villages. We "
        "will write to you when the next session in the Osh valley opens.",
        "Your application came without the recommendation letter of your organisation. Please "
        "apply again with it for the next session.",
    ],
    "survivors": [
        "This advanced programme is for people who already give consultations to survivors "
        "every week. Thank you for your interest; we will invite you to the next cohort.",
    ],
    "ru-programme": [
        "В эту группу мы берём членов действующих мониторинговых групп. Ваша заявка сохранена: "
        "мы пригласим Вас, когда откроется набор новых наблюдателей.",
    ],
    "ky-programme": [
        "Бул тренинг өз айылында кабыл алуу күнүн өткөрө турган параюристтер үчүн. Арызыңыз "
        "сакталды: кийинки топко чакырабыз.",
    ],
}

# Debrief notes of the demo's finished role-play run, one per group (the facilitator's words).
DEBRIEF_NOTES = {
    "support-group": [
        "The leader opened with the agreement and the right to stay silent; the newcomer spoke "
        "only at the end, by her own choice. Malika's signal was noticed late, but the private "
        "talk after the circle was calm and left the decision to her.",
        "Advice-giving took over for ten minutes before the leader redirected it. The group "
        "named two phrases that helped: 'what helped you?' and 'you can pass'. Next time: "
        "agree on timekeeping before the opening round.",
        "A quiet group. The observers noted that the leader's tone slowed everyone down. "
        "Malika's signal was caught at once, and the referral card was offered without "
        "pressure. The group closed on time.",
        "The leader asked the newcomer a direct question too early and she said she must "
        "leave. In the replay she was welcomed with a nod instead, and stayed. A good "
        "discussion of where a group leader's role ends.",
    ],
}
