"""Which requests the replica router may send to the read replica: the public lookups (any method), the catalog and
the public notices (reads only); never an officer's page, never a browser pinned to the primary after a write."""

import pytest
from django.test import RequestFactory
from django.urls import resolve

from portal.db_router import _reads_public

PUBLIC = [("post", "/verify/"), ("get", "/verify/"), ("post", "/api/v1/public/certificates/lookup/"),
          ("get", "/catalog/gd/"), ("get", "/publicity/gd/"), ("get", "/api/v1/public/gd/notices/")]
PRIMARY = [("post", "/catalog/gd/"), ("get", "/gd/"), ("post", "/api/v1/public/gd/notices/1/objections/"),
           ("get", "/gd/publicity/"), ("post", "/complaints/")]


def _request(method: str, path: str) -> object:
    request = getattr(RequestFactory(), method)(path)
    request.resolver_match = resolve(path)
    return request


@pytest.mark.parametrize(("method", "path"), PUBLIC)
def test_public_reads_may_go_to_the_replica(method: str, path: str) -> None:
    assert _reads_public(_request(method, path))  # type: ignore[arg-type]


@pytest.mark.parametrize(("method", "path"), PRIMARY)
def test_everything_else_reads_the_primary(method: str, path: str) -> None:
    assert not _reads_public(_request(method, path))  # type: ignore[arg-type]


