"""Who edits what: portal editors see and manage every profile, cluster staff their own."""

EDITORS_GROUP = "Editors"


def is_editor(user):
    """Portal editors (superusers and the "Editors" group) see and manage every profile."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not hasattr(user, "_is_portal_editor"):
        user._is_portal_editor = user.is_superuser or user.groups.filter(
            name=EDITORS_GROUP
        ).exists()
    return user._is_portal_editor
