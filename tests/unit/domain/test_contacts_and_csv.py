"""CSV files, e-mails and phones as agencies' clients send them (issue 22)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aicmo.domain import leads as leads_module
from aicmo.domain.contacts import (
    check_email,
    email_problem,
    is_disposable,
    is_free_mail,
    normalise_phone,
    normalised_column,
    normalised_or_none,
)
from aicmo.domain.csv_files import _first_lines, decode_bytes, sniff_delimiter, split_columns
from aicmo.domain.leads import LeadStatus as S
from aicmo.domain.leads import parse_leads_csv, read_leads_csv, score_lead

ROWS = [
    ("Jürgen Müller", "jm@mueller.example", "Müller & Söhne"),
    ("Zoë Brontë", "zoe@bronte.example", "Café"),
]


def _csv(delimiter: str, header: tuple[str, ...] = ("Name", "E-Mail", "Company")) -> str:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in ROWS)]
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_any_common_separator_is_found(delimiter: str) -> None:
    parsed = parse_leads_csv(_csv(delimiter))
    assert parsed.delimiter == delimiter
    assert [(r.name, r.email, r.company) for r in parsed.rows] == ROWS
    assert parsed.errors == []


def test_a_semicolon_file_whose_notes_hold_commas_is_still_read_by_semicolons() -> None:
    text = "email;notes\nada@northwind.example;met at the fair, Dublin, wants a demo\n"
    parsed = parse_leads_csv(text)
    assert (parsed.delimiter, parsed.rows[0].notes) == (";", "met at the fair, Dublin, wants a demo")


def test_a_file_with_no_email_header_still_names_what_it_found() -> None:
    parsed = parse_leads_csv("name;company\nAda;Northwind\n")
    assert parsed.errors[0].message == "the CSV needs an email column (found: name, company)"


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("cp1252", "windows-1252"),
        ("latin-1", "windows-1252"),  # the same letters; cp1252 is the superset Excel writes
        ("utf-16", "utf-16"),
    ],
)
def test_the_encoding_is_detected_and_named(encoding: str, reported: str) -> None:
    text = _csv(";")
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text == text
    assert decoded.encoding == reported


def test_windows_1252_punctuation_survives() -> None:
    text = "email;notes\nada@northwind.example;“Budget” 15.000€ – approved\n"
    assert decode_bytes(text.encode("cp1252")) == decode_bytes(text.encode("cp1252"))
    assert decode_bytes(text.encode("cp1252")).text == text


def test_binary_is_refused_not_guessed() -> None:
    with pytest.raises(ValueError, match="not text"):
        decode_bytes(bytes(range(256)) * 4)


def test_an_ambiguous_header_falls_back_to_the_sniffer_then_a_comma() -> None:
    assert sniff_delimiter("a;b;c\n1;2;3\n4;5;6\n") == ";"
    assert sniff_delimiter("just one column\n") == ","


@pytest.mark.parametrize(
    ("email", "problem"),
    [
        ("ada@northwind.example", ""),
        ("Ada.Lovelace@NORTHWIND.example", ""),
        ("müller@beispiel.example", ""),
        ("a..b@northwind.example", "period"),
        (".a@northwind.example", "period"),
        ("a@-northwind.example", "hyphen"),
        ("a@northwind", "should have a period"),
        ("", "required"),
        ("x" * 330 + "@a.example", "at most 320"),
    ],
)
def test_one_email_rule(email: str, problem: str) -> None:
    found = email_problem(email)
    assert (found == "") if not problem else (problem in found), found


def test_an_email_keeps_its_local_part_and_lowers_its_domain() -> None:
    assert check_email(" Ada.Lovelace@NORTHWIND.example ") == "Ada.Lovelace@northwind.example"


@pytest.mark.parametrize(
    "domain",
    ["gmail.com", "yahoo.co.uk", "web.de", "btinternet.com", "qq.com", "orange.fr", "comcast.net", "gmx.de"],
)
def test_free_mail_is_known_worldwide(domain: str) -> None:
    assert is_free_mail(domain)
    score = score_lead({"email": f"someone@{domain}"}, S.NEW)
    assert score.fit == 0
    assert not any("business" in reason for reason in score.reasons)


def test_a_company_domain_scores_and_a_disposable_one_is_named() -> None:
    assert (
        "+10 business e-mail domain (northwind.example)"
        in score_lead({"email": "a@northwind.example"}, S.NEW).reasons
    )
    assert is_disposable("mailinator.com")
    assert score_lead({"email": "a@mailinator.com"}, S.NEW).reasons == (
        "0 disposable e-mail domain (mailinator.com)",
    )


@pytest.mark.parametrize(
    ("phone", "region", "e164"),
    [
        ("020 7946 0958", "GB", "+442079460958"),
        ("+44 20 7946 0958", "", "+442079460958"),
        ("(212) 555-0123", "US", "+12125550123"),
        ("030 12345678", "DE", "+493012345678"),
        ("01 42 68 53 00", "FR", "+33142685300"),
        ("+61 2 9374 4000", "US", "+61293744000"),
        ("", "GB", ""),
    ],
)
def test_phones_become_e164(phone: str, region: str, e164: str) -> None:
    assert normalise_phone(phone, region) == e164


@pytest.mark.parametrize("phone", ["12", "call me", "020 7946 0958"])
def test_a_phone_that_is_not_one_is_refused(phone: str) -> None:
    with pytest.raises(ValueError, match="phone number"):
        normalise_phone(phone, "")


def test_csv_safe_neutralises_formula_cells_and_leaves_the_rest() -> None:
    from aicmo.domain.csv_files import csv_safe, write_csv

    assert [csv_safe(v) for v in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx")] == [
        "'=1+1", "'+1", "'-1", "'@A1", "'\tx", "'\rx",
    ]  # fmt: skip
    assert [csv_safe(v) for v in ("Plain text", "", 42, -3.5, None, "a=b")] == [
        "Plain text",
        "",
        42,
        -3.5,
        None,
        "a=b",
    ]
    assert write_csv(["a", "=b"], [["=x", -1]]) == b"a,'=b\r\n'=x,-1\r\n"


@pytest.mark.parametrize(
    "address",
    [
        "Ada.Lovelace@NORTHWIND.example",
        "a+tag@sub.northwind.example",
        "o'brien@northwind.example",
        "x@localhost",
        "a..b@northwind.example",
        ".a@northwind.example",
        "a@-bad.example",
        "a@northwind",
        "a@123.456",
        "ünï@northwind.example",
        "a@bücher.example",
        "a" * 65 + "@northwind.example",
        "a@" + "b" * 250 + ".com",
        '"quoted local"@northwind.example',
    ],
)
def test_the_fast_path_answers_exactly_as_email_validator(address: str) -> None:
    from email_validator import EmailNotValidError, validate_email

    try:
        expected: str | None = validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        expected = None
    try:
        got: str | None = check_email(address)
    except ValueError:
        got = None
    assert got == expected


def test_short_rows_repeated_columns_and_bad_rows_keep_every_good_row():
    text = "email,E-Mail,name,city\nold@a.example,ann@a.example,Ann,Leeds\nbob@b.example\n" + "".join(
        f"x{n},lead{n}@c.example,Lead {n},York\n" if n % 100 else f"x{n},not-an-email,Bad {n},York\n"
        for n in range(1000)
    )
    parsed = parse_leads_csv(text)
    assert parsed.rows[0].email == "ann@a.example"  # the field's last column
    assert (parsed.rows[0].name, parsed.rows[0].city) == ("Ann", "Leeds")
    assert parsed.rows[1].email == "bob@b.example" and parsed.rows[1].city == ""  # a short row
    assert len(parsed.rows) == 2 + 990
    assert [e.field for e in parsed.errors] == [f"row {n + 4}.email" for n in range(0, 1000, 100)]


@pytest.mark.parametrize("max_rows", [4, 7, 200_000])
def test_rows_read_in_chunks_read_as_one(monkeypatch: pytest.MonkeyPatch, max_rows: int) -> None:
    text = (
        "email,E-Mail,name,consent,timezone\n"
        "a@x.example,b@x.example,Bo,yes,\n"
        "\n"
        "c@x.example\n"
        "d@x.example,,Di,maybe,\n"
        ",,\n"
        "e@x.example,e@x.example,Ed,no,Mars/Olympus\n"
        "f@x.example,F@X.example,Fi,no,Europe/Dublin\n"
        "g@x.example,b@x.example,Gu,yes,\n"
        "h@x.example,not-an-email,Hu,yes,\n"
        "i@x.example,i@x.example,Ian Byrne,y,\n"
    )

    def read() -> tuple[object, ...]:
        parsed = parse_leads_csv(text, max_rows=max_rows)
        return parsed.rows, parsed.errors, parsed.duplicates, parsed.rows_read

    whole = read()
    monkeypatch.setattr(leads_module, "_CHUNK", 2)
    assert read() == whole
    assert whole[2] == (1 if max_rows > 7 else 0)  # g repeats b, when it is read


ADDRESSES = [
    "ada@northwind.example",
    "ADA@Northwind.EXAMPLE",
    "",
    "not-an-email",
    "ü@northwind.example",
    "ada@bücher.example",
    "a@b@northwind.example",
    "a..b@northwind.example",
    "ada@northwind.example.",
    "ada@localhost",
    '"a b"@northwind.example',
    "ada@xn--bcher-kva.example",
    "ada@[192.0.2.1]",
    " ada@northwind.example",
    "q" * 64 + "@northwind.example",
    "q" * 65 + "@northwind.example",
    "q" * 60 + "@" + "d" * 63 + "." + "d" * 63 + "." + "d" * 63 + ".example",
]


@given(st.lists(st.sampled_from(ADDRESSES) | st.text(max_size=30), max_size=12))
def test_a_column_of_addresses_is_checked_as_each_one_alone(values: list[str]) -> None:
    assert normalised_column(values) == [normalised_or_none(v) for v in values]
    assert normalised_column(ADDRESSES) == [normalised_or_none(v) for v in ADDRESSES]


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 20_000])
def test_a_large_file_is_sniffed_from_its_first_lines_only(size: int) -> None:
    lines = ["email;notes", *(f"p{n}@northwind.example;{'x' * (size // 25)}" for n in range(40))]
    for newline in ("\n", "\r\n", "\r"):
        text = newline.join(lines)
        assert _first_lines(text, 20) == text.splitlines()[:20]
        assert sniff_delimiter(text) == ";"


# ---- the plain-file path and reading in parts (a 100,000-row import) ----------------------------
_PLAIN_ALPHABET = st.sampled_from(["a", "b", "@", ".", ",", ";", " ", "\t", "\n", "é", "\u00a0"])


@given(st.text(_PLAIN_ALPHABET, max_size=60), st.sampled_from([",", ";", "\t"]))
def test_a_plain_file_splits_into_the_cells_a_csv_reader_reads(text: str, delimiter: str) -> None:
    plain = split_columns(text, delimiter)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if plain is None:
        return
    assert [list(row) for row in zip(*plain.columns(0, len(plain.lines)), strict=True)] == rows
    assert plain.longest_line >= max(map(len, (cell for row in rows for cell in row)), default=0)


@pytest.mark.parametrize(
    "text",
    [
        'email,name\n"a@x.example",Ann\n',  # a quote
        "email,name\r\na@x.example,Ann\r\n",  # a carriage return
        "email,name\na@x.example,Ann\n\nb@x.example,Bo\n",  # a blank line
        "email,name\na@x.example,Ann\n,\nb@x.example,Bo\n",  # a line of delimiters only
        "email,name\na@x.example\n",  # a short row
        "email,name\na@x.example,Ann,extra\n",  # a long one
    ],
)
def test_a_file_a_reader_must_interpret_is_not_plain(text: str) -> None:
    assert split_columns(text, ",") is None


def _read_whole(text: str, **options: object) -> tuple[object, ...]:
    parsed = parse_leads_csv(text, **options)
    return parsed.rows, parsed.errors, parsed.duplicates, parsed.rows_read, parsed.absent


PLAIN = "email,name,consent,timezone,title\n" + "".join(
    f"{email},Name {n},{consent},{zone},{'x' * (n % 3) * 90}\n"
    for n, (email, consent, zone) in enumerate(
        [
            ("a@x.example", "yes", ""),
            ("b@x.example", "no", "Europe/Dublin"),
            ("A@x.example", "yes", ""),  # repeats a, in another part
            ("not-an-email", "yes", ""),
            ("c@x.example", "maybe", ""),
            ("d@x.example", "yes", "Mars/Olympus"),
            ("e@x.example", "yes", ""),
            ("b@x.example", "yes", ""),  # repeats b
            ("f@x.example", "no", ""),
        ]
        * 3
    )
)


@pytest.mark.parametrize("part_rows", [1, 2, 5, 10_000])
@pytest.mark.parametrize("max_rows", [4, 20, 200_000])
def test_reading_in_parts_reads_as_one(part_rows: int, max_rows: int) -> None:
    whole = _read_whole(PLAIN, max_rows=max_rows)
    parsed, parts = read_leads_csv(PLAIN, max_rows=max_rows, part_rows=part_rows)
    for part in parts:
        for name, values in part.items():
            parsed.table.setdefault(name, []).extend(values)
    assert (parsed.rows, parsed.errors, parsed.duplicates, parsed.rows_read, parsed.absent) == whole
    # the first nine rows repeat a and b once; each later nine repeat all six good ones
    assert whole[2] == {4: 1, 20: 2 + 6 + 2, 200_000: 2 + 6 + 6}[max_rows]


def test_the_plain_path_and_the_csv_reader_read_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    long_title = PLAIN.replace("title\n", "title\n", 1) + "g@x.example,Gus,yes,," + "t" * 600 + "\n"
    for text in (PLAIN, long_title):
        plain = _read_whole(text)
        monkeypatch.setattr(leads_module, "split_columns", lambda *_: None)
        assert _read_whole(text) == plain
        monkeypatch.undo()
    assert len(parse_leads_csv(long_title).table["title"][-1]) == 500  # cut on the plain path too
