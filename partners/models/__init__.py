"""Tenancy, people and distributors. The tenant is the Vendor; see docs/tenancy.md."""

from .accounts import ApiToken, Invitation, Membership, Role, User
from .audit import AuditEvent
from .base import TenantModel, Vendor
from .catalog import ProductLine, Territory
from .distributors import (
    CarriedBrand,
    ContactRole,
    Distributor,
    DistributorContact,
    DistributorProductLine,
    DistributorStatus,
    DistributorStatusChange,
    DistributorTerritory,
)
from .outbox import OutboundEmail
from .selection import FinancialCheck, SelectionChecklist, SelectionDecision

__all__ = [
    "ApiToken",
    "AuditEvent",
    "CarriedBrand",
    "ContactRole",
    "Distributor",
    "DistributorContact",
    "DistributorProductLine",
    "DistributorStatus",
    "DistributorStatusChange",
    "DistributorTerritory",
    "FinancialCheck",
    "Invitation",
    "Membership",
    "OutboundEmail",
    "ProductLine",
    "Role",
    "SelectionChecklist",
    "SelectionDecision",
    "TenantModel",
    "Territory",
    "User",
    "Vendor",
]

from .imports import ImportBatch, ImportStatus  # noqa: E402

__all__ += ["ImportBatch", "ImportStatus"]
