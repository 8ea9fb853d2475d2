"""Sell-out data: the distributor's outlets (its retail or end customers) and the sales lines
it invoiced to them, loaded from uploaded files or pushed through the bulk API.

A sales line is keyed on (distributor, invoice number, line number): loading the same line again
updates it, it never adds a second copy. Credit notes are lines with a negative quantity and
amount. ``SalesUpload`` is one uploaded file on its way from upload to import; the column mapping
a distributor's files use is remembered in ``SalesColumnMapping``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.markets import CURRENCY_CHOICES
from partners.models import TenantModel, Vendor


class Outlet(TenantModel):
    """A retail or end customer of a distributor, known by the distributor's own customer code.

    ``first_billed_on`` and ``last_billed_on`` are the earliest and latest invoice dates of its
    sales lines; the import keeps them up to date (set-based, after each batch)."""

    distributor = models.ForeignKey(
        "partners.Distributor", on_delete=models.CASCADE, related_name="outlets"
    )
    code = models.CharField(_("customer code"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    tax_id = models.CharField(_("tax id"), max_length=64, blank=True)
    first_billed_on = models.DateField(_("first billed"), null=True, blank=True)
    last_billed_on = models.DateField(_("last billed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "distributor", "code"], name="outlet_unique_code"
            )
        ]
        indexes = [
            models.Index(fields=["vendor", "distributor", "name"], name="outlet_vendor_dist_name"),
            models.Index(fields=["vendor", "last_billed_on"], name="outlet_vendor_last_billed"),
            # The outlets page in its order: the first page of 200,000 outlets without sorting
            # them all.
            models.Index(fields=["vendor", "name", "id"], name="outlet_vendor_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SalesLine(TenantModel):
    """One line of a distributor's invoice (or credit note: negative quantity and amount).

    ``product_line`` is matched from the file's product line (by the vendor's code or name) when
    it names one of the vendor's lines. ``upload`` is the last upload that wrote the line (empty
    for lines pushed through the API): a record of where the line came from, kept without a
    database constraint or index (uploads are never deleted on their own).

    The table takes millions of rows in bulk, so it carries no index a query does not use: the
    single-column indexes Django gives every foreign key are replaced by the composite ones
    below: vendor by (vendor, invoice date), distributor by (distributor, invoice date), which also
    serve the cascades. The outlet keeps its own index (deleting outlets sets their lines' outlet
    to null through it) beside (vendor, outlet, invoice date), which the billed dates read with an
    index probe per outlet."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="+", db_index=False)
    distributor = models.ForeignKey(
        "partners.Distributor",
        on_delete=models.CASCADE,
        related_name="sales_lines",
        db_index=False,
    )
    invoice_number = models.CharField(_("invoice number"), max_length=64)
    line_number = models.PositiveIntegerField(_("line"))
    invoice_date = models.DateField(_("invoice date"))
    ship_date = models.DateField(_("ship date"), null=True, blank=True)
    outlet = models.ForeignKey(
        Outlet,
        verbose_name=_("outlet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sales_lines",
    )
    product_code = models.CharField(_("product code"), max_length=64, blank=True)
    product_name = models.CharField(_("product name"), max_length=200, blank=True)
    product_line = models.ForeignKey(
        "partners.ProductLine",
        verbose_name=_("product line"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    due_date = models.DateField(_("payment due"), null=True, blank=True)
    paid_date = models.DateField(_("paid"), null=True, blank=True)
    upload = models.ForeignKey(
        "reporting.SalesUpload",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-invoice_date", "invoice_number", "line_number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "distributor", "invoice_number", "line_number"],
                name="salesline_unique_invoice_line",
            )
        ]
        indexes = [
            models.Index(fields=["distributor", "invoice_date"], name="salesline_dist_date"),
            models.Index(fields=["vendor", "invoice_date"], name="salesline_vendor_date"),
            models.Index(
                fields=["vendor", "outlet", "invoice_date"], name="salesline_vendor_outlet_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_number}/{self.line_number}"


class SalesColumnMapping(TenantModel):
    """The column headers a distributor's sales files use: ``mapping`` is ``{our field: their
    header}``. Saved when a person maps an upload, offered again for the next one."""

    distributor = models.ForeignKey(
        "partners.Distributor", on_delete=models.CASCADE, related_name="+"
    )
    mapping = models.JSONField(default=dict)
    updated_by = models.ForeignKey(
        "partners.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "distributor"], name="salescolumnmapping_one_per_distributor"
            )
        ]


class SalesUploadStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for the column mapping")
    MAPPED = "mapped", _("Mapped")
    VALIDATING = "validating", _("Checking the rows")
    READY = "ready", _("Checked")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class SalesUpload(TenantModel):
    """One sales file uploaded for a distributor, from upload to import.

    uploaded (headers read, mapping to choose) -> mapped -> validating (a worker reads every
    row) -> ready (``error_rows`` says whether it can be imported) -> importing (a worker writes
    it in batches, ``progress`` in percent) -> done, or failed (``failure`` says why). Errors are
    kept as codes with parameters (the first ``MAX_STORED_ERRORS``) and worded when shown, so each
    reader sees them in their own language. ``import_claimed_at`` is the import task's claim:
    running the task twice imports once."""

    distributor = models.ForeignKey(
        "partners.Distributor", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        "partners.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(_("file"), max_length=300)
    # The rows as checked (our own CSV layout), written by the check when no row has an error;
    # the import reads this, not the person's file.
    checked_file = models.FileField(max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    file_type = models.CharField(_("file type"), max_length=8)  # csv or xlsx
    encoding = models.CharField(_("text encoding"), max_length=32, blank=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SalesUploadStatus.choices,
        default=SalesUploadStatus.UPLOADED,
    )
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)
    errors = models.JSONField(default=list)  # [{"row": n, "field": f, "code": c, "params": {}}]
    preview = models.JSONField(default=list)  # the first rows as read, for the preview
    failure = models.JSONField(default=dict, blank=True)  # {"code": c, "params": {}}
    confirmed_by = models.ForeignKey(
        "partners.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    import_claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["vendor", "-created_at"], name="salesupload_vendor_created"),
            models.Index(fields=["vendor", "distributor"], name="salesupload_vendor_dist"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_busy(self) -> bool:
        """A worker has something to do (the page polls)."""
        return self.status in (
            SalesUploadStatus.MAPPED,
            SalesUploadStatus.VALIDATING,
            SalesUploadStatus.IMPORTING,
        )

    @property
    def can_confirm(self) -> bool:
        return (
            self.status == SalesUploadStatus.READY and self.error_rows == 0 and self.total_rows > 0
        )
