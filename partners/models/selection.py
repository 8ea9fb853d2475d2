from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TenantModel


class FinancialCheck(models.TextChoices):
    NOT_DONE = "not_done", _("Not done")
    PASSED = "passed", _("Passed")
    CONCERNS = "concerns", _("Passed with concerns")
    FAILED = "failed", _("Failed")


class SelectionDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SelectionChecklist(TenantModel):
    """Due diligence on a prospect before anything is signed: references, competing brands,
    sales capacity, willingness to train, a financial check, and the decision with its reason.

    A distributor can get a contract only when the checklist is complete and approved
    (``clears_contract``), or when a vendor admin has overridden it with a written reason.
    """

    distributor = models.OneToOneField(
        "partners.Distributor", on_delete=models.CASCADE, related_name="selection"
    )
    references_checked = models.BooleanField(_("references checked"), default=False)
    references_note = models.TextField(_("what the references said"), blank=True)
    competing_brands_reviewed = models.BooleanField(_("competing brands reviewed"), default=False)
    competing_brands_note = models.TextField(_("conflicts found"), blank=True)
    sales_people = models.PositiveIntegerField(_("sales people"), null=True, blank=True)
    sales_capacity_confirmed = models.BooleanField(_("sales capacity confirmed"), default=False)
    sales_capacity_note = models.TextField(_("sales capacity note"), blank=True)
    willing_to_train = models.BooleanField(_("willing to train its sales people"), default=False)
    training_note = models.TextField(_("training note"), blank=True)
    financial_check = models.CharField(
        _("financial check"),
        max_length=16,
        choices=FinancialCheck.choices,
        default=FinancialCheck.NOT_DONE,
    )
    financial_note = models.TextField(_("financial note"), blank=True)
    decision = models.CharField(
        _("decision"),
        max_length=16,
        choices=SelectionDecision.choices,
        default=SelectionDecision.PENDING,
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    overridden_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vendor", "distributor"], name="selection_unique"),
        ]

    @property
    def checks_done(self) -> bool:
        return (
            self.references_checked
            and self.competing_brands_reviewed
            and self.sales_capacity_confirmed
            and self.willing_to_train
            and self.financial_check in (FinancialCheck.PASSED, FinancialCheck.CONCERNS)
        )

    @property
    def is_complete(self) -> bool:
        """Every check done and the prospect approved with a reason."""
        return (
            self.checks_done
            and self.decision == SelectionDecision.APPROVED
            and bool(self.decision_reason.strip())
        )

    @property
    def is_overridden(self) -> bool:
        return self.overridden_at is not None

    @property
    def clears_contract(self) -> bool:
        return self.is_complete or self.is_overridden
