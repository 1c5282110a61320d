"""What the API views of filings share: the role groups and the base of an endpoint about one object."""

from typing import Any

from portal.api.base import ProvinceAPIView
from portal.models import Role
from portal.roles import OFFICERS

APPLICANT = (Role.INSTITUTION_MEMBER,)
EVERYONE = (Role.INSTITUTION_MEMBER, *OFFICERS)
PROVINCE = (Role.PROVINCIAL_OFFICER,)


class _ObjectAPIView(ProvinceAPIView):
    """An endpoint about one object: the object is looked up in the caller's scope before the method is checked, so
    an object the caller cannot reach answers 404 to any method."""

    def get_object(self) -> Any:
        raise NotImplementedError

    def http_method_not_allowed(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)
