"""What distributors report: weekly updates, monthly summaries, their due calendar, reviews, and
sell-out data. Each area keeps its models in a module beside this one."""

from .calendar import ReportingCalendar, ReportingClosure
from .reports import (
    MonthlySummary,
    OpportunityStage,
    Report,
    ReportKind,
    ReportReview,
    ReportReviewAction,
    ReportStatus,
    ReportVersion,
    WeeklyBlockerTag,
    WeeklyUpdate,
)
from .schedule import DueDateFeed, ReportLink
from .sellout import (
    Outlet,
    SalesColumnMapping,
    SalesLine,
    SalesUpload,
    SalesUploadStatus,
)

__all__ = [
    "DueDateFeed",
    "MonthlySummary",
    "OpportunityStage",
    "Outlet",
    "Report",
    "ReportKind",
    "ReportLink",
    "ReportReview",
    "ReportReviewAction",
    "ReportStatus",
    "ReportVersion",
    "ReportingCalendar",
    "ReportingClosure",
    "SalesColumnMapping",
    "SalesLine",
    "SalesUpload",
    "SalesUploadStatus",
    "WeeklyBlockerTag",
    "WeeklyUpdate",
]
