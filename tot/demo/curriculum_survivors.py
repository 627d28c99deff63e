"""Demo programmes: the advanced survivors' TOT, and a draft that staff are still writing.

Plain data, built by tot.demo.curriculum. Questions are (kind, text, choices); a choice starting
with "*" is a correct one.
"""

from tot.curriculum.models import ActivityKind, Level
from tot.i18n import Language

THEORY, DISCUSSION, CHECK, ROLE_PLAY = (
    ActivityKind.THEORY,
    ActivityKind.DISCUSSION,
    ActivityKind.KNOWLEDGE_CHECK,
    ActivityKind.ROLE_PLAY,
)

MODULE_TRAUMA = {
    "title": "Trauma-informed practice with survivors",
    "estimated_minutes": 120,
    "objectives": """
        - Apply trauma-informed principles in legal, medical and psychological support.
        - Recognise signs of secondary trauma in yourself and your team.
        - Build a referral network around a survivor, with the survivor in charge.
        """,
    "activities": [
        {
            "kind": THEORY,
            "title": "Trauma-informed principles",
            "body": """
                # Why it matters

                People who survived torture may find some questions, rooms or uniforms hard to
                bear. A trauma-informed helper does not need to know everything that happened;
                they need to make the next hour safe.

                # In practice

                - Explain each step before you take it, and ask permission.
                - Offer choices: where to sit, when to pause, who else is present.
                - Ask only what you need for the task; write it down once.
                - Work as a team: lawyer, doctor and psychologist agree who asks what.

                # Caring for the helper

                Tiredness, numbness or sleeplessness after hard cases are common signs of
                **secondary trauma**. Supervision, peer support and rest are part of the work,
                not a luxury.
                """,
            "resources": [
                ("Self-care plan for helpers", "https://example.org/tot/self-care"),
                ("Referral network template", "https://example.org/tot/referral-network"),
            ],
        },
        {
            "kind": DISCUSSION,
            "title": "Caring for the helper",
            "body": """
                What do you notice in yourself after a difficult case? Name one thing that helps
                you recover, and one thing your organisation could do to support its team.
                """,
        },
        {
            "kind": CHECK,
            "title": "Check: trauma-informed practice",
            "body": "Three questions. You need 70% to pass.",
            "pass_mark": 70,
            "questions": [
                (
                    "multiple",
                    "Which are trauma-informed practices? Choose all that apply.",
                    [
                        "*Explaining each step before taking it",
                        "*Offering choices about the setting and pauses",
                        "Asking for every detail, to be thorough",
                        "*Agreeing in the team who asks which questions",
                    ],
                ),
                (
                    "single",
                    "A colleague has slept badly for weeks since a hard case. This may be…",
                    ["weakness", "*a sign of secondary trauma", "unrelated to work"],
                ),
                (
                    "single",
                    "Who leads decisions in a survivor's referral network?",
                    ["The lawyer", "The doctor", "*The survivor"],
                ),
            ],
        },
    ],
}

MODULE_ADVOCACY = {
    "title": "Speaking up: advocacy and the media",
    "estimated_minutes": 90,
    "objectives": """
        - Prepare three key messages for 26 June, the International Day in Support of Victims
          of Torture.
        - Speak about torture responsibly: consent, anonymity, no graphic detail.
        - Handle hostile questions in an interview.
        """,
    "activities": [
        {
            "kind": THEORY,
            "title": "Speaking about torture responsibly",
            "body": """
                # Consent first

                A survivor's story belongs to the survivor. Tell it only with informed consent,
                and change or remove details that could identify them.

                # Key messages

                Prepare three short messages and repeat each one. For example:

                1. Torture is forbidden always, with no exceptions.
                2. Every detained person has the right to a lawyer and a doctor.
                3. Free help exists: here is where to find it.

                # Bridging

                When a question leads away from your messages, answer briefly and return:
                *"What matters most for your listeners is…"*
                """,
            "resources": [("Media tips for 26 June (demo)", "https://example.org/tot/26-june")],
        },
        {
            "kind": ROLE_PLAY,
            "title": "Role-play: on air on 26 June",
            "body": "A live radio interview with a call-in. Read the situation and your role card.",
            "scenario": "radio-26-june",
        },
        {
            "kind": DISCUSSION,
            "title": "Three messages for my region",
            "body": """
                Write the three key messages you would give on local radio or television in your
                region on 26 June. Who is your audience, and what do you want them to do?
                """,
        },
    ],
}

SURVIVORS = {
    "key": "survivors",
    "title": "Supporting Survivors of Torture: Advanced TOT",
    "summary": """
        An advanced training of trainers on trauma-informed support of survivors of torture and
        their families, teamwork between lawyers, doctors and psychologists, and responsible
        public advocacy.
        """,
    "audience": """
        Graduates of the Human Rights and Legal Aid TOT who already work with survivors or their
        families.
        """,
    "level": Level.ADVANCED,
    "delivery_language": Language.RUSSIAN,
    "published": True,
    "prerequisite": "legal",
    "modules": [MODULE_TRAUMA, MODULE_ADVOCACY],
}

CONFLICT_SENSITIVITY = {
    "key": "draft",
    "title": "Conflict Sensitivity in Border Villages TOT",
    "summary": """
        Draft: a training of trainers for community leaders in border villages on shared
        resources, rumours and dialogue.
        """,
    "audience": "Community leaders, teachers and youth workers of border villages.",
    "level": Level.INTERMEDIATE,
    "delivery_language": Language.KYRGYZ,
    "published": False,
    "prerequisite": None,
    "modules": [
        {
            "title": "Understanding conflict over shared resources",
            "estimated_minutes": 60,
            "objectives": "- Map who uses water and land, when, and under which agreements.",
            "activities": [
                {
                    "kind": THEORY,
                    "title": "Mapping a shared resource",
                    "body": "# Draft\n\nText to be written: a resource map exercise.",
                },
                {
                    "kind": DISCUSSION,
                    "title": "The resource my village shares",
                    "body": "Which resource does your village share with neighbours, and how?",
                },
            ],
        },
        {
            "title": "Facilitating community dialogue",
            "estimated_minutes": 90,
            "objectives": "- Plan and chair a village meeting after a crisis.",
            "activities": [
                {
                    "kind": THEORY,
                    "title": "Chairing a tense meeting",
                    "body": "# Draft\n\nOutline: purpose, ground rules, acknowledging, next steps.",
                },
                {
                    "kind": ROLE_PLAY,
                    "title": "Role-play: after the clashes",
                    "body": "Practise opening and closing a village meeting.",
                    "scenario": "after-clashes",
                },
            ],
        },
    ],
}
