"""Demo programme "Human Rights and Legal Aid TOT": plain data, built by tot.demo.curriculum.

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

MODULE_FOUNDATIONS = {
    "title": "Human rights foundations for legal aid",
    "estimated_minutes": 90,
    "objectives": """
        - Explain what makes a right a human right, and what the state owes.
        - Connect a client's everyday problem to the right and the obligation behind it.
        - Know the main treaties Kyrgyzstan and Tajikistan have joined.
        """,
    "activities": [
        {
            "kind": THEORY,
            "title": "Human rights in everyday legal work",
            "body": """
                # What makes a right a human right

                Human rights belong to every person because they are human. They are
                **universal**, cannot be taken away, and depend on one another: the right to a
                fair trial protects the right to liberty.

                # Three obligations of the state

                1. **Respect**: not to violate rights itself.
                2. **Protect**: to prevent others from violating them.
                3. **Fulfil**: to create the conditions to enjoy them, for example free legal aid.

                # Treaties

                Both countries are parties to the International Covenant on Civil and Political
                Rights, the Convention against Torture and the Convention on the Elimination of
                All Forms of Discrimination against Women. Their national laws on free legal aid
                put these promises into practice; NGO legal clinics complement them.
                """,
            "resources": [
                ("Plain-language summary of the main treaties", "https://example.org/tot/treaties"),
                ("Exercise: from problem to right", "https://example.org/tot/problem-to-right"),
            ],
        },
        {
            "kind": CHECK,
            "title": "Check: rights and obligations",
            "body": "Three questions. You need 70% to pass.",
            "pass_mark": 70,
            "questions": [
                (
                    "multiple",
                    "Which are obligations of the state? Choose all that apply.",
                    ["*Respect", "*Protect", "*Fulfil", "Forgive"],
                ),
                (
                    "single",
                    "A court refuses to appoint a lawyer to a person who cannot pay. Which "
                    "obligation is at stake first?",
                    ["*Fulfil", "Respect", "None: legal aid is charity"],
                ),
                (
                    "single",
                    "Human rights belong to a person because…",
                    [
                        "they are a citizen",
                        "*they are human",
                        "they have paid their taxes",
                        "a court has recognised them",
                    ],
                ),
            ],
        },
        {
            "kind": DISCUSSION,
            "title": "A right that matters in my community",
            "body": """
                Choose one right that people in your community most often struggle to enjoy.
                Describe a typical situation (without real names) and the obligation of the state
                behind it.
                """,
        },
    ],
}

MODULE_CONSULTATION = {
    "title": "The first consultation",
    "estimated_minutes": 120,
    "objectives": """
        - Lead a client-centred consultation from welcome to agreed next steps.
        - Respond to an allegation of torture: medical examination, careful records, safety.
        - Explain risks honestly and never promise an outcome.
        """,
    "activities": [
        {
            "kind": THEORY,
            "title": "A client-centred consultation",
            "body": """
                # Seven steps

                1. Welcome; say how long you have and what confidentiality means.
                2. Listen to the whole story before asking questions.
                3. Clarify facts, dates and documents.
                4. Explain the law and the options in plain words.
                5. Discuss risks and the client's priorities.
                6. Agree next steps: who does what by when.
                7. Close: contacts, the next meeting, referral for other needs.

                # When a client alleges torture or ill-treatment

                - Ask about health and medical help; do not ask for painful detail you do not need.
                - Request an **independent medical examination** quickly: evidence fades.
                - Keep careful notes: dates, places, names the client gives, who saw what.
                - The Istanbul Protocol is the international guide to documenting torture.
                - The client decides whether to complain, after hearing the risks.
                """,
            "resources": [
                ("Consultation checklist", "https://example.org/tot/consultation-checklist"),
                ("Istanbul Protocol: a short introduction", "https://example.org/tot/istanbul"),
            ],
        },
        {
            "kind": ROLE_PLAY,
            "title": "Role-play: a family asks for help",
            "body": """
                You will play a consultation with the family of a detained young man. Read the
                situation and your role card before the session.
                """,
            "scenario": "detainee-family",
        },
        {
            "kind": DISCUSSION,
            "title": "Listening without judgement",
            "body": """
                Recall a moment, in a consultation or in daily life, when you wanted to judge or
                correct someone who was telling you a difficult story. What did you do? What
                would you do now?
                """,
        },
        {
            "kind": CHECK,
            "title": "Check: consultation and documentation",
            "body": "Four questions. You need 75% to pass.",
            "pass_mark": 75,
            "questions": [
                (
                    "single",
                    "A family asks you to promise that their son will be released. You…",
                    [
                        "promise, so that they trust you",
                        "*explain what you can do and what you cannot control",
                        "end the meeting",
                    ],
                ),
                (
                    "single",
                    "Why request a medical examination quickly after alleged ill-treatment?",
                    [
                        "*Because physical evidence fades with time",
                        "Because the law forbids it after a week",
                        "Because doctors are busy later in the month",
                    ],
                ),
                (
                    "multiple",
                    "What belongs in your notes? Choose all that apply.",
                    [
                        "*Dates and places",
                        "*Names the client gives",
                        "*Who witnessed what",
                        "Your opinion of the client's character",
                    ],
                ),
                (
                    "single",
                    "Who decides whether to file a complaint?",
                    ["The lawyer", "*The client, after hearing the risks", "The client's family"],
                ),
            ],
        },
    ],
}

MODULE_COURT = {
    "title": "Court monitoring",
    "estimated_minutes": 90,
    "objectives": """
        - Know the fair-trial standards a monitor observes.
        - Record facts, not opinions, on a standard form.
        - Stay neutral and safe in and around the courtroom.
        """,
    "activities": [
        {
            "kind": THEORY,
            "title": "Fair-trial standards and the monitor's role",
            "body": """
                # What monitors look at

                - **Publicity**: can the public and the family enter?
                - **Time**: did the hearing start on time; how long was the person detained?
                - **Defence**: is a lawyer present; did the defendant have time to prepare?
                - **Language**: is an interpreter present when needed?
                - **Presumption of innocence**: how is the defendant treated and spoken about?

                # The monitor's code

                Monitors observe and record. They do not advise the parties, take sides, or speak
                to journalists inside the court. Reports are published only after review, without
                names of people who did not agree to be named.
                """,
            "resources": [("Monitoring form (demo)", "https://example.org/tot/monitoring-form")],
        },
        {
            "kind": ROLE_PLAY,
            "title": "Role-play: first day in court",
            "body": "A young lawyer's first monitoring visit, with a supervisor. Read your card.",
            "scenario": "court-monitoring",
        },
        {
            "kind": CHECK,
            "title": "Check: monitoring ethics",
            "body": "Two questions. You need 70% to pass.",
            "pass_mark": 70,
            "questions": [
                (
                    "single",
                    "Which note is an observation, not an opinion?",
                    [
                        "The judge was unfair",
                        "*The hearing started at 11:40, scheduled for 10:30",
                        "The prosecutor seemed lazy",
                    ],
                ),
                (
                    "multiple",
                    "A defendant's relative asks you for help in the corridor. Which answers fit "
                    "the monitor's code? Choose all that apply.",
                    [
                        "*Explain kindly that monitors observe and cannot take sides",
                        "*Tell her where free legal aid is available",
                        "Promise to speak to the judge",
                    ],
                ),
            ],
        },
    ],
}

MODULE_BORDER = {
    "title": "Legal aid in border communities",
    "estimated_minutes": 120,
    "objectives": """
        - Apply "do no harm" to legal aid in places of tension over land and water.
        - Practise mediation and community dialogue skills.
        - Recognise when a legal problem needs a community process as well.
        """,
    "activities": [
        {
            "kind": THEORY,
            "title": 'Conflict sensitivity and "do no harm"',
            "body": """
                # Every action sends a message

                In border villages, who a lawyer meets first, where a meeting is held and which
                language is spoken can be read as taking sides. Before acting, ask:

                - Who gains and who loses from what we do?
                - Does our work connect people, or divide them further?
                - Are women and young people part of the process?

                # Law and dialogue together

                Disputes over water and land often have a legal side (permits, schedules,
                contracts) and a relationship side. A lawyer who listens to both can help a
                community reach an agreement that lasts.
                """,
            "resources": [("Do no harm: a checklist", "https://example.org/tot/do-no-harm")],
        },
        {
            "kind": ROLE_PLAY,
            "title": "Role-play: water for two villages",
            "body": "Mediate a two-week agreement at a shared water point. Read your card.",
            "scenario": "water-point",
        },
        {
            "kind": ROLE_PLAY,
            "title": "Extra practice: a village meeting after clashes",
            "required": False,
            "body": "An optional longer game for groups that have time. Read your card.",
            "scenario": "after-clashes",
        },
        {
            "kind": DISCUSSION,
            "title": "Do no harm in my work",
            "body": """
                Think of your own legal aid or community work. Name one habit that could be read
                as taking sides, and one change you will make.
                """,
        },
    ],
}

LEGAL_AID = {
    "key": "legal",
    "title": "Human Rights and Legal Aid TOT",
    "summary": """
        A training of trainers for lawyers, paralegals and activists who give legal aid: human
        rights foundations, the client-centred consultation, court monitoring and legal aid in
        border communities.
        """,
    "audience": """
        Lawyers, law graduates, paralegals and legal aid volunteers of NGOs who will train
        colleagues and community paralegals.
        """,
    "level": Level.INTERMEDIATE,
    "delivery_language": Language.RUSSIAN,
    "published": True,
    "prerequisite": None,
    "modules": [MODULE_FOUNDATIONS, MODULE_CONSULTATION, MODULE_COURT, MODULE_BORDER],
}
