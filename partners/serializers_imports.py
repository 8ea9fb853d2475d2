"""API shapes of bulk import: the upload and the preview of a batch."""

from rest_framework import serializers


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A CSV (UTF-8 or Shift_JIS/CP932) or XLSX file.")


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row number as the spreadsheet shows it.")
    field = serializers.CharField(help_text="The column key, e.g. country or contact_email.")
    column = serializers.CharField(help_text="The column's name in the reader's language.")
    message = serializers.CharField()


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    distributor = serializers.CharField()
    distributor_action = serializers.ChoiceField(
        choices=["create", "update", "unchanged", ""],
        help_text="On the first row of each distributor; empty on its later rows.",
    )
    changes = serializers.ListField(child=serializers.CharField())
    group_row = serializers.IntegerField(allow_null=True)
    contact = serializers.CharField()
    contact_action = serializers.ChoiceField(choices=["create", "existing", ""])
    errors = ImportErrorSerializer(many=True)  # type: ignore[assignment]  # a declared field


class ImportSummarySerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    error_rows = serializers.IntegerField()
    distributors_new = serializers.IntegerField()
    distributors_updated = serializers.IntegerField()
    distributors_unchanged = serializers.IntegerField()
    contacts_new = serializers.IntegerField()
    contacts_existing = serializers.IntegerField()


class ImportBatchSerializer(serializers.Serializer):
    """A batch as ``import_batch_preview`` describes it."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["preview", "imported", "discarded"])
    file_name = serializers.CharField()
    file_type = serializers.CharField()
    encoding = serializers.CharField()
    created_at = serializers.DateTimeField()
    applied_at = serializers.DateTimeField(allow_null=True)
    uploaded_by = serializers.CharField()
    ignored_columns = serializers.ListField(child=serializers.CharField())
    summary = ImportSummarySerializer()
    error_count = serializers.IntegerField()
    can_confirm = serializers.BooleanField()
    errors = ImportErrorSerializer(many=True)  # type: ignore[assignment]  # a declared field
    rows = ImportRowSerializer(many=True)
