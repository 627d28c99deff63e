"""Demo role-plays about legal aid, court monitoring and speaking up for survivors of torture.

Fictional: every person, organisation and event is invented; only the cities are real. The texts
never describe violence: the games practise listening, explaining rights and protecting people.
Roles are (name, public description, private brief).
"""

DETAINEE_FAMILY = {
    "key": "detainee-family",
    "title": "A family asks for help after an arrest",
    "tags": ["legal aid", "torture victims"],
    "group_min": 3,
    "group_max": 5,
    "duration_minutes": 50,
    "situation": """
        Monday morning at a small legal aid office in **Jalal-Abad**. Gulnara, a woman in her
        fifties, arrives with her younger son. Her elder son, Timur (24), was detained four days
        ago, suspected of a theft at the bazaar. During a short visit yesterday Timur told his
        mother that officers had hurt him during questioning so that he would sign a statement.
        He held his arm stiffly and asked her to "find a real lawyer".

        - The family has already paid a man who promised to "solve the problem" through
          acquaintances; he no longer answers his phone.
        - Gulnara is afraid that a complaint will make things worse for her son.
        - The lawyer has forty minutes before a hearing in another case.

        *All names and events are fictional.*
        """,
    "objectives": """
        - Listen to the family's account without pressure, interruption or judgement.
        - Explain in plain words the rights of a detained person: a lawyer of his choice, an
          independent medical examination, the right to complain about ill-treatment.
        - Agree on concrete next steps (a lawyer's visit, a request for a medical examination,
          careful notes) and on who does what by when.
        - Discuss the risks of a complaint honestly and respect the family's informed decision.
        - Offer psychosocial support to the family, and notice your own stress.
        """,
    "checklist": [
        "The lawyer introduced themself, explained confidentiality and how long the meeting lasts",
        "The family told their story without being interrupted or doubted",
        "The lawyer asked about health and medical help without asking for painful detail",
        "Rights were explained in plain language, without legal jargon",
        "The risks of a complaint were discussed honestly; the decision stayed with the family",
        "No promise of an outcome was made",
        "Next steps were agreed: who, what and by when",
        "The family was offered psychosocial support",
    ],
    "debrief": [
        "What helped the mother feel safe enough to speak, and what made it harder?",
        "How did the lawyer balance urgency (medical evidence fades) and the family's fear?",
        "Which words did the lawyer use to explain rights? Which would you change?",
        "What did the brother need, and how was his wish to go public handled?",
        "What will you take from this consultation into your own practice?",
    ],
    "roles": [
        (
            "Legal aid lawyer",
            "A lawyer at the legal aid office, two years in practice. You lead the consultation.",
            "You have handled two similar cases: in one, the complaint led to an investigation; "
            "in the other, the client withdrew it under pressure. You know that a medical "
            "examination loses value with every day that passes, and you are short of time. "
            "Notice the wish to rush. Do not promise an outcome you cannot control.",
        ),
        (
            "Gulnara, the mother",
            "Mother of the detained young man. She came at opening time and has hardly slept.",
            "You are ashamed that you gave most of your savings to a 'fixer'. You mention it only "
            "if the lawyer makes you feel you will not be judged. A neighbour told you that "
            "complaining 'makes them angrier', so a complaint frightens you. You want your son "
            "home today, and you will ask the lawyer to promise it.",
        ),
        (
            "Daniyar, the younger brother",
            "Nineteen, a student. He drove his mother to the office.",
            "After the visit you wrote down the date, the time and the names of two officers you "
            "heard in the corridor. You want to post about the case on social media today: you "
            "believe publicity is the only protection. You are angry and may interrupt. You calm "
            "down if someone takes your notes seriously.",
        ),
        (
            "Paralegal",
            "Takes notes during the consultation and prepares the forms.",
            "If the lawyer has not asked within ten minutes whether Timur has seen a doctor, raise "
            "it gently. You know that the office's partner psychologist has free hours this week "
            "and can meet the mother, in Kyrgyz or Russian.",
        ),
    ],
}

COURT_MONITORING = {
    "key": "court-monitoring",
    "title": "First day in court: monitoring a hearing with a supervisor",
    "tags": ["court monitoring", "legal aid"],
    "group_min": 3,
    "group_max": 4,
    "duration_minutes": 45,
    "situation": """
        Aigerim graduated in law last year and has joined the trial-monitoring project of a
        human-rights NGO in **Bishkek**. Today she attends her first hearing as a monitor, at a
        district court, together with her supervisor.

        The case: a man accused of fraud says that his first statement was taken without a lawyer.
        The hearing starts an hour late. The court secretary asks the monitors who they are, and
        in the corridor a relative of the defendant asks them for help.

        *All names and events are fictional.*
        """,
    "objectives": """
        - Enter a courtroom calmly and explain the monitor's role: hearings are public.
        - Stay neutral: observe and record, never advise or take sides.
        - Record facts (time, who is present, what happens), not opinions.
        - Notice fair-trial issues such as a missing interpreter or lawyer.
        - Practise coaching: the supervisor helps the new monitor learn, not perform.
        """,
    "checklist": [
        "The monitors introduced themselves politely and showed their identity documents",
        "The monitor stayed neutral and explained her role to the relative",
        "Notes were factual (times, people present, events), not opinions",
        "The missing interpreter was noticed and recorded",
        "The supervisor coached with questions instead of taking over",
        "The relative was told where she can get free legal help",
    ],
    "debrief": [
        "What is the difference between an observation and an opinion? Give one example.",
        "How did the monitor stay neutral while being kind to the relative?",
        "What did the supervisor do that helped learning? What could they do differently?",
        "Which fair-trial standards were at stake in this hearing?",
        "What will you check before your own first monitoring visit?",
    ],
    "roles": [
        (
            "Aigerim, the new monitor",
            "First monitoring visit. She has the observation form and a notebook.",
            "You are nervous and want to prove yourself. You notice that the defendant seems not "
            "to understand Russian well and no interpreter is present; you are unsure whether it "
            "is 'too small' to note. When the relative asks for your phone number, you want to "
            "help her.",
        ),
        (
            "The supervisor",
            "Senior monitor with eight years of experience.",
            "Your job today is to coach, not to take over. Let Aigerim lead unless she is about to "
            "break the monitors' code: neutrality, no advice to the parties, no comments to "
            "journalists inside the court. After the hearing, ask her what she noticed before you "
            "say what you noticed.",
        ),
        (
            "Court secretary",
            "Manages the list of hearings and who enters the courtroom.",
            "Three hearings are scheduled at the same time and you are overworked. You distrust "
            "NGOs with notebooks and will ask for 'written permission from the judge', although "
            "hearings are public. If the monitors stay calm, show identity documents and explain "
            "politely, you let them in.",
        ),
        (
            "The defendant's sister",
            "Has waited in the corridor since the morning.",
            "You believe your brother is innocent and want the monitors to 'tell the judge'. You "
            "ask for their phone numbers and want to photograph their form. You are exhausted and "
            "close to tears: you need kindness, even though the monitors cannot take sides.",
        ),
    ],
}

RADIO_INTERVIEW = {
    "key": "radio-26-june",
    "title": "On air on 26 June: a radio interview",
    "tags": ["media", "torture victims"],
    "group_min": 3,
    "group_max": 4,
    "duration_minutes": 40,
    "situation": """
        It is **26 June**, the International Day in Support of Victims of Torture. A community
        radio station in **Khujand**, "Vodiy FM" (fictional), invites a spokesperson of a
        coalition of NGOs to a fifteen-minute live interview in its morning programme, followed by
        listeners' calls.

        The coalition wants to explain what torture is, which rights people have in custody, and
        where survivors and families can get free legal, medical and psychological help. Last
        month a case of alleged ill-treatment in custody was widely discussed on social media; the
        family has asked the coalition not to mention their names or details.

        *All names and events are fictional.*
        """,
    "objectives": """
        - Deliver three key messages in plain words, each more than once.
        - Protect the confidentiality of survivors and families under pressure.
        - Answer a worried caller with care and practical next steps.
        - Bridge from difficult or hostile questions back to the messages.
        """,
    "checklist": [
        "The key messages were clear and repeated",
        "The family's confidentiality was protected when the host pushed for details",
        "Language was plain and respectful, with no graphic description",
        "The hotline and the places of help were given clearly",
        "The caller was answered with care, without being asked for a name",
        "Difficult questions were bridged back to the messages",
    ],
    "debrief": [
        "Which message would a listener remember tomorrow? Why?",
        "How did the spokesperson handle the push for a 'real story'?",
        "How did the answer to the caller balance empathy and information?",
        "What would you do differently with less time to prepare?",
        "How can we speak for survivors without speaking over them?",
    ],
    "roles": [
        (
            "NGO spokesperson",
            "A lawyer and trainer of the coalition, with three key messages prepared.",
            "The family from last month's case has not agreed to their story being told: do not "
            "confirm names or details, however hard you are pressed. You have a card with the "
            "hotline number and the addresses of the coalition's offices in Khujand and Dushanbe.",
        ),
        (
            "Radio host",
            "A popular morning host, lively and quick.",
            "Your producer says listeners stay for a 'real story'. Ask twice for details of last "
            "month's case. Ask also: 'Aren't you just making our police look bad?' You are fair: "
            "when the guest answers well, you let her finish her point.",
        ),
        (
            "Caller",
            "A listener who phones in during the programme.",
            "Your cousin was held for two days last year and came home 'not himself'; he does not "
            "want to talk about it. Ask, carefully, what the family can do now and whether it is "
            "too late to complain. You do not want to say your name on air.",
        ),
        (
            "Producer",
            "Runs the studio and the call-in line, and keeps time.",
            "Signal 'two minutes left' at minute twelve. Write down any person's name said on air "
            "for the debrief. After the interview, ask the guest for a short text with the hotline "
            "number for the station's website.",
        ),
    ],
}

JUSTICE_SCENARIOS = [DETAINEE_FAMILY, COURT_MONITORING, RADIO_INTERVIEW]
