"""Imports every feature's models, so that the metadata knows all tables."""

from tot.accounts.models import PrivacyAgreement, User
from tot.curriculum.models import Activity, Choice, Module, Programme, Question
from tot.enrolment.models import Attendance, Enrolment
from tot.learning.models import (
    ActivityCompletion,
    CheckAttempt,
    ModuleCompletion,
    ProgrammeProgress,
    Reflection,
)
from tot.notifications.models import Notification
from tot.regions.models import Region
from tot.roleplay.models import RoleAssignment, RolePlayGroup, RolePlayRun
from tot.scenarios.models import Scenario, ScenarioRole, Tag
from tot.sessions.models import CalendarToken, SeatQuota, TrainingSession

__all__ = [
    "Activity",
    "ActivityCompletion",
    "Attendance",
    "CalendarToken",
    "CheckAttempt",
    "Choice",
    "Enrolment",
    "Module",
    "ModuleCompletion",
    "Notification",
    "PrivacyAgreement",
    "Programme",
    "ProgrammeProgress",
    "Question",
    "Reflection",
    "Region",
    "RoleAssignment",
    "RolePlayGroup",
    "RolePlayRun",
    "Scenario",
    "ScenarioRole",
    "SeatQuota",
    "Tag",
    "TrainingSession",
    "User",
]
