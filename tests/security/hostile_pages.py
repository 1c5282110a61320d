"""The pages side of the hostile-input test: hostile values, a crawler that finds every form a role can open, and
a parser of HTML forms with the values a person would leave in them."""

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve
from stdnum.cn import ric

LONG = "长" * 10_000
CONTROLS = "甲\x00乙\x07丙\u202e丁"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
RAW_MARKUP = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def hostile_values(baseline: str) -> dict[str, str]:
    """The five hostile values for one field; full-width digits are the field's own valid value made full-width."""
    digits = baseline.translate(FULL_WIDTH) if any(c.isdigit() for c in baseline) else "１２３"
    return {"long": LONG, "controls": CONTROLS, "full_width": digits, "script": SCRIPT, "img": IMG}


def valid_id_number() -> str:
    body = "44010619900307123"
    return body + ric.calc_check_digit(body + "0")


TEXT_TYPES = {"text", "search", "email", "tel", "url", "number", "hidden", "password", "date", "datetime-local",
              "time", "month"}
NAMED_DEFAULTS: tuple[tuple[str, str], ...] = (
    (r"id_number|身份证", valid_id_number()),
    (r"credit_code|uscc", "91350100M000100Y43"),
    (r"mobile|phone|contact", "13800138000"),
    (r"email", "hostile@example.com"),
    (r"year", "2027"),
    (r"occupation_code|code$", "6-18-02-04"),
    (r"score|price|amount|weight|count|number|capacity|minutes|hours|days|total|enrol", "60"),
)
TYPE_DEFAULTS = {"email": "hostile@example.com", "number": "60", "date": "2027-06-01",
                 "datetime-local": "2027-06-01T09:00", "time": "09:00", "month": "2027-06", "tel": "13800138000",
                 "url": "https://example.com/"}
PDF = b"%PDF-1.4\n% hostile input test\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea", "select" or "file"
    value: str = ""
    options: list[str] = field(default_factory=list)
    accept: str = ""

    @property
    def is_target(self) -> bool:
        """A field a person types into or whose value the server reads as text or an id."""
        return self.name != "csrfmiddlewaretoken" and (self.kind in TEXT_TYPES or self.kind in ("textarea", "select",
                                                                                               "file"))


@dataclass
class Form:
    page: str  # the page that shows the form
    action: str  # the path it posts to, with its query
    method: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)
    checked: list[tuple[str, str]] = field(default_factory=list)  # checkboxes and radios ticked as a person would
    button: tuple[str, str] | None = None
    role: str = ""

    def baseline(self) -> dict[str, Any]:
        """The values a person would send: what the page filled in, and plausible ones where it left a blank."""
        data: dict[str, Any] = {}
        for f in self.fields:
            data[f.name] = default_of(f)
        for name, value in self.checked:
            data.setdefault(name, value)
        if self.button:
            data.setdefault(*self.button)
        return {k: v for k, v in data.items() if v is not None}


def default_of(f: Field) -> Any:
    if f.kind == "file":
        return upload("证明材料", f.accept)
    if f.kind == "select":
        return f.value or next((o for o in f.options if o), "")
    if f.value or f.kind in ("hidden", "password"):
        return f.value
    for pattern, value in NAMED_DEFAULTS:
        if re.search(pattern, f.name):
            return value
    return TYPE_DEFAULTS.get(f.kind, "测试内容")


def upload(stem: str, accept: str) -> SimpleUploadedFile:
    if "image" in accept and "pdf" not in accept:
        return SimpleUploadedFile(f"{stem}.png", PNG, content_type="image/png")
    if "csv" in accept or "xlsx" in accept or "sheet" in accept:
        return SimpleUploadedFile(f"{stem}.csv", "姓名\n".encode(), content_type="text/csv")
    return SimpleUploadedFile(f"{stem}.pdf", PDF, content_type="application/pdf")


class _FormParser(HTMLParser):
    """Every <form> of a page, its fields with their values, and the page's links."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._textarea: Field | None = None
        self._select: Field | None = None
        self._option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(page=self.page, action=urljoin(self.page, a.get("action") or self.page),
                              method=(a.get("method") or "get").lower(),
                              multipart="multipart" in a.get("enctype", ""))
            self.forms.append(self._form)
        elif self._form is not None:
            self._field(tag, a)

    def _field(self, tag: str, a: dict[str, str]) -> None:
        form, name = self._form, a.get("name", "")
        assert form is not None
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a or (kind == "radio" and name not in {n for n, _ in form.checked}):
                    form.checked.append((name, a.get("value", "on")))
            elif kind == "submit":
                form.button = form.button or (name, a.get("value", ""))
            elif kind not in ("button", "reset", "image"):
                form.fields.append(Field(name, kind, a.get("value", ""), accept=a.get("accept", "")))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            form.button = form.button or (name, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            form.fields.append(self._textarea)
        elif tag == "select" and name:
            self._select = Field(name, "select")
            form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = a.get("value", "")
            self._select.options.append(self._option)
            if "selected" in a:
                self._select.value = self._option

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def parse(page: str, html: str) -> tuple[list[Form], list[str]]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms, parser.links


def route_of(path: str) -> str | None:
    """The URL pattern's name (with namespaces) of a path, or None when nothing of ours answers it."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


SKIP = ("/admin/", "/static/", "/files/", "/media/", "/i18n/", "/accounts/logout/", "/api/")
PER_ROUTE = 2  # instances of one URL pattern a crawl opens (the third detail page of a kind shows no new form)


@dataclass
class Crawl:
    forms: list[Form] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # path -> route name of every HTML page opened
    seen_routes: dict[str, int] = field(default_factory=dict)
    unescaped: list[str] = field(default_factory=list)  # pages that carry hostile markup raw
    escaped: int = 0  # pages that show stored hostile markup, escaped


def crawl(client: Client, starts: Iterable[str], role: str, limit: int = 600) -> Crawl:
    """Breadth-first over the links (and GET forms) of the pages a client can open, from `starts`."""
    result = Crawl()
    queue = deque(starts)
    visited: set[str] = set()
    while queue and len(result.pages) < limit:
        path = queue.popleft()
        name = route_of(path)
        if path in visited or name is None or path.startswith(SKIP) or "export=" in path:
            continue
        visited.add(path)
        if result.seen_routes.get(name, 0) >= PER_ROUTE:
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        result.seen_routes[name] = result.seen_routes.get(name, 0) + 1
        result.pages[path] = name
        html = response.content.decode()
        if raw_markup(html):
            result.unescaped.append(f"{role} GET {path}")
        result.escaped += ESCAPED_SCRIPT in html
        forms, links = parse(path, html)
        for form in forms:
            form.role = role
            result.forms.append(form)
        queue.extend(local(path, links))
    return result


def local(page: str, links: Iterable[str]) -> Iterator[str]:
    for href in links:
        url = urlsplit(urljoin(page, href))
        if url.netloc in ("", "testserver") and url.path.startswith("/"):
            yield url.path + (f"?{url.query}" if url.query else "")


def query_of(action: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(action).query))


def has_message(html: str) -> bool:
    """Whether a refused submission says what is wrong, in words (the portal's error markers with Chinese text)."""
    for marker in ('class="field-error"', 'class="form-errors"', "message-error", 'class="errorlist', 'role="alert"'):
        index = html.find(marker)
        if index >= 0 and re.search(r"[\u4e00-\u9fff]", html[index:index + 600]):
            return True
    return False


def raw_markup(html: str) -> list[str]:
    return [m for m in RAW_MARKUP if m in html]

