"""/healthz: JSON with the database's and the broker's status, for load balancers and operators."""

from django.db import connection
from django.http import HttpRequest, JsonResponse

from ..roles import PublicView


class HealthView(PublicView):
    def get(self, request: HttpRequest) -> JsonResponse:
        database = _check_database()
        broker = _check_broker()
        healthy = database["ok"] and broker["ok"]
        return JsonResponse({"status": "ok" if healthy else "degraded", "database": database, "broker": broker},
                            status=200 if healthy else 503)


def _check_database() -> dict[str, object]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy", reported as text
        return {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _check_broker() -> dict[str, object]:
    from django.conf import settings

    from portal.celery import app

    url = settings.CELERY_BROKER_URL
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "in-process"}
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "transport": url.split("://", 1)[0], "error": type(exc).__name__}
    return {"ok": True, "transport": url.split("://", 1)[0]}
