"""Imports every feature's models, so that the metadata knows all tables."""

from tot.accounts.models import PrivacyAgreement, User
from tot.regions.models import Region

__all__ = ["PrivacyAgreement", "Region", "User"]
