"""App configuration of selection: registers its worklists, demo data and what its publicity notices do."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "selection"
    verbose_name = _("遴选评审")

    def ready(self) -> None:
        from portal import publicity

        from . import demo_data, services, worklists  # noqa: F401  (register the demo step and worklist providers)

        publicity.register_kind(
            services.PUBLICITY_KIND,
            on_item_withdrawn=services.withdraw_after_objection,
            on_notice_ended=services.pass_publicity,
        )
