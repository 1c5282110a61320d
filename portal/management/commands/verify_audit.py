"""manage.py verify_audit [--province gd]: walk the audit hash chains, name the first broken link of each and the
events not sealed yet."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from portal.audit_chain import NO_PROVINCE, ChainReport, verify_all, verify_chain
from portal.models import Province

STALE_PENDING = dt.timedelta(minutes=10)  # the beat sweep seals leftovers every minute


class Command(BaseCommand):
    help = "Verify the audit log's hash chains; exits non-zero naming the first broken link (event id, hashes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province", help=f"a province's slug (e.g. gd), or {NO_PROVINCE!r} for the events without a province"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options.get("province")
        if slug == NO_PROVINCE:
            reports = [verify_chain(None)]
        elif slug:
            province = Province.objects.filter(slug=slug).first()
            if province is None:
                raise CommandError(f"No province {slug!r}.")
            reports = [verify_chain(province)]
        else:
            reports = verify_all()
        broken = [r for r in reports if r.broken is not None]
        for report in reports:
            self._show(report)
        if broken:
            raise CommandError(f"{len(broken)} audit chain(s) broken; first: {broken[0].broken}")

    def _show(self, report: ChainReport) -> None:
        if report.broken is None:
            self.stdout.write(f"chain {report.chain}: {report.length} events, intact")
        else:
            self.stderr.write(f"BROKEN {report.broken}")
        if report.pending and report.oldest_pending is not None:
            age = timezone.now() - report.oldest_pending
            line = (f"chain {report.chain}: {report.pending} event(s) not sealed yet, the oldest recorded at "
                    f"{report.oldest_pending:%Y-%m-%d %H:%M:%S%z}")
            if age > STALE_PENDING:
                self.stderr.write(f"WARNING {line}: older than {STALE_PENDING}; is the beat task "
                                  "portal.seal_audit_chains running?")
            else:
                self.stdout.write(line)
