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
    # --- backprop as code ------------------------------------------------------
    # --- the PyTorch bridge ----------------------------------------------------
    "bridge.parameter": {"pt": "parâmetro", "en": "parameter"},
    "bridge.in_torch": {"pt": "no PyTorch", "en": "in PyTorch"},
    "bridge.value": {"pt": "valor", "en": "value"},
    "bridge.grad_ours": {"pt": "gradiente (tinygrad_edu)", "en": "gradient (tinygrad_edu)"},
    "bridge.grad_torch": {"pt": "gradiente (PyTorch)", "en": "gradient (PyTorch)"},
    "bridge.abs_error": {"pt": "diferença", "en": "difference"},
    "bridge.bound": {"pt": "limite", "en": "bound"},
    "bridge.step_error": {"pt": "diferença após o passo", "en": "difference after the step"},
    "bridge.ok": {"pt": "concorda", "en": "agrees"},
    "bridge.failed": {"pt": "DISCORDA", "en": "DISAGREES"},
    "bridge.caption": {
        "pt": "tinygrad_edu e PyTorch, loss {loss}: gradiente de cada parâmetro",
        "en": "tinygrad_edu and PyTorch, loss {loss}: the gradient of each parameter",
    },
    "bridge.loss_line": {
        "pt": "loss {loss}: tinygrad_edu {ours}, PyTorch {torch} (diferença {error}, "
        "limite {bound})",
        "en": "loss {loss}: tinygrad_edu {ours}, PyTorch {torch} (difference {error}, "
        "bound {bound})",
    },
    "bridge.step_line": {
        "pt": "um passo de SGD (lr = {lr}) nos dois: os pesos novos comparados na última coluna",
        "en": "one SGD step (lr = {lr}) in both: the new weights compared in the last column",
    },
    "bridge.agree": {
        "pt": "veredito: os dois calculam os mesmos números, dentro do arredondamento de "
        "float64 (maior diferença/limite: {ratio})",
        "en": "verdict: both compute the same numbers, within float64 rounding "
        "(largest difference/bound: {ratio})",
    },
    "bridge.disagree": {
        "pt": "veredito: DISCORDAM além do arredondamento de float64 "
        "(maior diferença/limite: {ratio})",
        "en": "verdict: they DISAGREE beyond float64 rounding (largest difference/bound: {ratio})",
    },
    "bridge.more_rows": {
        "pt": "(primeiros {shown} de {total} parâmetros; o veredito usa todos)",
        "en": "(first {shown} of {total} parameters; the verdict uses all)",
    },
    # --- the explorer ----------------------------------------------------------
}
