"""Whose reflections a facilitator reads: those in the programme of a session they facilitate,
of the people holding a confirmed seat in it, and no others (the rule in learning/services.py,
`reflections_readable_by`, the same for one reflection and for a list)."""

import pytest

from tests.conftest import log_in
from tests.factories import activity_of, enrol, make_programme, make_session
from tot.curriculum.models import ActivityKind
from tot.enrolment.models import EnrolmentStatus
from tot.extensions import db
from tot.learning import services
from tot.learning.models import Reflection
from tot.permissions import Role


def reflect(person, programme, text: str) -> Reflection:
    reflection = Reflection(
        user_id=person.id, activity_id=activity_of(programme, ActivityKind.DISCUSSION).id, text=text
    )
    db.session.add(reflection)
    db.session.commit()
    return reflection


@pytest.fixture
def world(make_user):
    """A participant taught by `teacher` in "Women's Leadership" only, who also took
    "Supporting Survivors of Torture" in another facilitator's session."""
    leadership = make_programme(title="Women's Leadership", self_paced=False)
    survivors = make_programme(title="Supporting Survivors of Torture", self_paced=False)
    teacher, colleague, other = (make_user(Role.FACILITATOR) for _ in range(3))
    participant = make_user()
    taught = make_session(teacher, programme=leadership, co_facilitators=[colleague])
    enrol(taught, participant)
    enrol(make_session(other, programme=survivors), participant)
    return {
        "teacher": teacher,
        "colleague": colleague,
        "other": other,
        "participant": participant,
        "leadership": leadership,
        "survivors": survivors,
        "in_leadership": reflect(participant, leadership, "What leading means to me."),
        "in_survivors": reflect(participant, survivors, "What I heard at the centre."),
    }


def readable(reader, reflection) -> bool:
    return services.can_read_reflection(reader, reflection)


def test_a_facilitator_reads_reflections_only_in_the_programme_they_teach(world):
    for facilitator in (world["teacher"], world["colleague"]):  # the lead and a co-facilitator
        assert readable(facilitator, world["in_leadership"])
        assert not readable(facilitator, world["in_survivors"])
    # The facilitator of the other programme's session reads that one only.
    assert readable(world["other"], world["in_survivors"])
    assert not readable(world["other"], world["in_leadership"])


def test_teaching_the_programme_is_not_enough_without_the_persons_seat(world, make_user):
    """A facilitator of another session of "Survivors" did not teach this participant."""
    stranger = make_user(Role.FACILITATOR)
    make_session(stranger, programme=world["survivors"])
    assert not readable(stranger, world["in_survivors"])
    assert not readable(make_user(Role.FACILITATOR), world["in_leadership"])


@pytest.mark.parametrize(
    "status", [EnrolmentStatus.PENDING, EnrolmentStatus.WAITLISTED, EnrolmentStatus.WITHDRAWN]
)
def test_only_a_confirmed_seat_counts(world, make_user, status):
    facilitator, person = make_user(Role.FACILITATOR), make_user()
    enrol(make_session(facilitator, programme=world["survivors"]), person, status)
    assert not readable(facilitator, reflect(person, world["survivors"], "Not shared."))


def test_the_author_and_staff_read_it_other_participants_do_not(world, make_user):
    for reflection in (world["in_leadership"], world["in_survivors"]):
        assert readable(world["participant"], reflection)
        assert readable(make_user(Role.STAFF), reflection)
        assert readable(make_user(Role.ADMIN), reflection)
        assert not readable(make_user(), reflection)


def test_the_pages_follow_the_rule(app, client, world):
    log_in(client, world["teacher"])
    assert client.get(f"/reflections/{world['in_leadership'].id}").status_code == 200
    assert client.get(f"/reflections/{world['in_survivors'].id}").status_code == 403
    assert client.get("/reflections/987654").status_code == 404


def test_a_list_of_reflections_applies_the_same_rule(world, make_user):
    survivors_discussion = activity_of(world["survivors"], ActivityKind.DISCUSSION)
    classmate = make_user()
    enrol(make_session(world["teacher"], programme=world["survivors"]), classmate)
    theirs = reflect(classmate, world["survivors"], "A classmate's words.")

    def listed(reader) -> set[int]:
        statement = services.reflections_on(survivors_discussion, reader)
        return {reflection.id for reflection in db.session.scalars(statement)}

    # The teacher now teaches "Survivors" too, but not to the participant: only the classmate.
    assert listed(world["teacher"]) == {theirs.id}
    assert listed(world["other"]) == {world["in_survivors"].id}
    assert listed(world["participant"]) == {world["in_survivors"].id}
    assert listed(make_user(Role.STAFF)) == {world["in_survivors"].id, theirs.id}
