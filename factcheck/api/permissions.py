"""Who may call what. Reads are open (visibility is the selectors' job); writes need a session or a
write-scope token and the model permission of the resource; roles and four eyes are then checked
by the services themselves (RoleError/FourEyesError → 403).

A token's scope reaches this module as ``request.auth.read_only`` (``accounts.models.ApiToken``
sets it); the shared plumbing does not import the accounts app."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from rest_framework import permissions
from rest_framework.exceptions import NotAuthenticated, PermissionDenied

WRITE_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


def is_read_token(request) -> bool:
    """Whether the request authenticated with a read-scope credential (an API token)."""
    return bool(getattr(request.auth, "read_only", False))


def api_viewer(request):
    """The user whose visibility applies: a non-staff user's read token sees what the public sees."""
    user = request.user
    if is_read_token(request) and not user.is_staff:
        return AnonymousUser()
    return user


class ApiWritePermission(permissions.BasePermission):
    """Safe methods: anyone. Writes: authenticated, not with a read-scope token, and holding the
    view's ``write_permissions[method]`` (default: ``<app>.<add|change|delete>_<model>``)."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not (request.user and request.user.is_authenticated):
            raise NotAuthenticated()
        if is_read_token(request):
            raise PermissionDenied("This token has read scope only.")
        required = self.required_permission(request, view)
        if required and not request.user.has_perm(required):
            raise PermissionDenied("Your role does not allow this.")
        return True

    def required_permission(self, request, view) -> str | None:
        explicit = getattr(view, "write_permissions", None)
        if explicit is not None:
            return explicit.get(request.method)
        model = view.get_queryset().model
        action = WRITE_ACTIONS.get(request.method)
        return f"{model._meta.app_label}.{action}_{model._meta.model_name}" if action else None


class IsSuperuserForWrites(permissions.BasePermission):
    """Ratings: the verdict scale is the newsroom's methodology; only administrators change it."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not request.user.is_superuser:
            raise PermissionDenied("Only administrators may change the rating scale.")
        return True
