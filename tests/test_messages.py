"""The message catalog: every entry in both languages, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from tinygrad_edu.messages import LANGUAGES, MESSAGES, choose_language, text


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_exists_in_every_language_with_the_same_placeholders(key: str) -> None:
    entry = MESSAGES[key]
    assert set(entry) == set(LANGUAGES), f"{key} has {sorted(entry)}"
    assert placeholders(entry["pt"]) == placeholders(entry["en"]), key
    assert all(entry[lang].strip() for lang in LANGUAGES), f"{key} has an empty text"


@pytest.mark.parametrize(
    ("explicit", "environ", "expected"),
    [
        ("en", {"TINYGRAD_EDU_LANG": "pt"}, "en"),  # --lang wins
        (None, {"TINYGRAD_EDU_LANG": "pt", "LANG": "en_US.UTF-8"}, "pt"),  # then the variable
        (None, {"LC_ALL": "pt_BR.UTF-8", "LANG": "en_US"}, "pt"),  # then the locale, LC_ALL first
        (None, {"LC_MESSAGES": "pt_PT", "LANG": "en_US"}, "pt"),
        (None, {"LANG": "pt_BR.UTF-8"}, "pt"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),  # English is the fallback
        (None, {"LC_ALL": "", "LANG": "pt_BR"}, "pt"),  # an empty variable is not set
        (None, {}, "en"),
    ],
)
def test_the_language_is_chosen_in_the_documented_order(
    explicit: str | None, environ: dict[str, str], expected: str
) -> None:
    assert choose_language(explicit, environ=environ) == expected


@pytest.mark.parametrize("bad", ["xx", "PT", "pt_BR"])
def test_an_unknown_language_is_refused_listing_the_choices(bad: str) -> None:
    with pytest.raises(ValueError, match="choose one of: pt, en"):
        choose_language(bad, environ={})
    with pytest.raises(ValueError, match="choose one of: pt, en"):
        choose_language(environ={"TINYGRAD_EDU_LANG": bad})


def test_text_fills_placeholders_and_names_a_missing_key() -> None:
    assert text("language.unknown", "pt", given="xx", choices="pt, en").startswith(
        "idioma desconhecido 'xx'"
    )
    with pytest.raises(KeyError, match="no message 'nope'"):
        text("nope", "pt")
