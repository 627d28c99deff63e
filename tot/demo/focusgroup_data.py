"""Fictional focus groups and the quotes collected in them. Any likeness to real people is chance.

Each quote carries its consent history: (consent, days after the focus group, how it was given),
first the consent recorded with the quote, then any change. The last entry is the consent now
("pending": its words were edited after publication, so it waits to be asked again). A quote ever
published says what its speaker agreed to show besides the words (`shown`), in a range of choices.
"""

from tot.focusgroups.models import Consent, NameShown, PlaceShown, Shown

INTERNAL, ANONYMOUS, NAMED = Consent.INTERNAL, Consent.ANONYMOUS, Consent.NAMED
PENDING = Consent.PENDING
FIRST_NAME, PSEUDONYM = NameShown.FIRST_NAME, NameShown.PSEUDONYM
COUNTRY, REGION = PlaceShown.COUNTRY, PlaceShown.REGION

THEMES = [
    "confidence", "leadership", "networking", "legal skills", "rehabilitation", "community",
    "safety",
]  # fmt: skip

SIGNED = "Signed consent form at the focus group, after the quote was read back"
VERBAL = "Verbal consent at the focus group, noted by the facilitator in front of the speaker"
PHONE = "Confirmed by phone after the facilitator read the final text back"
MESSAGE = "Written consent by message, after reading the final text"
TEAM_ONLY = "Agreed at the focus group: for the team's learning only, not to be published"
WITHDRAWN = "Withdrawn by phone to the facilitator: to be used inside the team only"
WORDS_EDITED = ""  # the platform asks again when the words change; nothing was given yet

# region: where the focus group met; programme: key of the programme it looked back on;
# after_session: link it to an earlier session of that programme in the same country, if any.
FOCUS_GROUPS = [
    {
        "region": "Osh Region",
        "programme": "women",
        "after_session": True,
        "days_ago": 47,
        "attendees": {"women": 9, "men": 0, "other_genders": 0},
        "notes": "Met in the community centre of a village near Uzgen. Two participants brought "
        "small children; a volunteer kept a play corner. The change named most often: women now "
        "speak at village meetings.",
        "quotes": [
            {"speaker": "Gulnara", "age": 41, "occupation": "school teacher",
             "region": "Osh Region", "themes": ["confidence", "community", "leadership"],
             "text": "Before the training I spoke at the village meeting only to agree with "
             "others. Last month I asked the council why the road to the school is still not "
             "repaired, and two other women stood up after me.",
             "consent": [(NAMED, 0, SIGNED)], "featured": True,
             "shown": Shown(FIRST_NAME, age_band=True, occupation=True, place=COUNTRY)},
            {"speaker": "Aigul", "age": 29, "occupation": "nurse",
             "region": "Osh city", "themes": ["leadership"],
             "text": "I learned that a leader can also be the one who listens. In my clinic I now "
             "ask the younger nurses what they think before I decide.",
             "consent": [(ANONYMOUS, 0, VERBAL)],
             "shown": Shown(occupation=True, place=REGION)},
            {"speaker": "Nazira", "age": 35, "occupation": "village council member",
             "region": "Jalal-Abad Region", "themes": ["confidence", "safety"],
             "text": "My husband's family did not like it that I went to the training. Now they "
             "see that neighbours come to me for advice, and they have become quieter.",
             "consent": [(NAMED, 0, SIGNED), (INTERNAL, 19, WITHDRAWN)],
             "shown": Shown(FIRST_NAME, occupation=True, place=REGION)},
        ],
    },
    {
        "region": "Sughd Region",
        "programme": "legal",
        "after_session": False,
        "days_ago": 76,
        "attendees": {"women": 6, "men": 5, "other_genders": 0},
        "notes": "Graduates from Khujand and Isfara; most have already run at least one cascade "
        "session for paralegals. They asked for a follow-up on court monitoring.",
        "quotes": [
            {"speaker": "Farrukh", "age": 27, "occupation": "young lawyer",
             "region": "Sughd Region", "themes": ["confidence", "legal skills"],
             "text": "I knew the articles of the code by heart, but I did not know how to talk to "
             "a frightened mother. Now I start with a cup of tea and with listening.",
             "consent": [(NAMED, 2, PHONE)], "featured": True,
             "shown": Shown(FIRST_NAME, occupation=True, place=REGION)},
            {"speaker": "Dilbar", "age": 38, "occupation": "paralegal",
             "region": "Sughd Region", "themes": ["networking"],
             "text": "Our graduates' group chat is the most useful thing I took home. When I do "
             "not know an answer, someone from another district replies within the hour.",
             "consent": [(ANONYMOUS, 0, VERBAL)],
             "shown": Shown(age_band=True, place=COUNTRY)},
            {"speaker": "Shahlo", "age": 45, "occupation": "school director",
             "region": "Sughd Region", "themes": ["legal skills", "safety"],
             "text": "In our district people were told not to come to our consultations. After "
             "the training we wrote down every case carefully, and now the prosecutor's office "
             "has our list of complaints.",
             "consent": [(INTERNAL, 0, TEAM_ONLY)]},
            {"speaker": "Rustam", "age": 52, "occupation": "mahalla committee member",
             "region": "Sughd Region", "themes": ["community", "legal skills"],
             "text": "I used to think human rights were a matter for the capital. Now neighbours "
             "bring me their land papers, and I know where to send them.",
             "consent": [(NAMED, 5, MESSAGE), (PENDING, 21, WORDS_EDITED)],
             "shown": Shown(FIRST_NAME, age_band=True, place=REGION)},
        ],
    },
    {
        "region": "Khatlon Region",
        "programme": "survivors",
        "after_session": False,
        "days_ago": 138,
        "attendees": {"women": 5, "men": 2, "other_genders": 0},
        "notes": "A small group, held with a psychologist present. Nobody was asked about their "
        "own experience; two participants left early, as agreed beforehand.",
        "quotes": [
            {"speaker": "Zebo", "age": 44, "occupation": "social worker",
             "region": "Khatlon Region", "themes": ["rehabilitation", "safety"],
             "text": "The most important thing I learned: I do not need the whole story. I ask "
             "what the person needs today, and I know whom to call for a doctor and a lawyer.",
             "consent": [(ANONYMOUS, 3, PHONE)], "shown": Shown()},
            {"speaker": "Parvina", "age": 33, "occupation": "psychologist",
             "region": "Khatlon Region", "themes": ["community", "rehabilitation"],
             "text": "We started a small support group in our district. Nobody talks about the "
             "past unless they want to. We drink tea and plan the coming week together.",
             "consent": [(NAMED, 0, SIGNED)],
             "shown": Shown(PSEUDONYM, "Malika", occupation=True, place=COUNTRY)},
            {"speaker": "Mavjuda", "age": 50, "occupation": "nurse",
             "region": "Khatlon Region", "themes": ["safety"],
             "text": "After a heavy conversation I still sleep badly for days. The self-care "
             "session helped, but I need regular supervision, not only one lesson.",
             "consent": [(INTERNAL, 0, TEAM_ONLY)]},
        ],
    },
    {
        "region": "Naryn Region",
        "programme": "women",
        "after_session": False,
        "days_ago": 104,
        "attendees": {"women": 7, "men": 3, "other_genders": 0},
        "notes": "Held in Kyrgyz and Russian; the group asked for materials in Kyrgyz. Snow "
        "closed the pass the day before, so three invited graduates could not come.",
        "quotes": [
            {"speaker": "Bermet", "age": 24, "occupation": "youth worker",
             "region": "Naryn Region", "themes": ["confidence", "leadership"],
             "text": "I was the youngest and thought nobody would listen to me. In the role-play "
             "I chaired the meeting, and it worked. Now I chair our youth committee for real.",
             "consent": [(NAMED, 0, SIGNED)],
             "shown": Shown(FIRST_NAME, age_band=True, place=REGION)},
            {"speaker": "Cholpon", "age": 47, "occupation": "village council member",
             "region": "Naryn Region", "themes": ["community", "leadership"],
             "text": "The men on our council laughed when we proposed a budget hearing for "
             "women. We prepared the way we practised at the training, and the hearing took "
             "place in spring.",
             "consent": [(ANONYMOUS, 1, PHONE)],
             "shown": Shown(age_band=True, place=COUNTRY)},
            {"speaker": "Ulan", "age": 31, "occupation": "lawyer",
             "region": "Naryn Region", "themes": ["legal skills"],
             "text": "Some exercises were made for the city. In our villages people will not "
             "speak about the family in a mixed group; we need separate groups first.",
             "consent": [(INTERNAL, 0, TEAM_ONLY)]},
        ],
    },
    {
        "region": "Bishkek city",
        "programme": "legal",
        "after_session": True,
        "days_ago": 33,
        "attendees": {"women": 4, "men": 4, "other_genders": 1},
        "notes": "Lawyers and social workers who refer clients to each other. They agreed to "
        "meet every three months and to keep one shared list of services.",
        "quotes": [
            {"speaker": "Temirlan", "age": 30, "occupation": "young lawyer",
             "region": "Bishkek city", "themes": ["networking", "rehabilitation"],
             "text": "For the first time lawyers and social workers sat at one table. When a "
             "client comes to me after detention, I now know a social worker who can see her "
             "the same day.",
             "consent": [(NAMED, 0, SIGNED)],
             "shown": Shown(FIRST_NAME, occupation=True, place=REGION)},
            {"speaker": "Asel", "age": 36, "occupation": "history teacher",
             "region": "Chüy Region", "themes": ["community", "legal skills"],
             "text": "After the training I gave my pupils a lesson on the rights of a detained "
             "person. One boy explained them to his father that same evening.",
             "consent": [(ANONYMOUS, 4, MESSAGE)], "shown": Shown(occupation=True)},
            {"speaker": "Kanykei", "age": 26, "occupation": "social worker",
             "region": "Bishkek city", "themes": ["confidence", "networking"],
             "text": "Я поняла, что я не одна. Теперь у меня есть люди, которым можно "
             "позвонить, когда трудно.",
             "consent": [(ANONYMOUS, 0, VERBAL)],
             "shown": Shown(age_band=True, occupation=True, place=REGION)},
        ],
    },
]  # fmt: skip
