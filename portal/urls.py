"""Root URLs. Officers work under /<province>/ (gd, sd, gz); the API under /api/v1/; public pages need no login."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .roles import PUBLIC
from .views import accounts, audit, calendar, exports, health, home, inbox, publicity, twofactor


class SchemaView(SpectacularAPIView):
    allowed_roles = (PUBLIC,)


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script served from this URL (?script=): the CSP forbids inline scripts."""

    allowed_roles = (PUBLIC,)



account_patterns = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    path("password/change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", accounts.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", accounts.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("two-factor/", twofactor.SettingsView.as_view(), name="two_factor_settings"),
    path("two-factor/verify/", twofactor.VerifyView.as_view(), name="two_factor_verify"),
    path("two-factor/enrol/", twofactor.EnrolView.as_view(), name="two_factor_enrol"),
    path("two-factor/backup-codes/", twofactor.BackupCodesView.as_view(), name="two_factor_backup_codes"),
    path("two-factor/off/", twofactor.DisableView.as_view(), name="two_factor_disable"),
]

province_patterns: list[URLPattern | URLResolver] = [
    path("", home.ProvinceHomeView.as_view(), name="province_home"),
    path("audit/", audit.AuditListView.as_view(), name="audit_list"),
    path("audit/<int:pk>/", audit.AuditDetailView.as_view(), name="audit_detail"),
    path("calendar/", calendar.CalendarView.as_view(), name="calendar"),
    path("calendar/<int:year>/", calendar.CalendarYearView.as_view(), name="calendar_year"),
    path("exports/", exports.ExportListView.as_view(), name="export_list"),
    path("exports/<int:pk>/", exports.ExportDetailView.as_view(), name="export_detail"),
    path("exports/<int:pk>/download/", exports.ExportDownloadView.as_view(), name="export_download"),
    path("publicity/", publicity.NoticeManageListView.as_view(), name="publicity_manage"),
    path("publicity/<int:pk>/", publicity.NoticeManageDetailView.as_view(), name="publicity_manage_notice"),
    path("publicity/objections/<int:pk>/", publicity.ObjectionView.as_view(), name="publicity_objection"),
    path("publicity/objections/<int:pk>/attachment/", publicity.ObjectionAttachmentView.as_view(),
         name="publicity_objection_attachment"),
    path("selection/", include("selection.urls")),
    path("exams/", include("certificates.urls.exams")),
    path("certificates/", include("certificates.urls.certificates")),
    path("supervision/", include("supervision.urls")),
    path("", include("filings.urls")),
]

# The database away answers 503 with a message and a code, every other uncaught error the 500 page (portal.unavailable).
handler500 = "portal.unavailable.server_error"

urlpatterns = [
    # The public lookup's page and API first: a request is matched against the patterns in order, and these are the
    # most requested (the prefixes are disjoint, so the order changes nothing else).
    path("verify/", include("certificates.urls.verify")),  # 证书查询验证, public
    path("api/v1/", include("portal.api.urls")),
    path("", home.RootView.as_view(), name="root"),
    path("home/", home.HomeView.as_view(), name="home"),
    path("healthz", health.HealthView.as_view(), name="healthz"),
    path("accounts/", include(account_patterns)),
    path("inbox/", inbox.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/read/", inbox.NotificationReadView.as_view(), name="notification_read"),
    path("inbox/read-all/", inbox.NotificationReadAllView.as_view(), name="notification_read_all"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SchemaView.as_view(), name="api_schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    # public notices before the province catch-all below ("publicity" would otherwise read as a province slug)
    path("publicity/<slug:province>/", publicity.PublicNoticeListView.as_view(), name="public_notices"),
    path("publicity/<slug:province>/<int:pk>/", publicity.PublicNoticeView.as_view(), name="public_notice"),
    path("catalog/<slug:province>/", include("filings.catalog_urls")),  # 评价机构目录, public
    path("holder/", include("certificates.urls.holder")),  # 技能银行: the holder's account; share links public
    path("feedback/", include("supervision.urls_public")),  # 持证人与用人单位反馈, public
    path("inspections/<slug:province>/", include("supervision.urls_campaigns_public")),  # 双随机抽查公开, public
    path("complaints/", include("supervision.urls_complaints_public")),  # 投诉与查询, public
    path("<slug:province>/", include(province_patterns)),
]

