"""portal.api.negotiation.UsualFirst chooses what DRF's negotiation chooses, for the usual requests it decides at
once and for every other shape it hands on; and it is the project's negotiation."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import BaseParser, FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer, TemplateHTMLRenderer
from rest_framework.request import Request
from rest_framework.settings import api_settings

from portal.api.negotiation import UsualFirst


class _Any(BaseParser):
    media_type = "*/*"


class _JsonWithParameters(BaseParser):
    media_type = "application/json; version=2"


RENDERER_LISTS = [
    [JSONRenderer(), BrowsableAPIRenderer()],
    [JSONRenderer()],
    [BrowsableAPIRenderer(), JSONRenderer()],
    [TemplateHTMLRenderer(), JSONRenderer()],
]
ACCEPTS = [None, "*/*", "application/json", "", "text/html", "application/json; indent=4", "application/*",
           "text/html, application/json", "application/json, */*;q=0.1", "application/xml", "*/*;q=0.5",
           "APPLICATION/JSON", "application/json;q=0", "text/plain"]
QUERIES = ["", "?format=json", "?format=api", "?page=2", "?format=xml"]


def _choice(negotiation: DefaultContentNegotiation, request: Request, renderers: list[object],
            suffix: str | None) -> object:
    try:
        renderer, media_type = negotiation.select_renderer(request, renderers, suffix)
    except (exceptions.NotAcceptable, exceptions.NotFound, Http404) as exc:
        return type(exc)
    return type(renderer), media_type


@pytest.mark.parametrize("renderers", RENDERER_LISTS, ids=lambda r: "+".join(type(x).__name__ for x in r))
def test_every_shape_gets_what_drfs_negotiation_gives(renderers: list[object]) -> None:
    factory = RequestFactory()
    usual = 0
    for accept in ACCEPTS:
        for query in QUERIES:
            for suffix in (None, "json", "api"):
                headers = {} if accept is None else {"HTTP_ACCEPT": accept}
                request = Request(factory.post(f"/api/v1/public/certificates/lookup/{query}", **headers))
                ours = _choice(UsualFirst(), request, renderers, suffix)
                assert ours == _choice(DefaultContentNegotiation(), request, renderers, suffix), (accept, query, suffix)
                usual += ours == (JSONRenderer, "application/json")
    assert usual > 10


def test_it_is_the_projects_negotiation() -> None:
    assert api_settings.DEFAULT_CONTENT_NEGOTIATION_CLASS is UsualFirst


PARSER_LISTS = [
    [JSONParser(), FormParser(), MultiPartParser()],
    [FormParser(), MultiPartParser(), JSONParser()],
    [FormParser()],
    [_Any(), JSONParser()],
    [_JsonWithParameters(), JSONParser()],
    [],
]
CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "application/x-www-form-urlencoded",
                 "multipart/form-data; boundary=x", "text/plain", "APPLICATION/JSON", "application/jsonx", ""]


@pytest.mark.parametrize("parsers", PARSER_LISTS, ids=lambda p: "+".join(type(x).__name__ for x in p) or "none")
def test_every_body_type_gets_the_parser_drfs_negotiation_gives(parsers: list[BaseParser]) -> None:
    factory = RequestFactory()
    for content_type in CONTENT_TYPES:
        request = Request(factory.post("/api/v1/public/certificates/lookup/", data=b"{}", content_type=content_type))
        assert UsualFirst().select_parser(request, parsers) is DefaultContentNegotiation().select_parser(
            request, parsers), content_type
