"""The words a person reads, in Portuguese (pt-BR) and English; imports nothing of the package.

Every sentence the command line, the pictures, the explorer and the notebooks
show comes from `MESSAGES`: one entry per key, with its Portuguese and English
text side by side and the same `str.format` placeholders in both. Library
exceptions stay in English (they are searchable); this module is for people.

>>> text("language.name", "pt")
'português'
>>> text("language.unknown", "en", given="xx", choices="pt, en")
"unknown language 'xx'; choose one of: pt, en"
>>> choose_language(environ={"LANG": "pt_BR.UTF-8"})
'pt'
>>> choose_language(environ={})
'en'
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = ["ENVIRONMENT_VARIABLE", "LANGUAGES", "MESSAGES", "choose_language", "text"]

LANGUAGES = ("pt", "en")
"""The languages every message exists in: pt-BR first, English the fallback."""

ENVIRONMENT_VARIABLE = "TINYGRAD_EDU_LANG"
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # in the order POSIX gives them precedence


def choose_language(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to speak: `explicit` (--lang) if given, else $TINYGRAD_EDU_LANG,
    else the locale (the first of LC_ALL, LC_MESSAGES, LANG that is set; 'pt' when
    it starts with 'pt'), else English.

    A choice outside `LANGUAGES` is a ValueError whose message lists them.

    >>> choose_language("pt", environ={"LANG": "en_US.UTF-8"})
    'pt'
    >>> choose_language(environ={"TINYGRAD_EDU_LANG": "en", "LANG": "pt_BR.UTF-8"})
    'en'
    >>> choose_language(environ={"LC_ALL": "C", "LANG": "pt_BR.UTF-8"})
    'en'
    """
    environ = os.environ if environ is None else environ
    for choice in (explicit, environ.get(ENVIRONMENT_VARIABLE) or None):
        if choice is not None:
            if choice not in LANGUAGES:
                raise ValueError(
                    text("language.unknown", "en", given=choice, choices=", ".join(LANGUAGES))
                )
            return choice
    for variable in _LOCALE_VARIABLES:
        value = environ.get(variable)
        if value:  # the first one set decides, as the C library does
            return "pt" if value.lower().startswith("pt") else "en"
    return "en"


def text(key: str, lang: str, /, **fields: object) -> str:
    """The message `key` in `lang`, with its placeholders filled from `fields`."""
    try:
        entry = MESSAGES[key]
    except KeyError:
        raise KeyError(f"no message {key!r}; add it to tinygrad_edu.messages.MESSAGES") from None
    if lang not in entry:
        raise ValueError(f"unknown language {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    return entry[lang].format(**fields) if fields else entry[lang]


MESSAGES: dict[str, dict[str, str]] = {
    # --- languages -------------------------------------------------------------
    "language.name": {"pt": "português", "en": "English"},
    "language.unknown": {
        "pt": "idioma desconhecido {given!r}; escolha um de: {choices}",
        "en": "unknown language {given!r}; choose one of: {choices}",
    },
    # --- the command line ------------------------------------------------------
    # --- pictures --------------------------------------------------------------
    # --- reports shown in notebooks --------------------------------------------
    "report.passed": {"pt": "passou", "en": "passed"},
    "report.failed": {"pt": "FALHOU", "en": "FAILED"},
    "report.right": {"pt": "acerta", "en": "right"},
    "report.wrong": {"pt": "erra", "en": "wrong"},
    "report.name": {"pt": "peso", "en": "name"},
    "report.analytic": {"pt": "analítica", "en": "analytic"},
    "report.numeric": {"pt": "numérica", "en": "numeric"},
    "report.abs_error": {"pt": "erro absoluto", "en": "abs error"},
    "report.rel_error": {"pt": "erro relativo", "en": "rel error"},
    "report.predicted_error": {
        "pt": "h/2·|f''| (erro previsto)",
        "en": "h/2·|f''| (predicted error)",
    },
    "report.target": {"pt": "alvo", "en": "target"},
    "report.gradcheck_passed": {
        "pt": "gradient check ({method}, h={h:g}, atol={atol:g}, rtol={rtol:g}): passou, "
        "{count} parâmetros dentro da tolerância",
        "en": "gradcheck ({method}, h={h:g}, atol={atol:g}, rtol={rtol:g}): passed, "
        "{count} parameters within tolerance",
    },
    "report.gradcheck_failed": {
        "pt": "gradient check ({method}, h={h:g}, atol={atol:g}, rtol={rtol:g}): FALHOU, "
        "{failures} de {count} parâmetros fora da tolerância; os piores primeiro",
        "en": "gradcheck ({method}, h={h:g}, atol={atol:g}, rtol={rtol:g}): FAILED, "
        "{failures} of {count} parameters outside tolerance; the worst first",
    },
    "report.losses_caption": {
        "pt": "MSE = {mse:.6g}, cross-entropy = {cross_entropy:.6g}; "
        "os exemplos com a maior cross-entropy primeiro",
        "en": "MSE = {mse:.6g}, cross-entropy = {cross_entropy:.6g}; "
        "the examples with the largest cross-entropy first",
    },
    "report.nudge_caption": {
        "pt": "Subir {name} em {h:g}: o gradiente prevê que o loss {direction} {predicted:.2e}; "
        "medido: {actual:+.2e}",
        "en": "Moving {name} up by {h:g}: the gradient predicts the loss goes {direction} by "
        "{predicted:.2e}; measured: {actual:+.2e}",
    },
    "report.up": {"pt": "sobe", "en": "up"},
    "report.down": {"pt": "desce", "en": "down"},
    "report.flat": {"pt": "fica parado", "en": "flat"},
    "report.quantity": {"pt": "grandeza", "en": "quantity"},
    "report.value": {"pt": "valor", "en": "value"},
    "report.gradient": {"pt": "gradiente dL/dw", "en": "gradient dL/dw"},
    "report.predicted_change": {
        "pt": "mudança prevista (grad·h)",
        "en": "predicted change (grad·h)",
    },
    "report.actual_change": {"pt": "mudança medida", "en": "actual change"},
    "report.agrees": {
        "pt": "medido confere com o previsto",
        "en": "measured agrees with predicted",
    },
    # --- backprop as code ------------------------------------------------------
    # --- the PyTorch bridge ----------------------------------------------------
    # --- the explorer ----------------------------------------------------------
}
