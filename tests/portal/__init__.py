"""Tests of the platform core (tenancy, accounts, audit, calendar, reference data, exports, API)."""
