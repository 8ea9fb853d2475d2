"""Forms of the review actions on a report's page (the service validates again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.services.review import COMMENT_MAX_LENGTH


class ReviewCommentForm(forms.Form):
    """A reviewer's comment; ``required`` for a return or a plain comment."""

    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required
        if required:
            self.fields["comment"].error_messages["required"] = (
                _("Say what needs to be corrected.")
                if kwargs.get("prefix") == "return"
                else _("Write a comment.")
            )


# Acknowledging needs no comment; returning and commenting do.
COMMENT_REQUIRED = {"acknowledge": False, "return": True, "comment": True}


def review_form(data=None, *, action: str | None = None) -> ReviewCommentForm:
    """The one comment box of a report's page, posted by one of its three buttons (acknowledge,
    return for correction, comment); bound, it checks what ``action`` needs."""
    if action is None:
        return ReviewCommentForm()
    return ReviewCommentForm(data, required=COMMENT_REQUIRED[action])
