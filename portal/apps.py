"""App configuration of the platform core."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("平台核心")

    def ready(self) -> None:
        # the core's demo step and worklist providers register themselves; twofactor's login receiver must be
        # connected before the first login, not when its middleware is first loaded by a request
        from . import demo_data, home, publicity, text, twofactor  # noqa: F401

        text.install()
