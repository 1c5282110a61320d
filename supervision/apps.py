"""App configuration of supervision: registers its demo data."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("监督管理")

    def ready(self) -> None:
        from . import demo_data  # noqa: F401  (registers the demo step)
