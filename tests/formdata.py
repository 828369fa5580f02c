"""The forms of a rendered page, read as a browser reads them: what each control shows and what
the browser would send back if the person pressed submit without touching anything."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

_NOT_SENT = {"submit", "button", "reset", "image", "file"}


@dataclass
class PageForm:
    action: str
    method: str
    values: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def data(self) -> dict:
        """For the test client's post(): one value as a string, several as a list."""
        return {name: values[0] if len(values) == 1 else list(values) for name, values in self.values.items()}


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._template = 0  # inside <template>: not part of the page's forms
        self._select: tuple[str, bool] | None = None  # (name, multiple)
        self._options: list[tuple[str, bool]] = []
        self._option: list | None = None  # [value or None, selected, text]
        self._textarea: list | None = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self._template += 1
        if self._template:
            return
        if tag == "form":
            self._form = PageForm(a.get("action") or "", (a.get("method") or "get").lower())
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in _NOT_SENT:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.add(name, a.get("value") or "on")
            else:
                self._form.add(name, a.get("value") or "")
        elif tag == "select" and name:
            self._select = (name, "multiple" in a)
            self._options = []
        elif tag == "option" and self._select:
            self._option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self._template -= 1
        if self._template:
            return
        if tag == "option" and self._option is not None:
            value, selected, text = self._option
            self._options.append((value if value is not None else text.strip(), selected))
            self._option = None
        elif tag == "select" and self._select and self._form is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]  # a browser sends the first option
            for value in chosen if multiple else chosen[-1:]:
                self._form.add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._form.add(name, text[1:] if text.startswith("\n") else text)
            self._textarea = None
        elif tag == "form":
            self._form = None


def page_forms(html: str) -> list[PageForm]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def page_form(response, action: str | None = None, *, method: str = "post") -> PageForm:
    """The form of the page that sends to `action` (by default: to the page itself)."""
    path = response.wsgi_request.path
    wanted = action or path
    found = [
        form
        for form in page_forms(response.content.decode())
        if form.method == method and (form.action or path) == wanted
    ]
    assert len(found) == 1, f"{len(found)} forms send to {wanted} ({method})"
    return found[0]
