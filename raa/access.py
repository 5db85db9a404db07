"""Who may see and do what: the one place the access rules live.

Deny by default. A person's powers come from their active memberships (a role over one council or
the whole region). Views ask this module two questions:

* may this person use this kind of page at all?  No -> 403 (:func:`require_role`).
* is this record inside their scope?  No -> 404, through the ``visible_to(user)`` querysets,
  which call :func:`councils_for`, so that a record's existence never leaks to another council.

The policy in words:

* social workers and team managers see and change their councils' children (region-scope
  adoption social workers: every council's);
* managers (heads of service) see case records read-only, dashboards, tracking and reports;
* board members see board reports and nothing child- or adopter-level;
* data officers see case records read-only and import and export;
* administrators may do everything, including the Django admin.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from raa.models import Council, Membership, Region, Role

R = Role

CASE_VIEW_ROLES = frozenset(
    {R.SOCIAL_WORKER, R.TEAM_MANAGER, R.MANAGER, R.DATA_OFFICER, R.ADMINISTRATOR}
)
CASE_EDIT_ROLES = frozenset({R.SOCIAL_WORKER, R.TEAM_MANAGER, R.ADMINISTRATOR})
HISTORY_ROLES = frozenset({R.TEAM_MANAGER, R.MANAGER, R.ADMINISTRATOR})
#: Reopening a closed record is a team manager's decision.
REOPEN_ROLES = frozenset({R.TEAM_MANAGER, R.ADMINISTRATOR})
DASHBOARD_ROLES = frozenset({R.TEAM_MANAGER, R.MANAGER, R.DATA_OFFICER, R.ADMINISTRATOR})
TRACKING_ROLES = frozenset({R.SOCIAL_WORKER, R.TEAM_MANAGER, R.MANAGER, R.ADMINISTRATOR})
#: Recording a tracking meeting and its actions (an action's owner may also mark it done).
MEETING_ROLES = frozenset({R.TEAM_MANAGER, R.MANAGER, R.ADMINISTRATOR})
REPORT_ROLES = frozenset({R.BOARD_MEMBER, R.TEAM_MANAGER, R.MANAGER, R.ADMINISTRATOR})
#: Drafting, previewing and publishing board reports (board members read published ones).
REPORT_EDIT_ROLES = frozenset({R.TEAM_MANAGER, R.MANAGER, R.ADMINISTRATOR})
IMPORT_ROLES = frozenset({R.DATA_OFFICER, R.ADMINISTRATOR})
EXPORT_ROLES = frozenset({R.DATA_OFFICER, R.TEAM_MANAGER, R.MANAGER, R.ADMINISTRATOR})
ADMIN_ROLES = frozenset({R.ADMINISTRATOR})


def memberships(user) -> list[Membership]:
    """The person's active memberships, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_raa_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.active()
            .filter(user=user)
            .select_related("council", "region")
            .order_by("role", "council__name")
        )
        user._raa_memberships = cached
    return cached


def roles(user) -> set[str]:
    return {m.role for m in memberships(user)}


def has_role(user, allowed: Iterable[str]) -> bool:
    allowed = set(allowed)
    return any(m.role in allowed for m in memberships(user))


def require_role(user, allowed: Iterable[str]) -> None:
    """Raise PermissionDenied (403) unless the person holds one of the roles somewhere.

    For pages that are not about one record or council (lists, forms that offer a choice of
    councils). A check on a record uses :func:`require_role_over`."""
    if not has_role(user, allowed):
        raise PermissionDenied("Your role does not give you access to this page.")


def is_administrator(user) -> bool:
    return has_role(user, ADMIN_ROLES)


def region_wide(user, allowed: Iterable[str]) -> bool:
    """True if the person holds one of the roles over a whole region (or is an administrator)."""
    allowed = set(allowed)
    return any(
        m.role == R.ADMINISTRATOR or (m.role in allowed and m.council_id is None)
        for m in memberships(user)
    )


def council_ids_for(user, allowed: Iterable[str]) -> set[int]:
    """Ids of the councils over which the person holds one of the roles.

    A region-scope membership covers every council of its region; an administrator covers every
    council. Costs one query the first time in a request (memberships), one more for region scope.
    """
    allowed = set(allowed)
    council_ids: set[int] = set()
    region_ids: set[int] = set()
    everything = False
    for m in memberships(user):
        if m.role == R.ADMINISTRATOR:
            everything = True
        elif m.role in allowed:
            if m.council_id is None:
                region_ids.add(m.region_id)
            else:
                council_ids.add(m.council_id)
    if everything:
        return set(Council.objects.values_list("id", flat=True))
    if region_ids:
        council_ids |= set(
            Council.objects.filter(region_id__in=region_ids).values_list("id", flat=True)
        )
    return council_ids


def councils_for(user, allowed: Iterable[str]) -> QuerySet[Council]:
    return Council.objects.filter(id__in=council_ids_for(user, allowed))


def region_ids_for(user, allowed: Iterable[str]) -> set[int]:
    """Regions in which the person holds one of the roles over the whole region."""
    allowed = set(allowed)
    if is_administrator(user):
        return set(Region.objects.values_list("id", flat=True))
    return {m.region_id for m in memberships(user) if m.role in allowed and m.council_id is None}


def has_role_over(user, allowed: Iterable[str], council: Council) -> bool:
    """True if the person holds one of the roles over this council: a membership of the council
    itself, of its whole region, or the administrator role. A role held over another council
    does not count (someone who is a team manager in one council and a social worker in another
    is a social worker in the second). No query beyond the person's memberships."""
    allowed = set(allowed)
    return any(
        m.role == R.ADMINISTRATOR
        or (
            m.role in allowed
            and (m.council_id == council.pk if m.council_id else m.region_id == council.region_id)
        )
        for m in memberships(user)
    )


def require_role_over(user, allowed: Iterable[str], council: Council) -> None:
    """Raise PermissionDenied (403) unless the person holds one of the roles over the council of
    the record. Call it after fetching the record through its scoped queryset (404 first)."""
    if not has_role_over(user, allowed, council):
        raise PermissionDenied("Your role over this record's council does not allow this.")


def has_region_role_over(user, allowed: Iterable[str], region_id: int) -> bool:
    """True if the person holds one of the roles over this whole region (or is an
    administrator). Region-scope work (households, family finding) asks this of the record's
    region, not of any region."""
    return region_id in region_ids_for(user, allowed)


def has_role_over_household(
    user, allowed: Iterable[str], *, region_id: int, linked_council_ids: Iterable[int]
) -> bool:
    """True if the person holds one of the roles over a household: over its whole region, or
    over a council one of whose children is linked, matched or placed with it (the same rule
    by which council staff see households). The recruiting council alone gives no sight of a
    household, so it gives no role over it either."""
    if has_region_role_over(user, allowed, region_id):
        return True
    return bool(set(linked_council_ids) & council_ids_for(user, allowed))


def may_add_households(user) -> bool:
    """Households belong to the region, so only region-scope case staff add them."""
    return bool(region_ids_for(user, CASE_EDIT_ROLES))


def may_edit_household(user, region_id: int) -> bool:
    """Only case staff over the household's whole region change it (a region role held over
    another region does not count; a council role, even over a linked child's council, does
    not either)."""
    return has_region_role_over(user, CASE_EDIT_ROLES, region_id)


def may_do_family_finding(user, region_id: int, *, edit: bool = False) -> bool:
    """Family finding is the region's adoption team's work: a role over the child's whole
    region that sees case records (``edit``: that changes them)."""
    return has_region_role_over(user, CASE_EDIT_ROLES if edit else CASE_VIEW_ROLES, region_id)


def holders_by_council(
    allowed: Iterable[str],
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Who holds one of the roles over which council, for work that is nobody's request (the
    alerts): ids of active people by council they cover (a region-scope membership covers
    every council of its region), and ids by region for those who hold it region-wide. Only
    memberships of the roles themselves count (the administrator role is not one of them).
    Two queries."""
    by_council: dict[int, set[int]] = defaultdict(set)
    by_region: dict[int, set[int]] = defaultdict(set)
    region_councils: dict[int, list[int]] = defaultdict(list)
    for council_id, region_id in Council.objects.values_list("id", "region_id"):
        region_councils[region_id].append(council_id)
    held = Membership.objects.active().filter(role__in=set(allowed), user__is_active=True)
    for user_id, council_id, region_id in held.values_list("user_id", "council_id", "region_id"):
        if council_id:
            by_council[council_id].add(user_id)
        else:
            by_region[region_id].add(user_id)
            for covered in region_councils[region_id]:
                by_council[covered].add(user_id)
    return by_council, by_region


def holders_over(allowed: Iterable[str], councils: Iterable[Council]) -> QuerySet[Membership]:
    """Active memberships that give one of the roles over one of these councils: of the
    council itself, or of its whole region (the administrator role is not one of the roles)."""
    councils = list(councils)
    council_ids = [c.pk for c in councils]
    region_ids = {c.region_id for c in councils}
    return (
        Membership.objects.active()
        .filter(role__in=set(allowed))
        .filter(Q(council_id__in=council_ids) | Q(council__isnull=True, region_id__in=region_ids))
    )


def may_edit_council_records(user, council_id: int) -> bool:
    return council_id in council_ids_for(user, CASE_EDIT_ROLES)


def require_edit(user, council_id: int) -> None:
    if not may_edit_council_records(user, council_id):
        raise PermissionDenied("Your role lets you read this record but not change it.")


class AdministratorPermissionBackend:
    """Gives people with the administrator role every model permission in the Django admin,
    however the role was given (command or admin), so no superuser flag is needed. It
    authenticates nobody."""

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return user_obj.is_active and is_administrator(user_obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        return user_obj.is_active and is_administrator(user_obj)


#: Exporting the tracking list: those who may see it and may export.
TRACKING_EXPORT_ROLES = TRACKING_ROLES & EXPORT_ROLES
