"""Typed bases for API views under /api/v1/<province>/: the caller's access and user, with no casts in the views.

`DeclaredRoles` admits the roles the view declares and sets `view.access`; these bases declare what that makes
true, so views read `self.access` and `self.user` (a logged-in `User`) with no ignore comment for the type checker.
"""

from typing import Any, TypeVar, cast

from django.db.models import Model
from rest_framework import generics
from rest_framework.views import APIView

from portal.models import User
from portal.roles import ProvinceAccess

from .permissions import DeclaredRoles

M = TypeVar("M", bound=Model)

__all__ = [
    "ProvinceAPIView",
    "ProvinceCreateAPIView",
    "ProvinceGenericAPIView",
    "ProvinceListAPIView",
    "ProvinceListCreateAPIView",
    "ProvinceRetrieveAPIView",
    "ProvinceRetrieveUpdateAPIView",
    "user_of",
]


def user_of(request: Any) -> User:
    """The logged-in user of a request that passed `DeclaredRoles` with a province role (never anonymous there)."""
    return cast(User, request.user)


class _ProvinceAccessMixin:
    """What `DeclaredRoles` sets on a view of a province: `access`; and the logged-in `user`."""

    access: ProvinceAccess
    request: Any

    @property
    def user(self) -> User:
        return user_of(self.request)


class ProvinceAPIView(_ProvinceAccessMixin, APIView):
    permission_classes = [DeclaredRoles]


class ProvinceGenericAPIView(_ProvinceAccessMixin, generics.GenericAPIView[M]):
    permission_classes = [DeclaredRoles]


class ProvinceListAPIView(_ProvinceAccessMixin, generics.ListAPIView[M]):
    permission_classes = [DeclaredRoles]


class ProvinceRetrieveAPIView(_ProvinceAccessMixin, generics.RetrieveAPIView[M]):
    permission_classes = [DeclaredRoles]


class ProvinceCreateAPIView(_ProvinceAccessMixin, generics.CreateAPIView[M]):
    permission_classes = [DeclaredRoles]


class ProvinceListCreateAPIView(_ProvinceAccessMixin, generics.ListCreateAPIView[M]):
    permission_classes = [DeclaredRoles]


class ProvinceRetrieveUpdateAPIView(_ProvinceAccessMixin, generics.RetrieveUpdateAPIView[M]):
    permission_classes = [DeclaredRoles]
