"""Audit events in words: each action code recorded by ``audit_record`` (``training.attendance.add``)
with a label in the reader's language, and the object type, field names and choice values of
its changes read from the models (``exit_rights`` is "exit rights"). The audit log page and
anything else that shows an audit event use these, never the codes."""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "api_token.create": _("API token created"),
    "api_token.revoke": _("API token revoked"),
    "carried_brand.add": _("Carried brand added"),
    "carried_brand.remove": _("Carried brand removed"),
    "contact.create": _("Contact added"),
    "contact.update": _("Contact changed"),
    "contract.amend": _("Contract amended"),
    "contract.clause.create": _("Performance clause added"),
    "contract.clause.delete": _("Performance clause removed"),
    "contract.clause.update": _("Performance clause changed"),
    "contract.create": _("Contract created"),
    "contract.document.upload": _("Contract document uploaded"),
    "contract.update": _("Contract changed"),
    "distributor.create": _("Distributor added"),
    "distributor.status_change": _("Distributor status changed"),
    "distributor.update": _("Distributor changed"),
    "distributor_import.confirm": _("Distributor import confirmed"),
    "due_date_feed.rotate": _("Calendar link renewed"),
    "exclusivity.rules.update": _("Exclusivity rules changed"),
    "exclusivity.verdict.hold": _("Revoke held"),
    "exclusivity.verdict.override": _("Verdict overridden"),
    "invitation.accept": _("Invitation accepted"),
    "invitation.create": _("Invitation sent"),
    "invitation.revoke": _("Invitation withdrawn"),
    "launch_checklist.create": _("Launch checklist created"),
    "launch_item.reassign": _("Launch task reassigned"),
    "launch_item.tick": _("Launch task done"),
    "launch_item.untick": _("Launch task reopened"),
    "launch_template.create": _("Launch template created"),
    "launch_template.reset": _("Launch template reset"),
    "launch_template_item.create": _("Launch template task added"),
    "launch_template_item.delete": _("Launch template task removed"),
    "launch_template_item.move": _("Launch template task moved"),
    "launch_template_item.update": _("Launch template task changed"),
    "membership.deactivate": _("Member deactivated"),
    "membership.reactivate": _("Member reactivated"),
    "operator.access": _("Operator access"),
    "plan.open": _("Corrective plan opened"),
    "plan.review": _("Corrective plan reviewed"),
    "plan.withdrawn": _("Suggested plan withdrawn"),
    "plan_action.add": _("Plan action added"),
    "plan_action.update": _("Plan action changed"),
    "product_line.create": _("Product line added"),
    "product_line.update": _("Product line changed"),
    "qbr.meeting.record": _("QBR recorded"),
    "report.acknowledge": _("Report acknowledged"),
    "report.comment": _("Report commented"),
    "report.draft": _("Report draft saved"),
    "report.missed": _("Report missed"),
    "report.resubmit": _("Report resubmitted"),
    "report.return": _("Report returned for correction"),
    "report.submit": _("Report handed in"),
    "reporting_calendar.update": _("Reporting calendar changed"),
    "reporting_closure.create": _("Reporting closure added"),
    "reporting_closure.delete": _("Reporting closure removed"),
    "sales_kit.create": _("Sales kit document added"),
    "sales_kit.delete": _("Sales kit document removed"),
    "sales_kit.update": _("Sales kit document changed"),
    "sales_lines.bulk_upsert": _("Sales lines sent through the API"),
    "sales_upload.confirm": _("Sales upload confirmed"),
    "sales_upload.create": _("Sales file uploaded"),
    "scorecards.catalogue_started": _("Standard KPIs added"),
    "scorecards.entries_saved": _("KPI values entered"),
    "scorecards.kpi_created": _("KPI added"),
    "scorecards.kpi_updated": _("KPI changed"),
    "scorecards.policy_updated": _("Scorecard settings changed"),
    "scorecards.ramp_removed": _("Ramp removed"),
    "scorecards.ramp_saved": _("Ramp saved"),
    "scorecards.rate_removed": _("Exchange rate removed"),
    "scorecards.rate_saved": _("Exchange rate saved"),
    "scorecards.targets_removed": _("Targets removed"),
    "scorecards.targets_saved": _("Targets saved"),
    "scorecards.template_assigned": _("Scorecard template assigned"),
    "scorecards.template_created": _("Scorecard template created"),
    "scorecards.template_updated": _("Scorecard template changed"),
    "selection.override": _("Partner selection overridden"),
    "selection.update": _("Partner selection changed"),
    "territory.create": _("Territory added"),
    "territory.update": _("Territory changed"),
    "training.attendance.add": _("Training attendance added"),
    "training.attendance.remove": _("Training attendance removed"),
    "training.attendance.update": _("Training attendance changed"),
    "training.create": _("Training added"),
    "training.update": _("Training changed"),
    "vendor.update": _("Workspace settings changed"),
}


def audit_action_label(code: str) -> str:
    """The action's label; an unknown code (an older event) shows as recorded."""
    label = AUDIT_ACTIONS.get(code)
    return str(label) if label is not None else code


@cache
def _model_named(model_name: str) -> type[models.Model] | None:
    """The model an audit event's ``object_type`` (``Model._meta.model_name``) names."""
    for model in apps.get_models():
        if model._meta.model_name == model_name and model._meta.app_label in (
            "partners",
            "reporting",
            "scorecards",
        ):
            return model
    return None


def audit_object_label(model_name: str) -> str:
    """An object type in words ("contract", "training attendance")."""
    model = _model_named(model_name)
    return str(model._meta.verbose_name) if model else model_name


def _field(model_name: str, field_name: str):
    model = _model_named(model_name)
    if model is None:
        return None
    try:
        return model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return None


def audit_field_label(model_name: str, field_name: str) -> str:
    """A changed field's name in words, from the model's verbose name."""
    field = _field(model_name, field_name)
    return str(getattr(field, "verbose_name", "") or field_name)


def audit_value_label(model_name: str, field_name: str, value):
    """A changed value as people read it: a choice code by its label, others as recorded."""
    field = _field(model_name, field_name)
    choices = dict(getattr(field, "flatchoices", None) or ())
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    return value
