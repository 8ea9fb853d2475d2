"""Enablement: training of the distributors' sales people and the vendor's sales kit."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import TenantModel


class TrainingKind(models.TextChoices):
    SALES_SKILLS = "sales_skills", _("Sales skills")
    PRODUCT = "product", _("Product")
    LEADERSHIP = "leadership", _("Leadership")


class Training(TenantModel):
    """A training session the vendor ran or paid for: how to sell (sales skills), what the
    product does (product, optionally for one product line) or how to lead a sales team
    (leadership). ``valid_months`` says how long a completion counts towards coverage; empty
    means it does not expire."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=TrainingKind.choices)
    product_line = models.ForeignKey(
        "partners.ProductLine",
        verbose_name=_("product line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    valid_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("How long a completion counts. Leave empty if it never expires."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="training_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_months__isnull=True) | Q(valid_months__gte=1),
                name="training_valid_months_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "starts_on"], name="training_vendor_starts"),
            models.Index(fields=["vendor", "kind"], name="training_vendor_kind"),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingAttendance(TenantModel):
    """One contact of a distributor (a sales rep or sales lead) on a training, whether they
    completed it and until when the completion counts. ``expires_on`` is the first day the
    completion no longer counts (empty: it never expires). ``distributor`` repeats the
    contact's distributor so a distributor's records are found without a join."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendances")
    contact = models.ForeignKey(
        "partners.DistributorContact",
        verbose_name=_("attendee"),
        on_delete=models.CASCADE,
        related_name="training_attendances",
    )
    distributor = models.ForeignKey(
        "partners.Distributor", on_delete=models.CASCADE, related_name="training_attendances"
    )
    completed = models.BooleanField(_("completed"), default=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["contact__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "training", "contact"], name="attendance_unique_contact"
            ),
            models.CheckConstraint(
                condition=Q(completed=True, completed_on__isnull=False)
                | Q(completed=False, completed_on__isnull=True, expires_on__isnull=True),
                name="attendance_completion_dated",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("completed_on")),
                name="attendance_expires_after_completion",
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "distributor"], name="attendance_vendor_dist"),
            models.Index(fields=["vendor", "contact", "expires_on"], name="attendance_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} · {self.training}"


class SalesKitCategory(models.TextChoices):
    PRODUCT_SHEET = "product_sheet", _("Product sheet")
    FAQ = "faq", _("FAQ")
    PRICE_LIST = "price_list", _("Price list")
    PRESENTATION = "presentation", _("Presentation")
    OTHER = "other", _("Other")


SALES_KIT_LANGUAGES = [
    ("en", _("English")),
    ("ja", _("Japanese")),
    ("th", _("Thai")),
    ("id", _("Indonesian")),
    ("vi", _("Vietnamese")),
    ("zh", _("Chinese")),
    ("ko", _("Korean")),
]


class SalesKitDocument(TenantModel):
    """A document of the vendor's sales kit (a product sheet, FAQ, price list, presentation)
    for one product line, or for all of them when ``product_line`` is empty. Distributor people
    see the documents of the product lines their distributor sells. The file is stored under a
    name we choose and served only through a view that looked the document up for the person."""

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=SalesKitCategory.choices)
    language = models.CharField(_("language"), max_length=8, choices=SALES_KIT_LANGUAGES)
    product_line = models.ForeignKey(
        "partners.ProductLine",
        verbose_name=_("product line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales_kit_documents",
        help_text=_("Leave empty for a document about all product lines."),
    )
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["vendor", "category"], name="saleskit_vendor_category"),
            models.Index(fields=["vendor", "product_line"], name="saleskit_vendor_line"),
            models.Index(fields=["vendor", "language"], name="saleskit_vendor_language"),
        ]

    def __str__(self) -> str:
        return self.title
