"""The 30-day launch checklist: a vendor-editable template and one checklist per distributor.

Default items and translation: the four standard weeks (``partners/launch_defaults.py``) are
stored with a ``default_key`` (``DEFAULT_ITEMS`` below). While an item keeps its key, pages show the translated default
text of that key in the reader's language (so a Japanese reader sees Japanese) instead of the
stored English copy; as soon as a vendor admin changes an item's title or description, the key
is cleared and the item shows exactly what the admin wrote. Checklist items copy the key, so an
unchanged default reads in each reader's language on every distributor's checklist too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import TenantModel

LAUNCH_WEEKS = (1, 2, 3, 4)
MAX_DUE_DAY = 60


class LaunchSide(models.TextChoices):
    VENDOR = "vendor", _("Vendor side")
    DISTRIBUTOR = "distributor", _("Distributor side")


@dataclass(frozen=True)
class DefaultLaunchItem:
    """One item of the standard template (the four weeks every vendor starts with)."""

    key: str
    week: int
    side: str
    due_day: int
    title: str
    description: str


def _d(key, week, side, title, description):
    # Week n is due at the end of that week; the last week closes the thirty days.
    due_day = 30 if week == 4 else week * 7
    return DefaultLaunchItem(key, week, side, due_day, title, description)


V, D = LaunchSide.VENDOR, LaunchSide.DISTRIBUTOR
DEFAULT_ITEMS: tuple[DefaultLaunchItem, ...] = (
    _d("enable-kit", 1, V, _("Hand over the sales kit"),
       _("Give the distributor's sales team the product sheets, the FAQ and the current price "
         "list.")),
    _d("enable-segments", 1, D, _("Agree which customers to go after first"),
       _("Pick the customer segments the distributor targets in its market, and write them "
         "down.")),
    _d("enable-reporting", 1, V, _("Set the reporting routine"),
       _("Agree on the weekly report format and put the recurring review meetings in both "
         "calendars.")),
    _d("pipeline-accounts", 2, D, _("Build a list of 30 to 50 target accounts"),
       _("Name the companies in the chosen segments the sales team will contact.")),
    _d("pipeline-outreach", 2, D, _("Start outreach and book first calls"),
       _("Contact the accounts on the list and get first meetings in the calendar.")),
    _d("pipeline-feedback", 2, D, _("Log what the market says"),
       _("Note reactions from calls: on price, the objections heard and what competitors "
         "offer.")),
    _d("convert-quotes", 3, D, _("Send the first quotations"),
       _("Turn the most promising conversations into written proposals or quotes.")),
    _d("convert-top-five", 3, D, _("Concentrate on the five likeliest deals"),
       _("Give the five opportunities closest to an order most of the team's time.")),
    _d("convert-blockers", 3, V, _("Clear what slows deals down"),
       _("Fill the gaps customers run into: missing material, product claims to back up, "
         "delivery and logistics questions.")),
    _d("scale-what-works", 4, D, _("Put more effort into what works"),
       _("Repeat the approaches and messages that produced meetings and quotes.")),
    _d("scale-drop-segments", 4, D, _("Drop the segments that do not respond"),
       _("Stop spending time on customer groups that showed no interest.")),
    _d("scale-next-month", 4, V, _("Set next month's target and forecast"),
       _("Agree the target for the coming month and a forecast of the orders behind it.")),
)  # fmt: skip
DEFAULTS_BY_KEY = {item.key: item for item in DEFAULT_ITEMS}
WEEK_NAMES = {
    1: _("Enablement"),
    2: _("Pipeline"),
    3: _("Conversion"),
    4: _("Scale"),
}


class LaunchTextMixin:
    """``display_title`` / ``display_description``: the translated default while the item
    keeps its ``default_key``, the stored text otherwise."""

    # The model's own fields, which the mixin reads.
    default_key: str
    title: str
    description: str

    def _default(self):
        return DEFAULTS_BY_KEY.get(self.default_key) if self.default_key else None

    @property
    def display_title(self) -> str:
        default = self._default()
        return str(default.title) if default else self.title

    @property
    def display_description(self) -> str:
        default = self._default()
        return str(default.description) if default else self.description


class LaunchTemplate(TenantModel):
    """A vendor's launch template, the parent of its items. It exists once the vendor has
    customised (or reset) the template; until then the standard four weeks apply as they are
    (``DEFAULT_ITEMS``) and nothing is stored."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vendor"], name="launchtemplate_one")]

    def __str__(self) -> str:
        return str(_("Launch template"))


class LaunchTemplateItem(LaunchTextMixin, TenantModel):
    """One task of the vendor's launch template: in which week, whose job it is (the vendor's
    or the distributor's side), its due day counted from the launch start, and its place in
    the week."""

    template = models.ForeignKey(LaunchTemplate, on_delete=models.CASCADE, related_name="items")
    week = models.PositiveSmallIntegerField(
        _("week"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    position = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    side = models.CharField(_("whose job"), max_length=16, choices=LaunchSide.choices)
    due_day = models.PositiveSmallIntegerField(
        _("due on day"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DUE_DAY)],
        help_text=_("Days after the launch start, e.g. 7 for the end of week 1."),
    )
    default_key = models.CharField(max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["week", "position", "id"]
        indexes = [
            models.Index(fields=["vendor", "template", "week", "position"], name="launchtpl_order")
        ]
        constraints = [
            models.CheckConstraint(condition=Q(week__gte=1, week__lte=4), name="launchtpl_week"),
            models.CheckConstraint(
                condition=Q(due_day__gte=1, due_day__lte=MAX_DUE_DAY), name="launchtpl_due_day"
            ),
        ]

    def __str__(self) -> str:
        return self.display_title


class LaunchChecklist(TenantModel):
    """A distributor's 30-day launch checklist, copied from the vendor's template when the
    distributor first went active. One per distributor (the unique key makes creating it
    idempotent)."""

    distributor = models.ForeignKey(
        "partners.Distributor", on_delete=models.CASCADE, related_name="launch_checklists"
    )
    start_date = models.DateField(_("launch start"))
    created_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vendor", "distributor"], name="launchchecklist_one")
        ]

    def __str__(self) -> str:
        return str(_("Launch checklist of %(name)s") % {"name": self.distributor.name})


class LaunchChecklistItem(LaunchTextMixin, TenantModel):
    """One task on a distributor's checklist: a copy of a template item with a real due date,
    an owner (a person with a login, or a distributor contact without one) and whether, when and
    by whom it was ticked off."""

    checklist = models.ForeignKey(LaunchChecklist, on_delete=models.CASCADE, related_name="items")
    week = models.PositiveSmallIntegerField(_("week"))
    position = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    side = models.CharField(_("whose job"), max_length=16, choices=LaunchSide.choices)
    default_key = models.CharField(max_length=40, blank=True)
    due_on = models.DateField(_("due"))
    owner_membership = models.ForeignKey(
        "partners.Membership",
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_contact = models.ForeignKey(
        "partners.DistributorContact",
        verbose_name=_("owner (contact)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["week", "position", "id"]
        indexes = [
            models.Index(
                fields=["vendor", "checklist", "week", "position"], name="launchitem_order"
            ),
            models.Index(fields=["vendor", "due_on"], name="launchitem_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_membership__isnull=True) | Q(owner_contact__isnull=True),
                name="launchitem_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def owner_label(self) -> str:
        if self.owner_membership is not None:
            return self.owner_membership.user.full_name or self.owner_membership.user.email
        if self.owner_contact is not None:
            return self.owner_contact.name
        return ""

    def is_overdue(self, today) -> bool:
        """Due before ``today`` (the distributor's today) and not done."""
        return self.done_at is None and self.due_on < today
