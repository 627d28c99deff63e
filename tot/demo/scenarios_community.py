"""Demo role-plays about shared water, support groups for women and community dialogue.

Fictional: every person, village and event is invented; only regions and cities are real. Roles
are (name, public description, private brief). Games about violence or clashes practise safety,
listening and next steps; they never ask a player to describe harm.
"""

WATER_POINT = {
    "key": "water-point",
    "title": "Water for two villages: mediating at the distribution point",
    "tags": ["conflict and water", "community dialogue"],
    "group_min": 4,
    "group_max": 6,
    "duration_minutes": 60,
    "situation": """
        Sary-Bulak, a fictional village in **Batken Region**, lies a few kilometres from the
        border with Tajikistan. In summer one canal feeds its irrigation channels and a drinking
        water point. Farmers of Sary-Bulak and of a neighbouring village across the border, in
        **Sughd Region**, share the distribution point under an old, unwritten schedule.

        This July is hot and the flow is half of normal. Yesterday two young men argued at the
        gate, and a valve was found broken. Today the head of the water users' association has
        invited people from both villages, and a trained mediator from a local NGO, to meet under
        the trees by the school.

        *All names and events are fictional.*
        """,
    "objectives": """
        - Set ground rules with the group, including the languages used.
        - Separate needs (drinking water, irrigation, dignity) from positions ("more hours").
        - Check rumours against facts without shaming anyone.
        - Reach a specific two-week agreement: who does what, when, and how it is checked.
        - Make sure that people who are usually not heard, such as women farmers, can speak.
        """,
    "checklist": [
        "Ground rules were agreed with the group (speaking order, respect, languages)",
        "Every party, including the woman farmer, was invited to speak",
        "Needs were separated from positions",
        "The rumour about the valve was checked calmly against facts",
        "Several options were explored before one was chosen",
        "The agreement says who, what, when and how it will be checked",
        "Nobody was blamed or shamed in public",
    ],
    "debrief": [
        "Which needs sat beneath each party's position?",
        "How did the mediator handle the rumour about the valve?",
        "Whose voice was quiet at first, and what changed that?",
        "Will this agreement hold for two weeks? What could break it?",
        "How would you adapt the meeting if tension rose sharply?",
    ],
    "roles": [
        (
            "Mediator",
            "A trainer from a local NGO, trusted in both villages. You chair the meeting.",
            "The district water department has promised a repair crew 'soon' for a month. You have "
            "learnt privately that the valve was an old fault, not sabotage, but a rumour says "
            "otherwise: decide whether and how to share this. Aim for an agreement for the next "
            "two weeks, not a solution to everything.",
        ),
        (
            "Head of the water users' association",
            "Keeps the schedule book of Sary-Bulak and collects a small maintenance fee.",
            "Your brother-in-law farms at the top of the canal and takes water outside his hours. "
            "You know it and fear losing face if it comes out. You want the neighbouring village "
            "to accept fewer hours.",
        ),
        (
            "Farmer from the neighbouring village",
            "Grows apricots across the border. Speaks Tajik and some Kyrgyz.",
            "Your household has had no drinking water for two days; your children carry cans from "
            "a spring three kilometres away. Today drinking water matters more to you than "
            "irrigation: you will give up irrigation hours if drinking water is sure every "
            "morning. You worry that people from your side will not be listened to.",
        ),
        (
            "Woman farmer from lower Sary-Bulak",
            "A widow with a small plot at the far end of the channel.",
            "Women are rarely invited to these meetings, and your water arrives last and weakest. "
            "You have a practical idea: volunteers from both villages take turns at the valve, "
            "with the schedule posted at the school and the mosque. You share it only if someone "
            "invites you to speak.",
        ),
        (
            "Young man from yesterday's argument",
            "Twenty-two, from Sary-Bulak. He was at the gate yesterday.",
            "An older man from the other village shouted at you in front of others, and you feel "
            "humiliated. Friends push you 'not to let it go'. Part of you wants a way out with "
            "dignity, for example a task in the new schedule.",
        ),
    ],
}

SUPPORT_GROUP = {
    "key": "support-group",
    "title": "Circle of trust: leading a support group for women",
    "tags": ["support groups", "women's leadership"],
    "group_min": 4,
    "group_max": 6,
    "duration_minutes": 60,
    "situation": """
        A women's crisis centre in **Khujand** runs a weekly support group for women who have
        experienced violence at home. Today's leader is a trained volunteer who graduated from the
        Women's Leadership TOT. Five women are expected; one of them is new. The theme of the
        meeting is "Where I find strength". A psychologist of the centre is in the next room.

        **Before you play:** nobody describes violence in this game; it practises how a leader
        creates safety. Do not draw on your own painful experiences. Anyone may step out at any
        time, without explaining why.

        *All names and events are fictional.*
        """,
    "objectives": """
        - Open a group with an agreement on confidentiality, respect and the right to stay silent.
        - Welcome a newcomer without pressure.
        - Redirect advice-giving kindly, towards sharing one's own experience.
        - Notice a signal of danger and respond privately with safety planning and referral.
        - Close on time, calmly.
        """,
    "checklist": [
        "The leader opened with the group agreement (confidentiality, speaking is optional)",
        "The new participant was welcomed without pressure to speak",
        "Advice-giving was redirected kindly",
        "The leader noticed Malika's signal and offered a private talk after the group",
        "Safety options and referral were offered, leaving the decision to her",
        "The group ended on time with a calm closing",
    ],
    "debrief": [
        "How did the opening set the tone for safety?",
        "What did the leader do with advice-giving, and how did the group respond?",
        "How was Malika's signal noticed? What could happen if it were missed?",
        "Where does a group leader's role end, and when do you refer?",
        "How did you look after yourself during and after your role?",
    ],
    "roles": [
        (
            "Group leader",
            "A trained volunteer who leads the group for the third time.",
            "Your supervisor asked you to try a new opening: each woman names one small thing that "
            "went well this week. Malika, a regular member, cancelled her last individual "
            "appointment: watch for how she is. The group must end on time, because some women "
            "need to be home before evening.",
        ),
        (
            "Zarina, the newcomer",
            "Comes for the first time, sent by a doctor at the polyclinic.",
            "You are not sure you belong here, and you are afraid that someone from your street "
            "will recognise you. You stay silent unless the leader makes clear that speaking is "
            "optional and what is said stays in the room. If you feel pushed, you say you must "
            "leave early.",
        ),
        (
            "Regular member who gives advice",
            "Has come for six months. Warm and talkative.",
            "You feel much stronger now and want to help by telling others what to do: 'just "
            "leave', 'go back to your parents'. You do not notice that this silences others. If "
            "the leader redirects you kindly, you accept it.",
        ),
        (
            "Malika, a regular member",
            "Usually cheerful; has come for three months.",
            "Last night your husband threatened again to take the children to his parents, and "
            "you are not sure you are safe going home. Near the end you say only 'something "
            "happened, but it's nothing'. You need the leader to notice and to talk with you "
            "privately afterwards about safety, the psychologist and the hotline.",
        ),
    ],
}

AFTER_CLASHES = {
    "key": "after-clashes",
    "title": "After the clashes: a village meeting",
    "tags": ["community dialogue", "conflict and water", "women's leadership"],
    "group_min": 5,
    "group_max": 8,
    "duration_minutes": 75,
    "situation": """
        Three weeks ago a dispute near the border in **Batken Region** turned into clashes that
        frightened families on both sides. In Kyzyl-Beles, a fictional village, a small shop and
        some houses were damaged, and several families stayed with relatives in Osh for a week.
        The school has reopened.

        The local self-government (*ayil okmotu*) and a women's initiative group have invited
        residents to the school hall to talk about what the village needs now: repairs, support
        for children, rumours, and contact with neighbours across the border. A trained
        facilitator from an NGO in Osh runs the meeting.

        **Before you play:** the game is about the meeting, not the clashes. Nobody describes
        them. Anyone may step out at any time.

        *All names and events are fictional.*
        """,
    "objectives": """
        - Open a tense meeting by acknowledging what people went through, briefly and calmly.
        - Turn blame into needs and next steps without dismissing feelings.
        - Make sure women and young people speak and are heard.
        - Address rumours with facts and a way to check them.
        - End with shared priorities, a working group and a date for the next meeting.
        """,
    "checklist": [
        "The facilitator stated the purpose, the time and the ground rules",
        "What people went through was acknowledged without reopening it",
        "Blame was redirected to needs and next steps",
        "Women and young people spoke and were heard",
        "Rumours were met with facts and a way to check them",
        "The official's offer was recorded as a commitment with a date",
        "The meeting ended with priorities, a working group and a next date",
    ],
    "debrief": [
        "How did the opening acknowledge the past weeks without reopening wounds?",
        "What did the shop owner need, beneath his anger?",
        "Whose ideas shaped the priorities, and whose were lost?",
        "How could this meeting connect with the neighbouring village?",
        "What would be your first three sentences as the facilitator?",
    ],
    "roles": [
        (
            "Facilitator",
            "A trainer from an NGO in Osh, invited by the women's initiative group.",
            "Your goal is a short list of shared priorities and one working group that includes "
            "women and young people. You know the district has a small repair fund whose "
            "applications close in ten days. Avoid the question of who was to blame: it would "
            "split the room.",
        ),
        (
            "Deputy head of the ayil okmotu",
            "Represents the local self-government.",
            "People criticise you for being absent during the crisis. You want to announce the "
            "repair fund and be seen to help, but you fear promises you cannot keep. If you are "
            "blamed, you become defensive.",
        ),
        (
            "Aksakal",
            "A respected elder of seventy, a retired teacher.",
            "You remember good years with the neighbouring village: weddings, a shared market. "
            "You want to propose a meeting of elders from both sides, but you fear the young will "
            "call you naive. You speak if you are given the floor respectfully.",
        ),
        (
            "Shop owner",
            "Thirty-five. His shop was damaged.",
            "You lost your stock and you have a bank loan. You are angry and say 'they' are to "
            "blame. Beneath the anger you need concrete help with repairs and the loan, and to be "
            "acknowledged.",
        ),
        (
            "Head of the parents' committee",
            "A mother of three who leads the school's parents' committee.",
            "Children sleep badly and some are afraid to walk to school. A psychologist from Osh "
            "has offered sessions for children and parents. You are used to being interrupted at "
            "meetings: you raise your hand twice, then stop trying unless you are invited.",
        ),
        (
            "Young volunteer",
            "Nineteen. Organised the clean-up of the street.",
            "Your group of young people wants a real role. Online you have seen angry posts and a "
            "rumour that 'they are coming back'. You want the meeting to deal with rumours, and "
            "you can show how to check a post before sharing it.",
        ),
    ],
}

COMMUNITY_SCENARIOS = [WATER_POINT, SUPPORT_GROUP, AFTER_CLASHES]
