"""Imports every feature's models, so that the metadata knows all tables."""

from tot.accounts.models import PrivacyAgreement, User
from tot.assessment.models import AssessmentRating, AssessmentStatement, SelfAssessment
from tot.audit.models import AuditEntry
from tot.cascade.models import CascadeTraining
from tot.certificates.models import Certificate
from tot.curriculum.models import Activity, Choice, Module, Programme, Question
from tot.enrolment.models import Attendance, Enrolment
from tot.feedback.models import (
    FeedbackForm,
    FeedbackQuestion,
    FeedbackReceipt,
    FeedbackResponse,
    SessionSurvey,
)
from tot.focusgroups.models import ConsentChange, FocusGroup, Quote, Theme
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
    "AssessmentRating",
    "AssessmentStatement",
    "Attendance",
    "AuditEntry",
    "CalendarToken",
    "CascadeTraining",
    "Certificate",
    "CheckAttempt",
    "Choice",
    "ConsentChange",
    "Enrolment",
    "FeedbackForm",
    "FeedbackQuestion",
    "FeedbackReceipt",
    "FeedbackResponse",
    "FocusGroup",
    "Module",
    "ModuleCompletion",
    "Notification",
    "PrivacyAgreement",
    "Programme",
    "ProgrammeProgress",
    "Question",
    "Quote",
    "Reflection",
    "Region",
    "RoleAssignment",
    "RolePlayGroup",
    "RolePlayRun",
    "Scenario",
    "ScenarioRole",
    "SeatQuota",
    "SelfAssessment",
    "SessionSurvey",
    "Tag",
    "Theme",
    "TrainingSession",
    "User",
]
