"""App configuration of supervision: registers its demo data, worklists, dashboard panels, the ranking notice and
the holder's feedback section."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("监督管理")

    def ready(self) -> None:
        from portal import publicity

        from . import (  # noqa: F401  (registrations)
            dashboards,
            demo_complaints,
            demo_data,
            demo_exits,
            demo_inspections,
            demo_oversight,
            demo_renewal,
            holder_record,
            inspection_homes,
            services,
            worklists,
        )

        publicity.register_kind(services.RANKING_KIND, on_item_withdrawn=services.on_ranking_item_withdrawn)
        publicity.register_kind(services.EXIT_KIND)  # an announcement (公告): objections change nothing by themselves
