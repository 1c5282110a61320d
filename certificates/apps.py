"""App configuration of certificates: registers its worklists, demo data and what its result publicity does."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("考核与证书")

    def ready(self) -> None:
        from portal import publicity
        from portal.models import Role

        from . import demo_data, services, worklists  # noqa: F401  (register the demo step and worklist providers)

        # The organization answers objections to its own result publicity (services.answer_objection checks that
        # the person belongs to the plan's organization before portal.publicity resolves it).
        publicity.register_kind(
            services.RESULTS_KIND,
            on_item_withdrawn=services.on_result_item_withdrawn,
            on_notice_ended=services.on_result_publicity_ended,
            resolver_roles=(Role.INSTITUTION_MEMBER,),
        )
