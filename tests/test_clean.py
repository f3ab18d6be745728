import pytest

from index.clean import Deduplicator, clean_article, clean_paragraphs, content_hash, decode_escapes, normalize_line
from index.sources import read_txt
from index.types import Article
from tests.conftest import SEED_FILE


def test_seed_caption_repeated_with_other_apostrophe_is_dropped_once() -> None:
    [article] = list(read_txt(SEED_FILE))
    assert isinstance(article, Article)
    cleaned, dropped = clean_article(article)
    assert dropped == 1
    caption = "top U.S. State Department official James Jeffrey (pictured) said today"
    assert cleaned.text.count(caption) == 1
    # wording is never changed: curly quotes stay curly
    assert "Turkey’s invasion, a top U.S. State Department official told Congress today." in cleaned.text


def test_normalization_changes_form_not_wording() -> None:
    assert normalize_line("Cafe\u0301  au\u200b lait\u202e\t ok ") == "Café au lait ok"
    assert normalize_line("‘secured’") == "‘secured’"


@pytest.mark.parametrize(
    ("line", "decoded"),
    [  # from the news archive's scraped pages
        ("raise its minimum wage to %2410%2C the highest", "raise its minimum wage to $10, the highest"),
        ("tries %22to reinvent himself%2C%22 author says", 'tries "to reinvent himself," author says'),
        ("fallen 59%25 since the Surgeon General%27s report", "fallen 59% since the Surgeon General's report"),
        ("it%E2%80%99s here", "it’s here"),  # a UTF-8 character in three escapes
        # left alone: web addresses, letters and digits, broken UTF-8, a plain percent sign
        ("see https://x.com/a#:~:text=The%20company and it%27s", "see https://x.com/a#:~:text=The%20company and it's"),
        ("www.x.com/a%2Cb", "www.x.com/a%2Cb"),
        ("to%72ead a%31", "to%72ead a%31"),
        ("bad %E2%80 run", "bad %E2%80 run"),
        ("50% of people, 100%", "50% of people, 100%"),
    ],
)
def test_url_encoded_punctuation_in_prose_is_decoded(line: str, decoded: str) -> None:
    assert decode_escapes(line) == decoded


def test_an_url_encoded_article_is_cleaned_but_its_address_is_not() -> None:
    article = Article(
        doc_id="a",
        title="Fined %24500%2C000",
        text="The airline was fined %24500%2C000.\n\nOfficials%27 statement followed.",
        url="https://example.com/fined%2C-airline",
    )
    cleaned, _ = clean_article(article)
    assert cleaned.title == "Fined $500,000"
    assert cleaned.text == "The airline was fined $500,000.\n\nOfficials' statement followed."
    assert cleaned.url == "https://example.com/fined%2C-airline"


def test_paragraph_dedupe_is_case_and_space_insensitive_but_keeps_first() -> None:
    kept, dropped = clean_paragraphs(["Hello  World.", "", "hello world.", "Other."])
    assert kept == ["Hello World.", "Other."] and dropped == 1


WIRE = (
    "Russian troops crossed the Euphrates River in Syria on Wednesday and will start patrolling the area "
    "alongside Syrian forces, under a deal struck in Sochi, officials said. Russian patrols have already begun "
    "near the city of Manbij, where U.S. troops were manning a base until two weeks ago. From today, Russian "
    "military police and Syrian border guards will facilitate the removal of Kurdish fighters and their weapons "
    "from within 18 miles of the border, according to the text of the agreement."
)


def test_near_duplicate_wire_copy_is_detected_and_exact_copy_too() -> None:
    dedupe = Deduplicator(near_threshold=0.7)
    first = Article(doc_id="a", title="Russia moves in", text=WIRE, source="Outlet A")
    edited = Article(doc_id="b", title="Russians cross river", text="By Staff Writer. " + WIRE + " (AFP)", source="B")
    exact = Article(doc_id="c", title="Russia moves in", text=WIRE, source="Outlet C")
    other = Article(doc_id="d", title="Budget", text="The finance minister presented the budget. " * 10, source="D")
    assert dedupe.check(first) == ("new", None)
    assert dedupe.check(edited) == ("near", "a")
    assert dedupe.check(exact) == ("exact", "a")
    assert dedupe.check(other) == ("new", None)
    assert content_hash(first) == content_hash(exact) != content_hash(other)
