"""What every page's header and navigation need to know about the signed-in person."""

from raa import access


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    ms = access.memberships(user)
    scopes = sorted({m.scope_label for m in ms})
    return {
        "nav": {
            "children": access.has_role(user, access.CASE_VIEW_ROLES),
            "adopters": access.has_role(user, access.CASE_VIEW_ROLES),
            "scorecard": access.has_role(user, access.DASHBOARD_ROLES),
            "tracking": access.has_role(user, access.TRACKING_ROLES),
            "reports": access.has_role(user, access.REPORT_ROLES),
            "admin": access.is_administrator(user),
            "imports": access.has_role(user, access.IMPORT_ROLES),
            "returns": access.has_role(user, access.EXPORT_ROLES),
        },
        "my_roles": sorted({m.get_role_display() for m in ms}),
        "my_scopes": scopes,
    }
