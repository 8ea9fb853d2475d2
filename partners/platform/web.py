"""Page helpers every workspace view uses, whichever app it belongs to.

The tenant middleware has already put ``request.vendor`` and ``request.membership`` on the
request and opened the scope; these helpers build the page's context, gate a view on a role
predicate (``partners.roles``), mark the views non-members may open, and put a service's
``ValidationError`` beside the form fields it names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.utils.functional import cached_property


def tenant_public(view):
    """Mark a view under /<vendor-slug>/ that people who are not members may open (the
    invitation link). It still runs inside the vendor's scope."""
    view.tenant_public = True
    return view


def page_context(request):
    """What every workspace page renders with: the workspace and the person's membership in it."""
    return {"vendor": request.vendor, "actor": request.membership}


def requires(predicate):
    """Allow the view only to members for whom ``predicate(membership)`` holds (403 otherwise:
    the page exists in their own workspace, it is just not theirs to use)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not predicate(request.membership):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_post(form, call: Callable[[dict], object]) -> bool:
    """Validate ``form`` and run ``call(form.cleaned_data)`` (a service call). True when the
    service accepted it; False when the form or the service refused it, with the service's
    errors placed beside the fields they name so the page can render the form again."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    return True


class CountedPaginator(Paginator):
    """A paginator given the number of rows, for a page that has already counted them (tab
    counts, totals): the rows are not counted a second time."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count
