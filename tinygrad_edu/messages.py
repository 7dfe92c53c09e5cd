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
    "code.header": {
        "pt": "Backprop como código: leia o forward de cima para baixo e o backward "
        "de baixo para cima.",
        "en": "Backprop as code: read the forward pass top-down and the backward pass bottom-up.",
    },
    "code.sizes": {
        "pt": "{leaves} folhas, {nodes} nós calculados, {edges} arestas (uma linha de regra "
        "da cadeia por aresta)",
        "en": "{leaves} leaves, {nodes} computed nodes, {edges} edges (one chain-rule line "
        "per edge)",
    },
    "code.leaves": {
        "pt": "as folhas, lidas do .data atual de cada uma (vN: rótulo = valor ao compilar):",
        "en": "the leaves, read from each one's current .data (vN: label = value when compiled):",
    },
    "code.forward": {
        "pt": "forward: uma linha por nó, os filhos antes dos pais",
        "en": "forward pass: one line per node, children before parents",
    },
    "code.forward_only": {
        "pt": "cg.forward() para aqui e devolve só a saída",
        "en": "cg.forward() stops here and returns the output only",
    },
    "code.leaf_grads": {
        "pt": "backward: os gradientes das folhas continuam do .grad atual (+=, como backward())",
        "en": "backward pass: the leaves' gradients go on from their current .grad "
        "(+=, as backward())",
    },
    "code.zero": {
        "pt": "os gradientes dos nós internos começam em 0.0, como backward() os zera",
        "en": "the interior nodes' gradients start at 0.0, as backward() resets them",
    },
    "code.seed": {
        "pt": "d {output}/d {output} = 1: o ponto de partida",
        "en": "d {output}/d {output} = 1: where it starts",
    },
    "code.leaf_seed": {
        "pt": "a saída é uma folha: backward() soma 1 ao seu grad",
        "en": "the output is a leaf: backward() adds 1 to its grad",
    },
    "code.backward": {
        "pt": "regra da cadeia, uma linha por aresta, os pais antes dos filhos: "
        "filho.grad += pai.grad * derivada local",
        "en": "the chain rule, one line per edge, parents before children: "
        "child.grad += parent.grad * local derivative",
    },
    "code.rule_call": {
        "pt": "derivadas locais de {node}, calculadas pela própria regra de {op!r} "
        "(ela decide pelo número ou chama uma função)",
        "en": "local derivatives of {node}, computed by the rule of {op!r} itself "
        "(it branches on the number or calls a function)",
    },
    "code.return": {
        "pt": "a saída e os novos gradientes das folhas (e, se pedido, os dos nós internos)",
        "en": "the output and the leaves' new gradients (and, when asked, the interior nodes')",
    },
    # --- the PyTorch bridge ----------------------------------------------------
    # --- the explorer ----------------------------------------------------------
}
