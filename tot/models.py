"""Imports every feature's models, so that the metadata knows all tables."""

from tot.accounts.models import PrivacyAgreement, User
from tot.curriculum.models import Activity, Choice, Module, Programme, Question
from tot.learning.models import (
    ActivityCompletion,
    CheckAttempt,
    ModuleCompletion,
    ProgrammeProgress,
    Reflection,
)
from tot.regions.models import Region
from tot.scenarios.models import Scenario, ScenarioRole, Tag

__all__ = [
    "Activity",
    "ActivityCompletion",
    "CheckAttempt",
    "Choice",
    "Module",
    "ModuleCompletion",
    "PrivacyAgreement",
    "Programme",
    "ProgrammeProgress",
    "Question",
    "Reflection",
    "Region",
    "Scenario",
    "ScenarioRole",
    "Tag",
    "User",
]
