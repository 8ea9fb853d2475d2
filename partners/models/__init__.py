"""Tenancy, people and distributors. The tenant is the Vendor; see docs/tenancy.md."""

from .accounts import ApiToken, Invitation, Membership, Role, User
from .audit import AuditEvent
from .base import TenantModel, Vendor
from .distributors import Distributor
from .outbox import OutboundEmail

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Distributor",
    "Invitation",
    "Membership",
    "OutboundEmail",
    "Role",
    "TenantModel",
    "User",
    "Vendor",
]
