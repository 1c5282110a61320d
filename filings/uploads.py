"""Moved to portal.uploads (the one upload check); this name stays only until its last importer switches."""

from portal.uploads import ALLOWED, ALLOWED_KEYS, MAX_UPLOAD_BYTES, CheckedUpload, UploadRejected, check_upload, sniff

__all__ = ["ALLOWED", "ALLOWED_KEYS", "MAX_UPLOAD_BYTES", "CheckedUpload", "UploadRejected", "check_upload", "sniff"]
