"""Hypothesis strategies for the hostile-input run: a request to a discovered endpoint with each
field kept, replaced by a hostile value or someone else's id, left out or repeated; forged
extra fields; files that are not what they claim; the path's ids swapped for others."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

from tests.security.endpoint_helpers import Endpoint
from tests.security.hostile_helpers import HOSTILE

MISSING = object()
HUGE_IDS = ("0", "99999999999999999999", "2147483648", "9223372036854775808")

random_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
numbers = st.one_of(st.integers().map(str), st.decimals().map(str),
                    st.floats().map(str), st.dates().map(str))


def hostile_value(ids: list[int]) -> st.SearchStrategy:
    return st.one_of(st.sampled_from(HOSTILE), st.sampled_from(ids).map(str),
                     st.sampled_from(HUGE_IDS), random_text, numbers)


def files() -> st.SearchStrategy:
    """An upload that is empty, not what it says, in an odd encoding, or oddly named."""
    csv = "employee_number,goal,as_of,actual\r\nE-1003,1,2027-06-30,1e309\r\n"
    contents = st.one_of(
        st.just(b""), st.binary(max_size=2048), st.just(b"%PDF-1.7\n%" + b"\x00" * 64),
        st.just(csv.encode("utf-16")), st.just(csv.encode("latin-1") + b"\xe9\xff"),
        st.just(b"\xef\xbb\xbf" + csv.encode()), st.just(("=cmd|' /C calc'!A0," * 200).encode()),
        st.sampled_from(HOSTILE).map(lambda text: text.encode("utf-8", "surrogatepass")))
    names = st.sampled_from(("data.csv", "sheet.pdf", "../../etc/passwd", "a\u202efdp.csv",
                             "x" * 300 + ".csv", "nul\x00.csv", "😀.csv", ""))
    return st.builds(lambda body, filename: SimpleUploadedFile(filename or "f", body),
                     contents, names)


@st.composite
def path_for(draw, path: str, ids: list[int]) -> str:
    """The endpoint's path, now and then with an id in it replaced by another object's."""
    if not re.search(r"/\d+/", path) or not draw(st.booleans()):
        return path
    other = draw(st.one_of(st.sampled_from(ids).map(str), st.sampled_from(HUGE_IDS)))
    return re.sub(r"/\d+/", f"/{other}/", path, count=1)


@st.composite
def request_for(draw, endpoint: Endpoint, ids: list[int], extra_names: list[str]) -> dict:
    """Keyword arguments for Client.get/post: the path, the data and whether htmx sends it."""
    choices = dict(endpoint.choices)
    names = list(dict.fromkeys([n for n, _ in endpoint.fields] + list(choices)))
    defaults = {}
    for name, value in endpoint.fields:
        defaults.setdefault(name, value)
    hostile = draw(st.sets(st.sampled_from(names), max_size=len(names))) if names else set()
    data = {}
    for name in names:
        if name in hostile:
            how = draw(st.sampled_from(("value", "value", "value", "missing", "repeated")))
            if how == "missing":
                continue
            value = draw(hostile_value(ids))
            data[name] = [value, draw(hostile_value(ids))] if how == "repeated" else value
        elif name in choices and choices[name]:
            data[name] = draw(st.sampled_from(choices[name]))
        else:
            data[name] = defaults.get(name, "")
    for name in draw(st.lists(st.sampled_from(extra_names), max_size=2)) if extra_names else ():
        data[name] = draw(hostile_value(ids))
    if endpoint.buttons and draw(st.booleans()):
        button, value = draw(st.sampled_from(endpoint.buttons))
        data[button] = value
    for name in endpoint.files:
        if draw(st.integers(0, 4)):
            data[name] = draw(files())
    return {"path": draw(path_for(endpoint.path, ids)), "data": data}
