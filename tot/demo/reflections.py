"""Fictional reflections demo participants wrote, by the title of the discussion they answer."""

REFLECTIONS: dict[str, list[str]] = {
    "A woman who led without a title": [
        "My grandmother had no position, but when the school roof leaked she went from house to "
        "house and in two weeks the roof was fixed. People followed her because she always did "
        "the first work herself. I want to start like that: with my own hands first.",
        "I think of our neighbour who started a sewing circle in her kitchen. It became a place "
        "where women talked about their problems and found work. She never called herself a "
        "leader. I learnt that a safe place can be the beginning of leadership.",
        "A nurse in our village convinced the men to repair the road to the clinic. She did not "
        "argue; she counted how many births happened on that road in winter. Facts and patience. "
        "I usually get angry too fast, so this is what I take from her.",
        "My aunt organised the mothers when the kindergarten closed. She listened to everyone "
        "before proposing anything. I realised that I often speak first; next time I will ask "
        "questions first.",
    ],
    "What helps a woman ask for help?": [
        "In my town the biggest barrier is shame: people will know. A hotline helps because it is "
        "anonymous. Our initiative group could put the number in the women's clinic, where a "
        "woman can read it without anyone watching.",
        "What helps is one trusted person who does not judge. Often it is a teacher or a doctor. "
        "I would like to train the teachers of our school to listen and refer, not to give advice.",
        "Money. Many women depend completely on the husband's family. I think savings groups "
        "could give women some independence and also a place to talk.",
        "When the district police officer is a woman, more women come. We cannot choose the "
        "police, but we can invite the officer to a meeting so women know her face.",
    ],
    "After the support group role-play": [
        "I played the leader and was surprised how hard it is to stay quiet when someone gives "
        "advice. The sentence that worked was 'Thank you. Can you tell us what helped you?'",
        "As the newcomer I felt relief when the leader said nobody has to speak. I did speak in "
        "the end, but only because I had the choice. I will open every group with that sentence.",
        "I almost missed the moment when Malika said 'it's nothing'. The observer pointed it out. "
        "Next time I will plan five quiet minutes after the group for private conversations.",
        "I noticed I was rushing to finish on time and cut off the closing round. Better to "
        "plan a shorter theme than to cut the closing.",
    ],
    "My first cascade training": [
        "I will train twelve women of our village council in the school library, two afternoons "
        "of three hours. I will use the river of life exercise because it needs no reading.",
        "My first training will be for young volunteers in Osh, in Kyrgyz. I will use the support "
        "group role-play with a lighter theme, about speaking in public.",
        "I plan a one-day training for the teachers of two schools in Khatlon. Time is short, so "
        "I will use the myths and facts discussion and end with the local list of places of help.",
        "I will start with the women of my own mahalla committee, eight people, on Saturdays. "
        "They know me, which helps and makes it harder. I will ask a colleague to co-facilitate.",
    ],
    "A right that matters in my community": [
        "The right to water. In summer our upper streets get water and the lower streets do not. "
        "The district must protect equal access, and the water users' association must be "
        "accountable to everyone, not only to those who pay on time.",
        "The right to a fair trial. People in our district often sign papers at the police "
        "station without a lawyer because they do not know they can ask for one.",
        "Education for girls after grade nine. In my village families take girls out of school "
        "to work or marry. I see that the state must fulfil the right by keeping schools "
        "accessible and safe, and we can remind the district of it.",
        "The right to identity documents. I know several returning migrants' children who have "
        "no birth certificates, and without them nothing else works: school, clinic, benefits.",
    ],
    "Listening without judgement": [
        "A client told me she had signed a loan for her brother. I wanted to say 'why did you do "
        "that?' and I did. She stopped talking. Now I would ask what she hoped would happen.",
        "When my neighbour told me about her son in detention, I immediately started listing what "
        "she should do. I think she needed first to be heard. I will count to three before "
        "giving any advice.",
        "I noticed that I judge with my face, not with words. In the role-play the mother saw it. "
        "I am practising a calm face in front of a mirror, which is funny, but it helps.",
        "In consultations I interrupt to save time, and then I spend more time fixing "
        "misunderstandings. Listening to the end is faster.",
    ],
    "Do no harm in my work": [
        "We always held meetings in the mosque of our village, and people from the other side "
        "never came. Next time we will meet in the school, which belongs to everyone.",
        "I speak only Kyrgyz at community meetings. Half of the women in the lower village speak "
        "Tajik better. I will bring a colleague who speaks both languages.",
        "Our legal clinic first meets the heads of the associations, always men. I will ask for a "
        "separate meeting with women farmers before the general one.",
        "When we published a story about a water dispute, we named the village. It made the "
        "tension worse. Now we describe the problem without naming places until both sides agree.",
    ],
    "Caring for the helper": [
        "After hard cases I stop sleeping well and I become sharp with my family. Walking in the "
        "evening helps. Our organisation could start a monthly supervision meeting.",
        "I noticed numbness: a terrible story and I feel nothing. My colleague said it is a sign "
        "to slow down. I would like our office to protect one afternoon a week without clients.",
        "What helps me is to write my notes and then close the notebook in the office, not at "
        "home. Our team could agree on not calling each other about cases after eight.",
        "I talk with a psychologist friend once a month. The organisation could pay for group "
        "supervision so that not everyone has to find such a friend.",
    ],
    "Three messages for my region": [
        "Torture is never allowed, not even to solve a crime. You have the right to a lawyer and "
        "a doctor from the first hour. Call the free hotline: we will listen and help.",
        "My audience is the parents of young men. Know the rights of your son before anything "
        "happens; a lawyer can come to the station; help is free and confidential.",
        "For Sughd television: every detained person must see a doctor; complaints are possible "
        "and people are not alone; our offices in Khujand and Isfara are open on weekdays.",
        "On local radio in Naryn I would say: torture breaks lives and the law forbids it; "
        "survivors can get medical and legal help; neighbours can help by believing them.",
    ],
}
