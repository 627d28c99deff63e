"""Demo programme "Women's Leadership TOT": plain data, built by tot.demo.curriculum.

Questions are (kind, text, choices); a choice starting with "*" is a correct one.
"""

from tot.curriculum.models import ActivityKind, Level
from tot.i18n import Language

THEORY, DISCUSSION, CHECK, ROLE_PLAY = (
    ActivityKind.THEORY,
    ActivityKind.DISCUSSION,
    ActivityKind.KNOWLEDGE_CHECK,
    ActivityKind.ROLE_PLAY,
)

MODULE_STORY = {
    "title": "Leadership starts with your own story",
    "estimated_minutes": 60,
    "objectives": """
        By the end of this module you can:

        - describe leadership as influence and service, not a title;
        - name your own strengths and the people who support you;
        - recognise the barriers women leaders meet in your community.
        """,
    "activities": [
        {
            "kind": THEORY,
            "title": "What is leadership?",
            "body": """
                # Leadership is something you do

                In many villages and towns the word *leader* brings to mind a man with an office.
                Yet most change in a community starts with someone who notices a problem and
                brings people together: a teacher, a nurse, a neighbour.

                # Three sources of influence

                1. **Trust**: people follow those who keep their word.
                2. **Knowledge**: knowing your rights and where to find help.
                3. **Relationships**: knowing who can open a door.

                # Barriers women meet

                - Unpaid work at home leaves little time for meetings.
                - Families or neighbours may say public life "is not for women".
                - Women are interrupted or not invited where decisions are made.

                A trainer's task is to make these barriers visible and to practise ways around
                them, together, without blaming the women who meet them.
                """,
            "resources": [
                ("Facilitator's glossary of leadership words", "https://example.org/tot/glossary"),
                ("Exercise: the river of my life", "https://example.org/tot/river-of-life"),
            ],
        },
        {
            "kind": DISCUSSION,
            "title": "A woman who led without a title",
            "body": """
                Think of a woman in your family or community who changed something without an
                official position.

                - What did she do?
                - Why did people follow her?
                - What could you learn from her for your own work?

                Write four to six sentences.
                """,
        },
        {
            "kind": CHECK,
            "title": "Check: leadership basics",
            "body": "Three short questions on this module. You need 70% to pass.",
            "pass_mark": 70,
            "questions": [
                (
                    "single",
                    "Which statement best matches the idea of leadership in this module?",
                    [
                        "*Leadership is influence: bringing people together to change something",
                        "Leadership belongs to those with an official position",
                        "Leadership is mostly about speaking loudly in meetings",
                    ],
                ),
                (
                    "multiple",
                    "Which of these are sources of influence? Choose all that apply.",
                    ["*Trust", "*Knowledge", "*Relationships", "Age alone"],
                ),
                (
                    "single",
                    "A woman says she has no time for the initiative group. What does a trainer "
                    "do first?",
                    [
                        "Tell her that leaders always find time",
                        "*Ask what takes her time and look together for a format that fits",
                        "Remove her from the group",
                    ],
                ),
            ],
        },
    ],
}

MODULE_RIGHTS = {
    "title": "Women's rights and protection from violence",
    "estimated_minutes": 90,
    "objectives": """
        - Explain, in plain words, what protection the law offers against violence at home.
        - Know the local places of help: crisis centres, hotlines, legal aid, health services.
        - Respond to a disclosure with belief, safety and referral, not advice.
        """,
    "activities": [
        {
            "kind": THEORY,
            "title": "Rights and protection orders",
            "body": """
                # What the law offers

                Kyrgyzstan and Tajikistan both have laws on preventing violence in the family.
                They allow the police to issue a **protection order**, and they oblige state bodies
                to refer survivors to help. Laws change: check the current text with a lawyer
                before you train others.

                # Places of help

                | Who | What they offer |
                |---|---|
                | Crisis centre | a safe place, a psychologist, group support |
                | Hotline | listening and referral, often anonymous |
                | Legal aid | free advice, documents, representation |
                | Health services | treatment and medical records |

                # When a woman tells you

                - **Believe** her and thank her for trusting you.
                - Ask what she needs and what would make her **safer** now.
                - Offer **referral**; let her decide. Never confront the person she fears.
                """,
            "resources": [
                ("Map of crisis centres (demo)", "https://example.org/tot/crisis-centres"),
                ("Safety planning card", "https://example.org/tot/safety-card"),
            ],
        },
        {
            "kind": THEORY,
            "title": "Further reading: myths and facts",
            "required": False,
            "body": """
                # Common myths

                - *"It is a private family matter."* Violence is a violation of rights and of
                  the law, wherever it happens.
                - *"She could just leave."* Leaving can be the most dangerous moment, and it
                  depends on money, housing, children and family support.
                - *"It happens only in poor families."* Violence happens in every kind of family.

                Use myths as a starting point for discussion, never to shame participants who
                once believed them.
                """,
        },
        {
            "kind": DISCUSSION,
            "title": "What helps a woman ask for help?",
            "body": """
                In your community, what makes it easier, or harder, for a woman to ask for help
                when she is not safe at home? Name one thing a trainer or an initiative group
                could change.
                """,
        },
        {
            "kind": CHECK,
            "title": "Check: protection and referral",
            "body": "Four questions. You need 75% to pass.",
            "pass_mark": 75,
            "questions": [
                (
                    "single",
                    "A neighbour tells you her husband threatens her. What do you do first?",
                    [
                        "*Believe her, ask what she needs and what would make her safer",
                        "Go and talk to her husband",
                        "Tell her to keep it in the family",
                    ],
                ),
                (
                    "multiple",
                    "Which of these can a survivor be referred to? Choose all that apply.",
                    ["*A crisis centre", "*A hotline", "*Free legal aid", "Her husband's family"],
                ),
                (
                    "single",
                    "Who decides which help a survivor accepts?",
                    ["The trainer", "*The survivor herself", "Her parents", "The police"],
                ),
                (
                    "single",
                    "Why should a trainer check the current text of a law before a training?",
                    [
                        "*Because laws are amended, and wrong information can put people at risk",
                        "Because participants expect a long lecture on law",
                    ],
                ),
            ],
        },
    ],
}

MODULE_GROUPS = {
    "title": "Leading safe groups",
    "estimated_minutes": 120,
    "objectives": """
        - Open and close a support group with a clear group agreement.
        - Use trauma-informed principles: safety, choice, trust, collaboration, empowerment.
        - Know the limits of your role and when to refer.
        """,
    "activities": [
        {
            "kind": THEORY,
            "title": "Principles of a safe group",
            "body": """
                # The group agreement

                Agree on it together at the first meeting and repeat it every time:

                - what is said here stays here (and its limits: a risk to life is shared with the
                  people who can help);
                - speaking is always optional;
                - we talk about our own experience and do not give orders to others.

                # Five principles

                1. **Safety**: a quiet room, a clear time, a known way out.
                2. **Choice**: every activity can be skipped.
                3. **Trust**: do what you said you would do.
                4. **Collaboration**: the group shapes its own themes.
                5. **Empowerment**: notice strengths, not only wounds.

                # Limits of the role

                A group leader is not a therapist. Keep the contacts of a psychologist and a
                hotline at hand, and have your own supervision.
                """,
            "resources": [("Sample group agreement", "https://example.org/tot/group-agreement")],
        },
        {
            "kind": ROLE_PLAY,
            "title": "Role-play: circle of trust",
            "body": """
                Prepare for the role-play in your session: read the situation and your role
                card. Nobody describes violence in this game, and you may step out at any time.
                """,
            "scenario": "support-group",
        },
        {
            "kind": DISCUSSION,
            "title": "After the support group role-play",
            "body": """
                What did you notice about yourself as a leader or a member of the group? Which
                sentence or gesture created safety? Which one would you change next time?
                """,
        },
    ],
}

MODULE_CASCADE = {
    "title": "Becoming a trainer: the cascade",
    "estimated_minutes": 90,
    "objectives": """
        - Plan a short training for your community using the learning cycle.
        - Adapt methods to the people in front of you: language, literacy, time.
        - Record your cascade training so that its results can be seen.
        """,
    "activities": [
        {
            "kind": THEORY,
            "title": "How adults learn",
            "body": """
                # The learning cycle

                Adults learn best from experience they can reflect on:

                1. **Do**: a role-play, a case, a game.
                2. **Reflect**: what happened? How did it feel?
                3. **Generalise**: what does it tell us?
                4. **Apply**: what will I do differently?

                # Planning a session

                - Start from what participants already know.
                - Alternate short input with practice; change the method every 20 minutes.
                - End with one concrete step each person will take.

                After your training, record it on the platform: date, region, topic and the
                number of participants by gender and age group.
                """,
            "resources": [("Training plan template", "https://example.org/tot/plan-template")],
        },
        {
            "kind": DISCUSSION,
            "title": "My first cascade training",
            "body": """
                Describe the first training you will deliver at home: who will come, where, for
                how long, and which one activity from this programme you will use.
                """,
        },
        {
            "kind": CHECK,
            "title": "Check: planning a training",
            "body": "Two questions. You need 70% to pass.",
            "pass_mark": 70,
            "questions": [
                (
                    "single",
                    "Which order follows the learning cycle?",
                    [
                        "Apply, do, reflect, generalise",
                        "*Do, reflect, generalise, apply",
                        "Generalise, do, apply, reflect",
                    ],
                ),
                (
                    "multiple",
                    "What should you record after a cascade training? Choose all that apply.",
                    [
                        "*The date and the region",
                        "*The topic",
                        "*The number of participants by gender and age group",
                        "Each participant's home address",
                    ],
                ),
            ],
        },
    ],
}

WOMENS_LEADERSHIP = {
    "key": "women",
    "title": "Women's Leadership TOT",
    "summary": """
        A training of trainers for women who lead change in their communities: your own
        leadership story, women's rights and protection from violence, leading safe groups, and
        passing it on through trainings of your own.
        """,
    "audience": """
        Women activists, members of women's initiative groups and crisis-centre volunteers in
        Kyrgyzstan and Tajikistan who will train others in their region. No legal background is
        needed.
        """,
    "level": Level.INTRODUCTORY,
    "delivery_language": Language.RUSSIAN,
    "published": True,
    "prerequisite": None,
    "modules": [MODULE_STORY, MODULE_RIGHTS, MODULE_GROUPS, MODULE_CASCADE],
}
