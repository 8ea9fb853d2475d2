"""Forms for bulk import (the upload)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    """The spreadsheet to import; what is in it is checked by the import service."""

    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "A CSV file (UTF-8 or Shift_JIS as Excel saves it) or an Excel workbook (.xlsx)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
