"""Verify a certificate's QR payload offline, with nothing but the province's published key file.

    manage.py verify_certificate_qr --keys gd.json 'https://…/verify/q/Q1Yx….PiHU…/'
    manage.py verify_certificate_qr --keys gd.json --image certificate.png      (decodes the QR with zbarimg)

The key file is the JSON published at /verify/keys/<province>.json. No database, no network: the signature is
checked with the public key the payload's key id names. Exit status 0 when it verifies, 1 otherwise.
"""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certificates import signing


class Command(BaseCommand):
    help = "Verify a certificate QR payload (or the URL it encodes) with a province's published public key file."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("payload", nargs="?", help="the QR text: the verification URL or the token alone")
        parser.add_argument("--keys", required=True, help="the key file published at /verify/keys/<province>.json")
        parser.add_argument("--image", help="a PNG/JPEG of the QR code to decode with zbarimg instead of a payload")
        parser.add_argument("--json", action="store_true", help="print the verified payload as JSON")

    def handle(self, *args: Any, payload: str | None, keys: str, image: str | None, **options: Any) -> None:
        try:
            key_file = json.loads(Path(keys).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the key file {keys}: {exc}") from exc
        public_keys = signing.public_keys_from_file(key_file)
        if not public_keys:
            raise CommandError(f"{keys} holds no Ed25519 key")
        text = decode_image(image) if image else payload
        if not text:
            raise CommandError("give a payload, or --image with a picture of the QR code")
        try:
            verified = signing.verify_token(text, public_keys)
        except signing.PayloadError as exc:
            raise CommandError(f"NOT VERIFIED ({exc.code}): {exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(verified.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(self.style.SUCCESS(f"VERIFIED with key {verified.key_id} of {key_file.get('province_name', '')}"))
        for label, value in (("证书编号", verified.number), ("姓名", verified.holder_name),
                             ("证件号码", verified.masked_id), ("职业编码", verified.occupation_code),
                             ("等级", verified.level), ("发证日期", verified.issued_on.isoformat()),
                             ("评价机构", verified.organization)):
            self.stdout.write(f"{label}: {value}")
        self.stdout.write("The signature proves what was issued; the current status (revoked, superseded) is on the "
                          "verification page.")


def decode_image(path: str) -> str:
    """The text of the first QR code in an image, read by zbarimg (Debian zbar-tools)."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        raise CommandError("zbarimg is not installed (Debian package zbar-tools)")
    result = subprocess.run([zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path],  # noqa: S603
                            capture_output=True, text=True, check=False)
    text = result.stdout.strip().splitlines()
    if result.returncode != 0 or not text:
        raise CommandError(f"no QR code found in {path}")
    return text[0]
