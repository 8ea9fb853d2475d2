from django.utils.functional import SimpleLazyObject

from partners.selectors import workspaces_for_user


def workspace(request):
    """The current workspace and membership, and (lazily) the person's other workspaces."""
    user = getattr(request, "user", None)
    return {
        "vendor": getattr(request, "vendor", None),
        "actor": getattr(request, "membership", None),
        "my_workspaces": SimpleLazyObject(
            lambda: workspaces_for_user(user=user) if user is not None else []
        ),
    }
