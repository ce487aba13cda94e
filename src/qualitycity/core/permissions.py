"""The one permission layer: may this user do this, and to which objects?

Every view and API operation declares a rule by name (``@requires("...")``). A rule grants
each role a *scope*: ``ALL`` objects, the objects in the user's own districts
(``DISTRICT``), the user's own organizations (``OWN_ORG``) or the user's own records
(``SELF``). Nothing else in the code base decides access, and a test enumerates every URL
and API operation to prove each one declares a rule.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import Enum

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .models import Membership, Role


class Scope(Enum):
    ALL = "all"
    DISTRICT = "district"
    OWN_ORG = "own_org"
    SELF = "self"


ANONYMOUS = "anonymous"  # pseudo-role: nobody logged in
STAFF_ROLES = (Role.CITY_OFFICE, Role.SYSTEM_ADMIN)


@dataclass(frozen=True)
class Rule:
    name: str
    grants: dict = field(default_factory=dict)  # role (or ANONYMOUS) -> Scope
    description: str = ""
    # Where a model keeps its district, organization and owner, for scoping querysets.
    area_field: str = "area"
    org_field: str = "id"
    owner_field: str = "user"

    @property
    def is_public(self) -> bool:
        return ANONYMOUS in self.grants


RULES: dict[str, Rule] = {}


def define(name: str, grants: dict, description: str = "", **fields) -> Rule:
    if name in RULES:
        raise ValueError(f"permission rule {name!r} defined twice")
    RULES[name] = rule = Rule(name=name, grants=dict(grants), description=description, **fields)
    return rule


def everyone(scope: Scope = Scope.ALL) -> dict:
    """Grants for a rule any logged-in user passes."""
    return {role: scope for role in Role}


# ---- who is the user -------------------------------------------------------------


def _memberships(user) -> list[Membership]:
    cached = getattr(user, "_qc_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organization"))
        user._qc_memberships = cached
    return cached


def roles_of(user) -> set[str]:
    if user is None or not user.is_authenticated:
        return {ANONYMOUS}
    roles = {m.role for m in _memberships(user)}
    if user.is_superuser:
        roles.add(Role.SYSTEM_ADMIN)
    if not roles:
        roles.add(Role.CITIZEN)
    return roles


def primary_role(user) -> str:
    """The role whose home page the user sees: the most powerful one they hold."""
    order = [
        Role.SYSTEM_ADMIN,
        Role.CITY_OFFICE,
        Role.DISTRICT_OFFICER,
        Role.DEPARTMENT_OFFICER,
        Role.PROVIDER_STAFF,
        Role.EXPERT,
        Role.ENTERPRISE_MEMBER,
        Role.CITIZEN,
        ANONYMOUS,
    ]
    held = roles_of(user)
    return next(role for role in order if role in held)


def organization_ids(user, role: str | None = None) -> list[int]:
    return [m.organization_id for m in _memberships(user) if role is None or m.role == role]


def district_area_ids(user) -> list[int]:
    return [m.organization.area_id for m in _memberships(user) if m.role == Role.DISTRICT_OFFICER]


# ---- the questions ---------------------------------------------------------------


def get_rule(name: str) -> Rule:
    try:
        return RULES[name]
    except KeyError:
        raise LookupError(f"no permission rule named {name!r}") from None


def is_allowed(user, rule_name: str) -> bool:
    rule = get_rule(rule_name)
    return any(role in rule.grants for role in roles_of(user))


def _scope_q(user, rule: Rule, role: str, scope: Scope) -> Q | None:
    """The filter for one role's scope; ``None`` means no restriction."""
    if scope is Scope.ALL:
        return None
    if scope is Scope.DISTRICT:
        return Q(**{f"{rule.area_field}__in": district_area_ids(user)})
    if scope is Scope.OWN_ORG:
        return Q(**{f"{rule.org_field}__in": organization_ids(user, role)})
    return Q(**{rule.owner_field: user.pk if user.is_authenticated else None})


def scope_filter(user, rule_name: str) -> Q | None:
    """The union of what the user's roles may see under a rule. ``None`` means all;
    ``Q(pk__in=[])`` means nothing."""
    rule = get_rule(rule_name)
    combined = Q(pk__in=[])
    for role in roles_of(user):
        scope = rule.grants.get(role)
        if scope is None:
            continue
        condition = _scope_q(user, rule, role, scope)
        if condition is None:
            return None
        combined |= condition
    return combined


def scoped(user, rule_name: str, queryset: QuerySet) -> QuerySet:
    condition = scope_filter(user, rule_name)
    return queryset if condition is None else queryset.filter(condition)


def can(user, rule_name: str, obj) -> bool:
    """Object-level check: the object is inside the user's scope for this rule."""
    if not is_allowed(user, rule_name):
        return False
    condition = scope_filter(user, rule_name)
    if condition is None:
        return True
    return type(obj)._default_manager.filter(condition, pk=obj.pk).exists()


def ensure(user, rule_name: str, obj=None) -> None:
    allowed = is_allowed(user, rule_name) if obj is None else can(user, rule_name, obj)
    if not allowed:
        raise PermissionDenied(f"permission rule {rule_name} denies this")


# ---- declaring rules on views and API operations ----------------------------------


def requires(rule_name: str):
    """Declare the rule of a Django view: anonymous users go to the login page, others
    the rule denies get 403. The rule must exist when the module is imported."""
    get_rule(rule_name)

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_allowed(request.user, rule_name):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.permission_rule = rule_name
        return wrapped

    return decorate


def api_requires(rule_name: str):
    """Declare the rule of a django-ninja operation (401 anonymous, 403 denied)."""
    get_rule(rule_name)

    def decorate(func):
        @functools.wraps(func)
        def wrapped(request, *args, **kwargs):
            ensure_api(request, rule_name)
            check_integer_bounds(kwargs)
            return func(request, *args, **kwargs)

        wrapped.permission_rule = rule_name
        return wrapped

    return decorate


# The widest integer any column holds (bigint). Python's int has no bound, so an id or a
# page number beyond it would reach the database and fail there: OverflowError on SQLite,
# "out of range" on PostgreSQL. Refusing it here gives the same 422 on both.
INT_BOUND = 2**63 - 1


def check_integer_bounds(values: dict) -> None:
    """Raise ninja's ValidationError (a 422 naming the field) for any parsed integer, in
    the arguments or one level inside a schema, that no database column could hold."""
    from ninja.errors import ValidationError
    from pydantic import BaseModel

    problems = []
    for name, value in values.items():
        fields = dict(value) if isinstance(value, BaseModel) else {name: value}  # shallow: no copy
        for key, item in fields.items():
            if isinstance(item, int) and not isinstance(item, bool) and abs(item) > INT_BOUND:
                problems.append({"loc": ("query", key), "msg": str(_("数值超出允许范围"))})
    if problems:
        raise ValidationError(problems)


class NotAuthenticated(Exception):
    pass


def ensure_api(request, rule_name: str) -> None:
    if is_allowed(request.user, rule_name):
        _ensure_csrf_for_session(request)
        return
    if not request.user.is_authenticated:
        raise NotAuthenticated
    raise PermissionDenied


def _ensure_csrf_for_session(request) -> None:
    """Token clients are immune to CSRF; a browser session writing through the API is not,
    so it must present the CSRF token like any form."""
    if request.method in ("GET", "HEAD", "OPTIONS") or getattr(request, "token_authenticated", False):
        return
    if not request.user.is_authenticated:
        return
    from django.middleware.csrf import CsrfViewMiddleware

    failure = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
    if failure is not None:
        raise PermissionDenied("CSRF check failed")
