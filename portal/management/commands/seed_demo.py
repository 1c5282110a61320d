"""Load the demo data of every app (each registers its step in portal.demo). Idempotent."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from portal import demo


class Command(BaseCommand):
    help = "Create the demo accounts, institutions and data for Guangdong, Shandong and Guizhou (password demo-2026)."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, step in demo.steps():
            with transaction.atomic():
                step()
            self.stdout.write(f"demo data: {name}")
