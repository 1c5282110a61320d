"""Moved to portal.uploads; this shim stays only until selection imports check_upload from there."""

from portal.uploads import check_upload as check_upload
