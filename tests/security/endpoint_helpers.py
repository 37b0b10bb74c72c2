"""Finding what a page lets a person send: every <form> (its method, action, fields, choices,
submit buttons and file inputs) and every htmx request (hx-get/hx-post with what htmx would
include), read from the HTML the way a browser and htmx.js would."""

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
HX_METHODS = ("hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete")


@dataclass
class Node:
    tag: str
    attrs: dict
    parent: "Node | None" = None
    children: list = field(default_factory=list)
    text: str = ""

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def closest(self, tag: str) -> "Node | None":
        node = self.parent
        while node is not None and node.tag != tag:
            node = node.parent
        return node


class _TreeBuilder(HTMLParser):
    """A forgiving element tree: enough to find forms, fields and htmx attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self._open = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs}, self._open)
        self._open.children.append(node)
        if tag not in VOID:
            self._open = node

    def handle_startendtag(self, tag, attrs):
        self._open.children.append(Node(tag, {n: v or "" for n, v in attrs}, self._open))

    def handle_endtag(self, tag):
        node = self._open
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self._open = node.parent

    def handle_data(self, data):
        self._open.text += data


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    return builder.root


@dataclass(frozen=True)
class Endpoint:
    """One request a page can make: method, path, the fields with the values the page holds,
    the choices a select/radio/checkbox offers, file inputs and submit buttons."""

    method: str
    path: str
    fields: tuple[tuple[str, str], ...]
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    files: tuple[str, ...] = ()
    buttons: tuple[tuple[str, str], ...] = ()
    htmx: bool = False
    page: str = ""

    @property
    def key(self) -> tuple:
        return (self.method, self.path, tuple(sorted({n for n, _ in self.fields})),
                self.files, self.htmx)

    def __str__(self):
        return f"{self.method.upper()} {self.path}{' (htmx)' if self.htmx else ''}"


def _fields(nodes) -> tuple[list, dict, list, list]:
    """What a browser submits from these nodes, plus the choices, file inputs and buttons."""
    values, choices, files, buttons = [], {}, [], []
    for node in nodes:
        name = node.attrs.get("name")
        if not name or "disabled" in node.attrs:
            continue
        if node.tag == "input":
            kind = node.attrs.get("type", "text").lower()
            value = node.attrs.get("value", "")
            if kind in ("submit", "image"):
                buttons.append((name, value))
            elif kind == "file":
                files.append(name)
            elif kind in ("checkbox", "radio"):
                choices.setdefault(name, []).append(value or "on")
                if "checked" in node.attrs:
                    values.append((name, value or "on"))
            elif kind not in ("button", "reset"):
                values.append((name, value))
        elif node.tag == "button" and node.attrs.get("type", "submit") == "submit":
            buttons.append((name, node.attrs.get("value", "")))
        elif node.tag == "textarea":
            values.append((name, node.text[1:] if node.text.startswith("\n") else node.text))
        elif node.tag == "select":
            options = [o for o in node.walk() if o.tag == "option"]
            offered = [o.attrs.get("value", o.text.strip()) for o in options]
            choices[name] = offered
            chosen = [v for o, v in zip(options, offered, strict=True) if "selected" in o.attrs]
            if "multiple" in node.attrs:
                values += [(name, v) for v in chosen]
            elif chosen or offered:
                values.append((name, (chosen or offered)[0]))
    return values, choices, files, buttons


def _included(root: Node, element: Node, selector: str) -> list[Node]:
    """The nodes an hx-include selector names (the forms this app uses: this, #id, closest)."""
    found = []
    for part in (p.strip() for p in selector.split(",")):
        if part == "this":
            found += list(element.walk())
        elif part.startswith("#"):
            found += [n for n in root.walk() if n.attrs.get("id") == part[1:]]
        elif part.startswith("closest "):
            ancestor = element.closest(part.split(" ", 1)[1])
            found += list(ancestor.walk()) if ancestor else []
    return found


def _endpoint(method, action, page, nodes, htmx, extra=()) -> Endpoint:
    values, choices, files, buttons = _fields(nodes)
    values += list(extra)
    target = urlsplit(urljoin(page, action or page))
    path = target.path + (f"?{target.query}" if target.query else "")
    return Endpoint(method.lower(), path, tuple(values),
                    tuple((n, tuple(v)) for n, v in choices.items()), tuple(files),
                    tuple(buttons), htmx, page)


def endpoints_of(html: str, page: str) -> list[Endpoint]:
    """Every form and htmx request on a page, as absolute paths on this site."""
    root = parse(html)
    found = []
    for node in root.walk():
        if node.tag == "form":
            found.append(_endpoint(node.attrs.get("method", "get"), node.attrs.get("action"),
                                   page, list(node.walk()), htmx=False))
        for attribute in HX_METHODS:
            if attribute not in node.attrs:
                continue
            method = attribute[3:]
            nodes = list(node.walk()) if node.tag in ("form", "input", "select", "textarea") \
                else []
            form = node if node.tag == "form" else node.closest("form")
            if method != "get" and form is not None:  # htmx sends the enclosing form
                nodes = list(form.walk())
            if node.attrs.get("hx-include"):
                nodes += _included(root, node, node.attrs["hx-include"])
            try:
                extra = list(json.loads(node.attrs.get("hx-vals") or "{}").items())
            except ValueError:
                extra = []
            found.append(_endpoint(method, node.attrs[attribute], page, nodes, htmx=True,
                                   extra=[(k, str(v)) for k, v in extra]))
        if node.attrs.get("formaction"):
            form = node.closest("form")
            if form is not None:
                found.append(_endpoint(node.attrs.get("formmethod") or form.attrs.get(
                    "method", "get"), node.attrs["formaction"], page, list(form.walk()),
                    htmx=False))
    return [e for e in found if e.path.startswith("/") and not e.path.startswith("//")]


def links_of(html: str) -> set[str]:
    """The site's own paths a page links to (for pages no URL pattern alone reaches)."""
    return {href for href in re.findall(r'href="(/[^"#]*)"', html) if not href.startswith("//")}
