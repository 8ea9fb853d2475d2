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
from .enablement import (
    SALES_KIT_LANGUAGES,
    SalesKitCategory,
    SalesKitDocument,
    Training,
    TrainingAttendance,
    TrainingKind,
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
    "SALES_KIT_LANGUAGES",
    "SalesKitCategory",
    "SalesKitDocument",
    "SelectionChecklist",
    "SelectionDecision",
    "TenantModel",
    "Territory",
    "Training",
    "TrainingAttendance",
    "TrainingKind",
    "User",
    "Vendor",
]

from .launch import (  # noqa: E402
    DEFAULT_ITEMS,
    WEEK_NAMES,
    LaunchChecklist,
    LaunchChecklistItem,
    LaunchSide,
    LaunchTemplate,
    LaunchTemplateItem,
)

__all__ += [
    "DEFAULT_ITEMS",
    "WEEK_NAMES",
    "LaunchChecklist",
    "LaunchChecklistItem",
    "LaunchSide",
    "LaunchTemplate",
    "LaunchTemplateItem",
]

from .contracts import (  # noqa: E402
    AmendmentKind,
    ClauseKind,
    Contract,
    ContractAmendment,
    ContractPhase,
    ContractStatus,
    PerformanceClause,
    ScopeLine,
)

__all__ += [
    "AmendmentKind",
    "ClauseKind",
    "Contract",
    "ContractAmendment",
    "ContractPhase",
    "ContractStatus",
    "PerformanceClause",
    "ScopeLine",
]

from .imports import ImportBatch, ImportStatus  # noqa: E402

__all__ += ["ImportBatch", "ImportStatus"]
