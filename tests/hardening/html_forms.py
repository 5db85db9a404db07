"""Reading a page's forms as a browser would: what it would send if the person pressed Save.

Used by the fault tests and the load test (tests/hardening/locustfile.py) to save a record through
the real pages, with the CSRF token and the record version the page carries.
"""

import re
from html.parser import HTMLParser


class _CurrentValues(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "method": a.get("method", "get")})
            self.forms[-1]["data"] = {}
            return
        if not self.forms:
            return
        data = self.forms[-1]["data"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    data[name] = a.get("value", "on")
            elif kind not in {"submit", "button", "file"}:
                data[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            data[name] = ""

    def handle_data(self, text):
        if self._textarea and self.forms:
            self.forms[-1]["data"][self._textarea] += text

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def filled_forms(html: str) -> list[dict]:
    """Every form on the page: ``{"action", "method", "data"}`` with the values it shows."""
    reader = _CurrentValues()
    reader.feed(html)
    return reader.forms


def save_form(html: str) -> dict:
    """The page's main POST form (not the sign-out form), as it would be sent unchanged."""
    for form in filled_forms(html):
        if form["method"].lower() == "post" and "logout" not in form["action"]:
            return form
    raise AssertionError("no form to save on this page")


def step_edit_links(html: str) -> list[str]:
    """Addresses of the 'edit this step' pages on a child's record."""
    return sorted(set(re.findall(r'href="(/children/\d+/steps/\d+/)"', html)))


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
