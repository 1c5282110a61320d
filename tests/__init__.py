"""Tests of the portal; foundation tests live in tests/portal/."""
