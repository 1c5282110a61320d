"""Rotate a province's certificate signing key: the key in force is retired (it stays published, so the
certificates it signed keep verifying) and a new one signs from now on.

    manage.py rotate_signing_key gd --reason "annual rotation"
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certificates import services
from portal.models import Province


class Command(BaseCommand):
    help = "Retire a province's certificate signing key and make a new one (the old one stays published)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("province", help="the province's slug: gd, sd, gz, …")
        parser.add_argument("--reason", default="", help="why (kept in the audit log)")

    def handle(self, *args: Any, province: str, reason: str, **options: Any) -> None:
        p = Province.objects.filter(slug=province).first()
        if p is None:
            raise CommandError(f"no province {province!r}")
        key = services.rotate_signing_key(p, acting_user=None, reason=reason or "manage.py rotate_signing_key")
        self.stdout.write(self.style.SUCCESS(
            f"{p.name}: new signing key {key.key_id}; public keys at /verify/keys/{p.slug}.json"))
