"""The package's parsers: charsets allowed by name, a cap on JSON values, NUL refused after decoding.

Through Django's test client against the example project's views (``/api/projects/`` validates with
nested serializers; ``/api/check-project/`` hands the raw text to ``full_clean()``), and the pure
counting function on its own, against a count of the decoded value (hypothesis).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from django_api_errors.parsers import (
    FORM_CHARSETS,
    NUL_CHARACTER,
    TEXT_CHARSETS,
    TOO_MANY_VALUES,
    UNSUPPORTED_CHARSET,
    FormParser,
    checked_charset,
    too_many_json_values,
)
from tests.test_hostile import VALID_PROJECT, assert_standard_error

pytestmark = pytest.mark.django_db

BOUNDARY = "hostileboundary"


def multipart(fields: dict[str, bytes], *, file_charset: str | None = None) -> bytes:
    """A multipart body with these fields and, when ``file_charset`` is given, one text file part."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
        for name, value in fields.items()
    ]
    if file_charset is not None:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="notes"; filename="notes.txt"\r\n'
            f"Content-Type: text/plain; charset={file_charset}\r\n\r\n".encode()
            + b"notes\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


# Charset names as clients send them: every alias of an allowed codec is read.
ALLOWED_ALIASES = [
    "utf-8",
    "UTF8",
    "utf-8-sig",
    "utf-16",
    "UTF-16LE",
    "utf-16be",
    "us-ascii",
    "latin1",
    "ISO-8859-1",
    "l1",
    "iso-8859-15",
    "windows-1252",
]


@pytest.mark.parametrize("charset", ALLOWED_ALIASES)
def test_json_in_an_allowed_charset_is_read(user_api, charset):
    name = "Cafe" if "ascii" in charset else "Café"
    body = json.dumps({**VALID_PROJECT, "name": name}, ensure_ascii=False).encode(charset)

    response = user_api.post("/api/projects/", body, content_type=f"application/json; charset={charset}")

    assert response.status_code == 201, response.content[:300]
    assert response.json()["name"] == name


@pytest.mark.parametrize("charset", ["utf-8", "UTF8", "us-ascii", "latin1", "iso-8859-15"])
def test_a_form_in_an_allowed_charset_is_read(user_api, charset):
    response = user_api.post(
        "/api/check-project/",
        b"name=Caf%E9&street=s",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )

    assert response.status_code == 200, response.content[:300]


def test_a_form_of_as_many_escapes_as_the_parser_reads_is_read(user_api):
    body = b"name=Caf%E9&street=s&notes=" + b"%41" * (FormParser.max_escapes - 1)

    response = user_api.post("/api/check-project/", body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200, response.content[:300]


def test_a_form_of_more_escapes_than_the_parser_reads_is_refused_before_decoding(api):
    body = b"name=" + b"%41" * (FormParser.max_escapes + 1)

    response = api.post("/api/check-project/", body, content_type="application/x-www-form-urlencoded")

    assert_standard_error(response, 400, "invalid-model")
    assert response.json()["details"] == [
        f"The form body holds more than {FormParser.max_escapes} percent-escapes; this API reads at most "
        f"{FormParser.max_escapes}. Send large text as JSON or multipart."
    ]


# Form and multipart fields are decoded with errors="replace": charsets whose invalid sequences each
# cost a Python call are read as JSON only.
@pytest.mark.parametrize("charset", ["utf-16", "utf-16-le", "windows-1252"])
@pytest.mark.parametrize("media", ["form", "multipart"])
def test_a_charset_read_as_json_only_is_415_for_forms(api, charset, media):
    content_type, body = MEDIA_TYPES[media]

    response = api.post("/api/check-project/", body, content_type=f"{content_type}; charset={charset}")

    assert_standard_error(response, 415, "unsupported-media-type")


# Codecs Python knows that are not allowed: slow (punycode is quadratic), smuggling characters
# (utf-7, unicode_escape spell NUL in printable ASCII), not text encodings, or not web charsets.
REFUSED = ["punycode", "utf-7", "unicode_escape", "raw_unicode_escape", "idna", "utf-32", "cp037", "hex"]
MEDIA_TYPES = {
    "json": ("application/json", b'{"name": "a"}'),
    "form": ("application/x-www-form-urlencoded", b"name=a"),
    "multipart": (f"multipart/form-data; boundary={BOUNDARY}", multipart({"name": b"a"})),
}


@pytest.mark.parametrize("media", list(MEDIA_TYPES))
@pytest.mark.parametrize("charset", REFUSED)
def test_a_charset_outside_the_allow_list_is_415_for_every_parser(api, charset, media):
    content_type, body = MEDIA_TYPES[media]

    response = api.post("/api/check-project/", body, content_type=f"{content_type}; charset={charset}")

    body = assert_standard_error(response, 415, "unsupported-media-type")
    assert body["details"] == [UNSUPPORTED_CHARSET % {"charset": charset}]


def test_a_long_refused_charset_is_echoed_cut_short(api):
    # A part's header: any text, up to Django's 1 024 bytes of part headers.
    body = multipart({"name": b"a"}, file_charset="x" * 900)

    response = api.post("/api/check-project/", body, content_type=f"multipart/form-data; boundary={BOUNDARY}")

    body = assert_standard_error(response, 415, "unsupported-media-type")
    assert body["details"] == [UNSUPPORTED_CHARSET % {"charset": "x" * 40 + "\u2026"}]


def test_a_file_part_in_a_refused_charset_is_415(api):
    body = multipart({"name": b"a"}, file_charset="punycode")

    response = api.post("/api/check-project/", body, content_type=f"multipart/form-data; boundary={BOUNDARY}")

    assert_standard_error(response, 415, "unsupported-media-type")


def test_a_file_part_in_an_allowed_charset_is_read(api):
    body = multipart({"name": b"a"}, file_charset="UTF-8")

    response = api.post("/api/check-project/", body, content_type=f"multipart/form-data; boundary={BOUNDARY}")

    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize(
    ("name", "normalised"),
    [("UTF8", "utf-8"), ("latin_1", "iso8859-1"), ("ASCII", "ascii"), ("cp1252", "cp1252")],
)
def test_charsets_are_compared_by_their_codec_name(name, normalised):
    assert checked_charset(name) == normalised
    assert normalised in TEXT_CHARSETS


def test_form_charsets_are_json_charsets():
    assert FORM_CHARSETS < TEXT_CHARSETS


# A NUL reached after decoding: the form parser looked for %00 in the raw bytes only.
NUL_BODIES = [
    ("utf-7 form", "application/x-www-form-urlencoded; charset=utf-7", b"name=a%2BAAA-", 415),
    (
        "unicode_escape form",
        "application/x-www-form-urlencoded; charset=unicode_escape",
        b"name=a%5Cx00",
        415,
    ),
    ("utf-7 json", "application/json; charset=utf-7", b'{"name": "a+AAA-"}', 415),
    ("%00 in a form", "application/x-www-form-urlencoded", b"name=a%00b", 400),
    ("%00 in a form key", "application/x-www-form-urlencoded", b"na%00me=a", 400),
    (
        "raw NUL in a multipart field",
        f"multipart/form-data; boundary={BOUNDARY}",
        multipart({"name": b"a\x00b"}),
        400,
    ),
    (
        "base64 NUL in a multipart field",
        f"multipart/form-data; boundary={BOUNDARY}",
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="name"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\nYQBi\r\n--{BOUNDARY}--\r\n".encode(),
        400,
    ),
    (
        "NUL in a multipart field name",
        f"multipart/form-data; boundary={BOUNDARY}",
        multipart({"na\x00me": b"a"}),
        400,
    ),
]


@pytest.mark.parametrize(
    ("content_type", "body", "status"), [pytest.param(*case[1:], id=case[0]) for case in NUL_BODIES]
)
def test_a_nul_after_decoding_is_refused(api, content_type, body, status):
    response = api.post("/api/check-project/", body, content_type=content_type)

    if status == 415:
        assert_standard_error(response, 415, "unsupported-media-type")
    else:
        assert assert_standard_error(response, 400, "invalid-model")["details"] == [str(NUL_CHARACTER)]


# The cap on JSON values, counted before DRF validates anything.


def test_a_body_over_the_json_value_cap_is_refused_before_validation(user_api, settings):
    settings.API_ERRORS = {"MAX_JSON_VALUES": 4000}
    body = {"milestones": [{}] * 400_000}

    response = user_api.post("/api/projects/", body, format="json")

    document = assert_standard_error(response, 400, "invalid-model")
    assert document["details"] == [TOO_MANY_VALUES % {"limit": 4000}]
    assert document["validationErrors"] == []


def test_the_default_json_value_cap_is_2000(user_api):
    at_cap = {"name": "n", "address": {"street": "s", "city": "c"}, "tags": ["t"] * 1995}
    over_cap = {**at_cap, "tags": ["t"] * 1996}

    assert user_api.post("/api/projects/", at_cap, format="json").status_code == 201
    response = user_api.post("/api/projects/", over_cap, format="json")
    assert assert_standard_error(response, 400, "invalid-model")["details"] == [
        TOO_MANY_VALUES % {"limit": 2000}
    ]


def test_the_json_value_cap_is_counted_before_the_body_is_decoded(api):
    # Cut short, this body does not decode: the cap refuses it all the same, so nothing was decoded.
    body = "[" + "[[[[[]]]]]," * 3000

    response = api.post("/api/check-project/", body, content_type="application/json")

    assert assert_standard_error(response, 400, "invalid-model")["details"] == [
        TOO_MANY_VALUES % {"limit": 2000}
    ]


def test_no_json_value_cap_validates_every_item(user_api, settings):
    settings.API_ERRORS = {"MAX_JSON_VALUES": None}

    response = user_api.post("/api/projects/", {**VALID_PROJECT, "milestones": [{}] * 5000}, format="json")

    assert assert_standard_error(response, 400, "validation-failed")["validationErrors"][0] == {
        "property": "milestones[0].title",
        "message": "This field is required.",
        "code": "required",
    }


def count_values(data) -> int:
    """Array items plus object members of a decoded JSON value, at every depth (the reference)."""
    if isinstance(data, dict):
        return len(data) + sum(count_values(value) for value in data.values())
    if isinstance(data, list):
        return len(data) + sum(count_values(value) for value in data)
    return 0


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("1", 0),
        ('"a,[{b"', 0),
        ("[]", 0),
        ("{}", 0),
        ("[ \n ]", 0),
        ("{\t}", 0),
        ("[1, 2, 3]", 3),
        ('{"a": 1, "b": [1, 2]}', 4),
        ("[{}, {}, {}, {}, {}]", 5),
        ("[[[[1]]]]", 4),
        ('{"a": {"b": {"c": {}}}}', 3),
        ('[""]', 1),
        ('["", "", ""]', 3),
        ('["a,b", "[{", "]}"]', 3),
        ('{"k,[{": "v,]}", "\\"": "\\\\"}', 2),
        ('["\\\\", ",", "\\",\\""]', 3),
        ("[[ ], { }, [\r\n]]", 3),
    ],
)
def test_json_values_are_array_items_plus_object_members(text, count):
    assert count_values(json.loads(text)) == count
    assert (too_many_json_values(text, count), too_many_json_values(text, max(count - 1, 0))) == (
        False,
        count > 0,
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.sampled_from('ab,[]{}"\\:\x00 é')),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(alphabet=st.sampled_from('a,[{"\\ '), max_size=3), children, max_size=4)
    ),
    max_leaves=30,
)


@given(json_values, st.sampled_from([None, 0, 2]), st.booleans())
def test_the_count_on_the_text_is_the_count_of_the_decoded_value(data, indent, ascii_only):
    text = json.dumps(data, indent=indent, ensure_ascii=ascii_only)
    count = count_values(data)

    assert not too_many_json_values(text, max(count, 1))
    if count > 1:
        assert too_many_json_values(text, count - 1)


def test_many_strings_are_over_the_cap_without_counting_further():
    # Each value holds at most two strings: more than 2 * limit + 1 strings is more than limit values.
    assert too_many_json_values(json.dumps({f"k{n}": "v" for n in range(6)}), 5)
    assert not too_many_json_values(json.dumps({f"k,{n}": "v,[{" for n in range(5)}), 5)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[" * 31 + "]" * 31, id="nested"),
        pytest.param("[" * 30 + '"' + "\\" * 21, id="an unterminated string ending in a backslash"),
        pytest.param("[" * 30 + '"b' + ", c" * 20, id="an unterminated string"),
    ],
)
def test_counting_needs_neither_recursion_nor_valid_json(text):
    assert too_many_json_values(text, 29)
    assert not too_many_json_values(text, 30)


def test_broken_strings_are_counted_in_one_pass():
    # Each quote preceded by a backslash: a pattern that backtracked would rescan the rest from each.
    assert too_many_json_values('\\"\\\\",' * 100_000, 10)
