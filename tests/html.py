"""Reading a page's HTML in the Django test client tests: one element by its id, its source and its text."""

import html as html_lib
import re


def element_html(page: str, element_id: str) -> str | None:
    """The source of the element with this id, from its start tag to its matching end tag; None if there is none."""
    match = re.search(rf'<(\w+)\b[^>]*\bid="{re.escape(element_id)}"', page)
    if match is None:
        return None
    tag, depth = match.group(1), 0
    for token in re.finditer(rf"<(/?){tag}\b[^>]*>", page[match.start():]):
        depth += -1 if token.group(1) else 1
        if depth == 0:
            return page[match.start():match.start() + token.end()]
    return None


def element_text(page: str, element_id: str) -> str | None:
    """The text inside the element with this id, tags dropped and spaces and newlines collapsed (no-break spaces kept); None if there is none."""
    source = element_html(page, element_id)
    if source is None:
        return None
    return re.sub(r"[ \t\r\n]+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", source))).strip()
