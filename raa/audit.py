"""The audit trail's request hook: refused requests leave a row.

An enumerating insider produces a run of 404s (records outside their scope) and 403s (pages or
records their role does not reach); these are logged as ``refused`` with who, which page and
which record id, never the path or query string.
"""

from raa.services import audit_refused

REFUSED_STATUSES = (403, 404)
#: URL arguments that name a record by its id (the admin's ``object_id`` is text: kept only
#: when it is a number).
ID_ARGUMENTS = ("pk", "object_id")


class AuditRefusalsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in REFUSED_STATUSES:
            self.log(request, response.status_code)
        return response

    @staticmethod
    def log(request, status: int) -> None:
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        # Addresses that match no page are not a record of anyone's; anonymous people are
        # sent to sign in before they reach a page.
        if match is None or user is None or not user.is_authenticated:
            return
        object_id = next(
            (
                str(match.kwargs[name])
                for name in ID_ARGUMENTS
                if str(match.kwargs.get(name, "")).isdigit()
            ),
            "",
        )
        audit_refused(
            user=user,
            view_name=match.view_name or "",
            object_id=object_id,
            status=status,
            method=request.method,
        )
