"""Fictional feedback forms, anonymous comments and self-assessment statements for the demo.

Comments are short, in participants' own words, and grouped by the mood of the answer sheet
they belong to, so that a warm sheet does not carry an angry comment. A few are in Russian.
"""

from typing import Any

from tot.feedback.models import QuestionKind

RATING, CHOICE, TEXT = QuestionKind.RATING, QuestionKind.CHOICE, QuestionKind.TEXT

# How often an answer sheet is warm, mixed or critical (weights).
MOODS = {"warm": 6, "mixed": 3, "critical": 1}

# The rating a sheet of each mood gives, drawn with these weights for 1, 2, 3, 4, 5.
RATING_WEIGHTS = {
    "warm": [0, 0, 1, 5, 6],
    "mixed": [0, 2, 5, 4, 1],
    "critical": [2, 4, 3, 1, 0],
}

ANONYMITY_NOTE = (
    "Your answers are anonymous. We keep only a note that you have answered, never which "
    "answers are yours, and results are shown only when enough people have answered. You may "
    "skip any question you prefer not to answer."
)

# Each question: kind, text, and by kind: labels for 1 and 5; options with weights; or the
# comments it draws from. Free-text questions are optional and often left empty.
STANDARD_FORM = {
    "title": "Session feedback (standard)",
    "intro": ANONYMITY_NOTE,
    "questions": [
        {"kind": RATING, "text": "How useful was this training for your work?",
         "low": "Not useful", "high": "Very useful"},
        {"kind": RATING, "text": "How safe did you feel to speak and to take part?",
         "low": "Not safe at all", "high": "Completely safe"},
        {"kind": RATING, "text": "How well did the facilitators explain and listen?",
         "low": "Poorly", "high": "Very well"},
        {"kind": RATING, "text": "How ready do you feel to run this training in your community?",
         "low": "Not ready yet", "high": "Fully ready"},
        {"kind": CHOICE, "text": "Which part of the training helped you most?",
         "options": {"Theory and presentations": 2, "Role-play games": 5,
                     "Group discussions": 4, "Talking with other participants": 2}},
        {"kind": TEXT, "text": "What will you use first in your own work or community?",
         "comments": "use first"},
        {"kind": TEXT, "text": "What should we change next time?", "comments": "change"},
    ],
}  # fmt: skip

SHORT_FORM = {
    "title": "Quick feedback (short)",
    "intro": ANONYMITY_NOTE,
    "questions": [
        {"kind": RATING, "text": "Overall, how useful was this training?",
         "low": "Not useful", "high": "Very useful"},
        {"kind": RATING, "text": "How respectful and safe was the atmosphere in the group?",
         "low": "Not at all", "high": "Fully"},
        {"kind": CHOICE, "text": "The length of the training was…",
         "options": {"Too short": 3, "About right": 6, "Too long": 1}},
        {"kind": TEXT, "text": "Anything else you would like the team to know?",
         "comments": "anything"},
    ],
}  # fmt: skip

FORMS: list[dict[str, Any]] = [STANDARD_FORM, SHORT_FORM]

# The share of answer sheets that fill in a free-text question.
COMMENT_RATE = 0.65

COMMENTS: dict[str, dict[str, list[str]]] = {
    "use first": {
        "warm": [
            "The role-play of the first consultation. I will run it with the paralegals in our "
            "district.",
            "How to open a meeting so that everyone speaks, not only the men in the front row.",
            "The checklist for writing down a complaint. Our office never had one.",
            "Asking permission before touching a painful topic. I did not know how much that "
            "matters.",
            "I will hold a small training for the women of our village council next month.",
            "Ground rules at the start. Simple, but it changed the whole day.",
            "Я проведу такую же игру с молодёжью в нашем айыл окмоту.",
            "The referral list: whom to call for a doctor, whom for a lawyer, whom for shelter.",
            "The river of life exercise. It needs no reading, so it works in every village.",
        ],
        "mixed": [
            "Maybe the part about fair-trial standards, after I read it again at home.",
            "Some exercises, but I have to adapt them for people who do not read well.",
            "The energisers. The legal part went too fast for me.",
            "Теорию про права задержанных, но мне нужно ещё раз всё повторить.",
        ],
        "critical": [
            "Hard to say yet. I need more practice before I train anyone.",
            "Not much yet; I would like a mentor for my first training.",
        ],
    },
    "change": {
        "warm": [
            "More time for role-play, less for slides.",
            "Please send the materials in Kyrgyz as well.",
            "Nothing to change. Maybe longer breaks, the room was hot.",
            "Invite a lawyer from the bar association to answer our questions.",
            "Больше практики и меньше теории, пожалуйста.",
            "A short follow-up call a month later would keep us going.",
        ],
        "mixed": [
            "The second day started late and we finished in a hurry.",
            "Some stories in the case studies were close to my own life. A warning before them "
            "would help.",
            "The venue was far from the bus station, which is hard for those of us from villages.",
            "Please print the handouts in a bigger font.",
        ],
        "critical": [
            "Too much for two days. I could not follow everything.",
            "The groups were too big for the role-play; not everyone had a turn.",
            "The Russian translation was not always clear.",
        ],
    },
    "anything": {
        "warm": [
            "Thank you. For the first time I felt that my experience counts.",
            "I made friends from three regions. We already have a group chat.",
            "Спасибо тренерам за терпение и уважение.",
            "The tea breaks were the best place to learn from each other.",
        ],
        "mixed": [
            "Good content, but the schedule changed twice and it was hard to arrange childcare.",
            "I would like a certificate in Kyrgyz too.",
        ],
        "critical": [
            "It was difficult to concentrate; the room was noisy.",
        ],
    },
}

# Self-assessment statements by programme key, each with how people typically rate it before
# the programme (1 to 5): harder things start lower.
ASSESSMENT_STATEMENTS: dict[str, list[tuple[str, float]]] = {
    "women": [
        ("I feel confident speaking in front of a group.", 2.6),
        ("I can plan and lead a meeting where everyone has a voice.", 2.3),
        ("I know how to raise an issue with our local council.", 2.0),
        ("I can support another woman to take up a leadership role.", 2.5),
    ],
    "legal": [
        ("I can explain the rights of a detained person.", 2.2),
        ("I can run a first consultation and write down the facts accurately.", 2.4),
        ("I know which legal aid services exist in my region and how to reach them.", 2.1),
        ("I can explain the basics of a fair trial to people in my community.", 1.9),
    ],
    "survivors": [
        ("I know where to refer a survivor for medical and legal help.", 2.6),
        ("I can listen to a survivor without pressing for details.", 2.8),
        ("I can explain to a survivor how we keep what they tell us confidential.", 2.7),
        ("I can document ill-treatment without asking a person to relive it.", 2.0),
        ("I notice signs of stress in myself and know how to look after myself.", 2.4),
    ],
    "ru-programme": [
        ("Я могу объяснить задержанному его права в первые часы задержания.", 2.3),
        ("Я знаю, как подготовить и провести мониторинговый визит в изолятор.", 1.8),
        ("Я умею поговорить с задержанным наедине так, чтобы ему не навредить.", 2.1),
        ("Я могу написать по итогам визита рекомендации, которые выполняют.", 1.9),
    ],
    "ky-programme": [
        ("Мен аялга анын үй-бүлөлүк укуктарын жөнөкөй тил менен түшүндүрө алам.", 2.4),
        ("Мен кайрылган адамдын сырын сактоонун жолдорун билем.", 2.7),
        ("Мен арыз жазууга жана керектүү адиске жөнөтүүгө жардам бере алам.", 2.2),
    ],
}
