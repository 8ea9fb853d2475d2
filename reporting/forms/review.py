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


def review_forms(data=None, *, bound: str | None = None) -> dict:
    """The three action forms of a report's page; only ``bound`` gets the posted data."""
    return {
        "acknowledge_form": ReviewCommentForm(
            data if bound == "acknowledge" else None, prefix="acknowledge"
        ),
        "return_form": ReviewCommentForm(
            data if bound == "return" else None, prefix="return", required=True
        ),
        "comment_form": ReviewCommentForm(
            data if bound == "comment" else None, prefix="comment", required=True
        ),
    }
