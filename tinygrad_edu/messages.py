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
    "cli.description": {
        "pt": "A aula 'Loss e Derivadas' com um motor de autograd escalar: losses, derivadas, "
        "gradient checks (conferência do gradiente) e grafos de computação.",
        "en": "The lesson 'Loss e Derivadas' with a scalar autograd engine: losses, "
        "derivatives, gradient checks and computation graphs.",
    },
    "cli.epilog": {
        "pt": "Comece com: tinygrad-edu demo. Códigos de saída: 0 sucesso, 1 uma conferência "
        "falhou, 2 uso ou entrada inválidos. Idioma: --lang pt|en, ou TINYGRAD_EDU_LANG=pt.",
        "en": "Start with: tinygrad-edu demo. Exit codes: 0 success, 1 a check failed, "
        "2 bad usage or input. Language: --lang pt|en, or TINYGRAD_EDU_LANG=pt.",
    },
    "cli.argparse.usage": {"pt": "uso: ", "en": "usage: "},
    "cli.argparse.positionals": {"pt": "argumentos posicionais", "en": "positional arguments"},
    "cli.argparse.options": {"pt": "opções", "en": "options"},
    "cli.argparse.help": {
        "pt": "mostra esta mensagem de ajuda e sai",
        "en": "show this help message and exit",
    },
    "cli.argparse.version": {
        "pt": "mostra a versão do programa e sai",
        "en": "show program's version number and exit",
    },
    # argparse's own error sentences: the English is argparse's, read back field by field.
    "cli.argparse.argument": {
        "pt": "argumento {name}: {message}",
        "en": "argument {name}: {message}",
    },
    "cli.argparse.required": {
        "pt": "estes argumentos são obrigatórios: {names}",
        "en": "the following arguments are required: {names}",
    },
    "cli.argparse.invalid_choice": {
        "pt": "escolha inválida: {value} (escolha entre {choices})",
        "en": "invalid choice: {value} (choose from {choices})",
    },
    "cli.argparse.invalid_value": {
        "pt": "valor {type} inválido: {value}",
        "en": "invalid {type} value: {value}",
    },
    "cli.argparse.one_argument": {"pt": "esperava um valor", "en": "expected one argument"},
    "cli.argparse.n_arguments": {
        "pt": "esperava {count} valores",
        "en": "expected {count} arguments",
    },
    "cli.argparse.unrecognized": {
        "pt": "argumentos não reconhecidos: {names}",
        "en": "unrecognized arguments: {names}",
    },
    "cli.argparse.ambiguous": {
        "pt": "opção ambígua: {option} pode ser {matches}",
        "en": "ambiguous option: {option} could match {matches}",
    },
    "cli.error.usage": {
        "pt": "{prog}: erro: {reason} (veja {prog} --help)\n",
        "en": "{prog}: error: {reason} (see {prog} --help)\n",
    },
    "cli.error.language": {
        "pt": "{prog}: erro: idioma desconhecido {given}; escolha um de: {choices}",
        "en": "{prog}: error: unknown language {given}; choose one of: {choices}",
    },
    "cli.error.input": {"pt": "{where}: erro: {reason}", "en": "{where}: error: {reason}"},
    "cli.error.write": {
        "pt": "{where}: erro: não foi possível gravar {path}: {reason}; confira o --out",
        "en": "{where}: error: cannot write {path}: {reason}; check --out",
    },
    "cli.error.write_file": {
        "pt": "não foi possível gravar {path}: {reason}",
        "en": "cannot write {path}: {reason}",
    },
    "cli.error.stdout": {
        "pt": "{where}: erro: não foi possível escrever a saída (stdout): {reason}",
        "en": "{where}: error: cannot write the output (stdout): {reason}",
    },
    "cli.error.memory": {
        "pt": "{where}: erro: faltou memória; use valores menores de --n, --hidden ou --epochs",
        "en": "{where}: error: out of memory; use smaller --n, --hidden or --epochs",
    },
    "cli.error.recursion": {
        "pt": "{where}: erro: entrada aninhada fundo demais (um --out ou uma expressão); "
        "use uma mais rasa",
        "en": "{where}: error: input nested too deep (an --out or an expression); "
        "use a shallower one",
    },
    "cli.error.dot": {
        "pt": "o Graphviz não conseguiu desenhar o grafo: {error}",
        "en": "Graphviz could not draw the graph: {error}",
    },
    "cli.error.dot_timeout": {
        "pt": "o Graphviz demorou demais: {error}; aumente --dot-timeout ou use --format dot",
        "en": "Graphviz took too long: {error}; raise --dot-timeout or use --format dot",
    },
    "cli.option.dot_timeout": {
        "pt": "segundos que o dot do Graphviz pode levar para desenhar ({default})",
        "en": "seconds Graphviz's dot may take to draw ({default})",
    },
    "cli.option.most": {"pt": "; no máximo {maximum}", "en": "; at most {maximum}"},
    "cli.option.most_layers": {
        "pt": "; no máximo {layers} camadas de {width}",
        "en": "; at most {layers} layers of {width}",
    },
    "cli.type.at_most_whole": {
        "pt": "esperava um número <= {maximum}, recebi {given}",
        "en": "expected a number <= {maximum}, got {given}",
    },
    "cli.type.layers_most": {
        "pt": "no máximo {layers} camadas ocultas de até {width} neurônios, recebi {given!r}",
        "en": "at most {layers} hidden layers of up to {width} neurons, got {given!r}",
    },
    "cli.note.progress": {"pt": "época {done} de {total}", "en": "epoch {done} of {total}"},
    "cli.note.progress_rows": {
        "pt": "linha {done} de {total} da grade",
        "en": "grid row {done} of {total}",
    },
    "cli.note.progress_rules": {
        "pt": "regra {done} de {total}: {name}",
        "en": "rule {done} of {total}: {name}",
    },
    "cli.note.progress_parameters": {
        "pt": "parâmetro {done} de {total}: {name}",
        "en": "parameter {done} of {total}: {name}",
    },
    "cli.type.function_name_read_as": {
        "pt": "{given!r} é lido como {name!r}, um nome de função; escolha outro nome de variável",
        "en": "{given!r} is read as {name!r}, a function name; choose another variable name",
    },
    "cli.graph.not_finite": {
        "pt": "o resultado não é um número finito ({value}); algum valor estourou o float",
        "en": "the result is not a finite number ({value}); some value overflowed a float",
    },
    "cli.graph.grad_not_finite": {
        "pt": "o gradiente d out / d {name} não é um número finito ({value})",
        "en": "the gradient d out / d {name} is not a finite number ({value})",
    },
    "cli.race.diverged": {
        "pt": "o treino divergiu: tente um --lr menor (o loss {loss} chegou a {value} na "
        "época {epoch} com --lr {lr})",
        "en": "training diverged: try a smaller --lr (the {loss} loss reached {value} at "
        "epoch {epoch} with --lr {lr})",
    },
    "cli.error.interrupted": {"pt": "{where}: interrompido", "en": "{where}: interrupted"},
    "cli.error.out": {
        "pt": "não dá para usar --out {out} como pasta: {reason}; "
        "indique uma pasta em que você possa gravar",
        "en": "cannot use --out {out} as a directory: {reason}; give a folder you can write to",
    },
    "cli.error.framed": {
        "pt": "a conta falhou: {error} ({advice})",
        "en": "{error} ({advice})",
    },
    "cli.error.expression": {
        "pt": "a conta falhou: {error}",
        "en": "{error}",
    },
    "cli.error.rules": {"pt": "{error}", "en": "{error}"},
    "cli.advice.demo": {
        "pt": "tente os valores padrão de --h, --noise e --hidden",
        "en": "try the default --h, --noise and --hidden",
    },
    "cli.advice.race": {
        "pt": "o treino divergiu: tente um --lr ou um --flip menor",
        "en": "training diverged: try a smaller --lr or --flip",
    },
    "cli.advice.gradcheck": {
        "pt": "tente o padrão --h 1e-3 e o --noise padrão",
        "en": "try the default --h 1e-3 and --noise",
    },
    "cli.advice.landscape": {
        "pt": "o treino divergiu: tente um --lr ou um --span menor, ou o --noise padrão",
        "en": "training diverged: try a smaller --lr or --span, or the default --noise",
    },
    "cli.note.no_graphviz": {
        "pt": "nota: o programa 'dot' do Graphviz não foi encontrado, então gravei o código DOT "
        "em {path}; instale o Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; "
        "macOS: brew install graphviz) para ter a figura",
        "en": "note: the Graphviz 'dot' program was not found, so the DOT source went to {path}; "
        "install Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; "
        "macOS: brew install graphviz) to get the picture",
    },
    "cli.note.no_matplotlib": {
        "pt": "nota: o matplotlib não está instalado, então não há figura; "
        "pip install 'tinygrad_edu[plot]'",
        "en": "note: matplotlib is not installed, so no picture; pip install 'tinygrad_edu[plot]'",
    },
    "cli.note.graph_too_big": {
        "pt": "nota: o grafo do loss de um exemplo tem {size} valores, mais que os {limit} que "
        "uma figura legível comporta, então não foi desenhado; tente um --hidden menor",
        "en": "note: the graph of one example's loss has {size} values, more than the {limit} "
        "a readable picture holds, so it is not drawn; try a smaller --hidden",
    },
    # argument types
    "cli.type.whole": {
        "pt": "esperava um número inteiro, recebi {given!r}",
        "en": "expected a whole number, got {given!r}",
    },
    "cli.type.at_least": {
        "pt": "esperava um número >= {minimum}, recebi {given}",
        "en": "expected a number >= {minimum}, got {given}",
    },
    "cli.type.above": {"pt": "um número finito > {low}", "en": "a finite number > {low}"},
    "cli.type.at_least_real": {"pt": "um número finito >= {low}", "en": "a finite number >= {low}"},
    "cli.type.at_most": {"pt": " e <= {high}", "en": " and <= {high}"},
    "cli.type.real": {
        "pt": "esperava {wanted}, recebi {given!r}",
        "en": "expected {wanted}, got {given!r}",
    },
    "cli.type.decimal_point": {
        "pt": "; escreva decimais com ponto, como o Python lê: {number}",
        "en": "; write decimals with a point, as Python reads them: {number}",
    },
    "cli.type.layers": {
        "pt": "esperava tamanhos de camadas escondidas separados por vírgulas, como 4,4; "
        "recebi {given!r}",
        "en": "expected hidden layer sizes separated by commas, e.g. 4,4, got {given!r}",
    },
    "cli.type.layer_size": {
        "pt": "todo tamanho de camada deve ser >= 1, recebi {given!r}",
        "en": "every layer size must be >= 1, got {given!r}",
    },
    "cli.type.variable": {
        "pt": "esperava NOME=NÚMERO, como x=1.5; recebi {given!r}",
        "en": "expected NAME=NUMBER, e.g. x=1.5, got {given!r}",
    },
    "cli.type.function_name": {
        "pt": "{name!r} é nome de função; escolha outro nome de variável",
        "en": "{name!r} is a function name; choose another variable name",
    },
    "cli.type.variable_number": {
        "pt": "o valor de {name} deve ser um número, recebi {given!r}",
        "en": "the value of {name} must be a number, got {given!r}",
    },
    "cli.type.variable_finite": {
        "pt": "o valor de {name} deve ser um número finito, recebi {given!r}",
        "en": "the value of {name} must be a finite number, got {given!r}",
    },
    "cli.type.file_stem": {
        "pt": "esperava um nome de arquivo simples, como 'neuronio' (sem pastas; para elas use "
        "--out), recebi {given!r}",
        "en": "expected a plain file name such as 'neuron' (no folders; use --out for those), "
        "got {given!r}",
    },
    # options
    "cli.option.lang": {
        "pt": "idioma da saída: pt (português) ou en (inglês); padrão: TINYGRAD_EDU_LANG, "
        "depois o locale",
        "en": "language of the output: pt (Portuguese) or en (English); default: "
        "TINYGRAD_EDU_LANG, then the locale",
    },
    "cli.option.out": {
        "pt": "pasta de todo arquivo que este comando grava (padrão: ./{default}/)",
        "en": "directory for every file this command writes (default: ./{default}/)",
    },
    "cli.option.dataset": {
        "pt": "pontos 2D com classes 0/1 (moons)",
        "en": "2D points labelled 0/1 (moons)",
    },
    "cli.option.n": {
        "pt": "número de pontos, no mínimo 2 ({n})",
        "en": "number of points, at least 2 ({n})",
    },
    "cli.option.noise": {
        "pt": "ruído dos pontos (padrão: o do próprio conjunto)",
        "en": "noise of the points (default: the dataset's own)",
    },
    "cli.option.hidden": {
        "pt": "tamanhos das camadas escondidas, separados por vírgula (padrão: {hidden}); "
        "a saída é um logit",
        "en": "hidden layer sizes, comma-separated (default: {hidden}); the output is one logit",
    },
    "cli.option.activation": {
        "pt": "ativação das camadas escondidas (tanh)",
        "en": "hidden activation (tanh)",
    },
    "cli.option.seed_model": {
        "pt": "semente dos dados e dos pesos iniciais da rede (padrão: 0)",
        "en": "seed of the dataset and of the network's initial weights (default: 0)",
    },
    "cli.option.seed_graph": {
        "pt": "sem efeito: uma expressão não tem nada aleatório; aceita como em todo comando "
        "(padrão: 0)",
        "en": "no effect: an expression has no randomness; accepted like every command "
        "(default: 0)",
    },
    "cli.option.seed_rules": {
        "pt": "semente dos exemplos aleatórios (padrão: 0)",
        "en": "seed of the random examples (default: 0)",
    },
    "cli.option.loss": {"pt": "loss (cross-entropy)", "en": "loss (cross-entropy)"},
    "cli.option.h_demo": {
        "pt": "passo da diferença finita (0.001)",
        "en": "finite-difference step (0.001)",
    },
    "cli.option.h": {"pt": "passo (0.001)", "en": "step (0.001)"},
    "cli.option.rows": {"pt": "linhas das tabelas (6)", "en": "table rows to show (6)"},
    "cli.option.format_demo": {
        "pt": "formato do arquivo do grafo (svg)",
        "en": "graph file format (svg)",
    },
    "cli.option.format": {"pt": "formato do arquivo (svg)", "en": "file format (svg)"},
    "cli.option.var": {
        "pt": "o valor de uma variável; repita para cada variável",
        "en": "a variable's value; repeat for each variable",
    },
    "cli.option.param": {
        "pt": "marca a variável NAME como parâmetro (um peso) na figura; repetível",
        "en": "mark variable NAME as a parameter (a weight) in the picture; repeatable",
    },
    "cli.option.legend": {
        "pt": "acrescenta à figura a legenda de bordas e cores",
        "en": "add the key of borders and colours to the picture",
    },
    "cli.option.name": {
        "pt": "nome do arquivo sem extensão (graph)",
        "en": "file name without suffix (graph)",
    },
    "cli.option.rankdir": {"pt": "direção do desenho (LR)", "en": "layout direction (LR)"},
    "cli.option.epochs": {"pt": "épocas de treino (30)", "en": "training epochs (30)"},
    "cli.option.lr": {"pt": "taxa de aprendizado ({lr:g})", "en": "learning rate ({lr:g})"},
    "cli.option.warmup": {
        "pt": "passos de ajuste antes da inversão (60)",
        "en": "fitting steps before the flip (60)",
    },
    "cli.option.flip": {
        "pt": "o |z| médio da rede invertida, confiante e errada (5)",
        "en": "mean |z| of the flipped, confidently wrong network (5)",
    },
    "cli.option.target": {
        "pt": "acurácia que conta como recuperada (0.8)",
        "en": "accuracy that counts as recovered (0.8)",
    },
    "cli.option.method": {
        "pt": "diferença finita (central); forward (progressiva) é a da aula",
        "en": "finite difference (central); forward is the lesson's",
    },
    "cli.option.atol": {"pt": "tolerância absoluta (1e-5)", "en": "absolute tolerance (1e-5)"},
    "cli.option.rtol": {"pt": "tolerância relativa (1e-3)", "en": "relative tolerance (1e-3)"},
    "cli.option.all": {
        "pt": "mostra todos os parâmetros, não só os piores",
        "en": "show every parameter, not only the worst ones",
    },
    "cli.option.weights": {
        "pt": "nomes de dois parâmetros (os dois primeiros)",
        "en": "two parameter names (the first two)",
    },
    "cli.option.span": {
        "pt": "meia largura da grade em volta do início (2; ampliada para caber o caminho do SGD)",
        "en": "grid half-width around the start (2; widened to hold the SGD path)",
    },
    "cli.option.grid": {"pt": "pontos da grade por lado (25)", "en": "grid points per side (25)"},
    "cli.option.steps": {"pt": "passos de SGD (10)", "en": "SGD steps (10)"},
    "cli.option.examples": {"pt": "exemplos por op (100)", "en": "examples per op (100)"},
    "cli.option.op": {
        "pt": "confere só esta op (repetível)",
        "en": "check only this op (repeatable)",
    },
    # the reports
    "cli.report.parameter": {"pt": "{count} parâmetro", "en": "{count} parameter"},
    "cli.report.parameters": {"pt": "{count} parâmetros", "en": "{count} parameters"},
    "cli.report.passed": {
        "pt": "gradcheck ({settings}): PASSOU, {count} dentro da tolerância",
        "en": "gradcheck ({settings}): PASSED, {count} within tolerance",
    },
    "cli.report.failed": {
        "pt": "gradcheck ({settings}): FALHOU, {failures} de {count} fora da tolerância "
        "(pior: {worst}, erro absoluto {error})",
        "en": "gradcheck ({settings}): FAILED, {failures} of {count} outside tolerance "
        "(worst: {worst}, abs error {error})",
    },
    "cli.report.curvature": {
        "pt": "Nota: uma diferença de um lado só erra por cerca de h/2*|f''(w)| mesmo com o "
        "gradiente certo:\nisso é a curvatura do loss, não um bug (compare 'erro abs' com "
        "'h/2*|f''|').\nmethod='central' cancela esse termo (o erro dela cai como h^2) e é a "
        "solução.",
        "en": "Note: a one-sided difference is off by about h/2*|f''(w)| even when the gradient "
        "is right:\nthat is the loss's curvature, not a bug (compare 'abs error' with "
        "'h/2*|f''|').\nmethod='central' cancels that term (its error shrinks like h^2) and is "
        "the fix.",
    },
    "cli.report.column.name": {"pt": "nome", "en": "name"},
    "cli.report.column.analytic": {"pt": "analítica", "en": "analytic"},
    "cli.report.column.numeric": {"pt": "numérica", "en": "numeric"},
    "cli.report.column.abs": {"pt": "erro abs", "en": "abs error"},
    "cli.report.column.rel": {"pt": "erro rel", "en": "rel error"},
    "cli.report.column.ok": {"pt": "ok", "en": "ok"},
    "cli.report.pass": {"pt": "passa", "en": "pass"},
    "cli.report.fail": {"pt": "FALHA", "en": "FAIL"},
    "cli.report.hidden_failing": {"pt": "{count} delas falhando", "en": "{count} of them failing"},
    "cli.report.hidden_passing": {"pt": "todas passando", "en": "all passing"},
    "cli.report.more_rows": {
        "pt": "... mais {count} linhas ({status}); {hint}",
        "en": "... {count} more rows ({status}); {hint}",
    },
    "cli.compare.target": {"pt": "alvo", "en": "target"},
    "cli.compare.mean": {"pt": "média", "en": "mean"},
    "cli.nudge.up": {"pt": "subir", "en": "up"},
    "cli.nudge.down": {"pt": "descer", "en": "down"},
    "cli.nudge.flat": {"pt": "ficar parado", "en": "flat"},
    "cli.nudge.sentence": {
        "pt": "Subir {name} em {h} faz o loss {direction} cerca de {actual} "
        "(o gradiente previa {predicted}).",
        "en": "Moving {name} up by {h} makes the loss go {direction} by about {actual} "
        "(the gradient predicted {predicted}).",
    },
    "cli.nudge.sentence_flat": {
        "pt": "Subir {name} em {h} deixa o loss parado em primeira ordem: o gradiente é "
        "{gradient}, e o loss mudou de fato {signed}.",
        "en": "Moving {name} up by {h} leaves the loss flat to first order: the gradient is "
        "{gradient}, and the loss actually changed by {signed}.",
    },
    "cli.nudge.sentence_curved": {
        "pt": "Subir {name} em {h}: o gradiente prevê que o loss vai {direction} {predicted}, "
        "mas ele mudou de fato {signed}: neste passo a curvatura pesa mais que a inclinação; "
        "tente um h menor.",
        "en": "Moving {name} up by {h}: the gradient predicts the loss goes {direction} by "
        "{predicted}, but it actually changed by {signed}, so the curvature outweighs the slope "
        "over this step; try a smaller h.",
    },
    # demo
    "cli.demo.help": {
        "pt": "a aula inteira: dados, MLP, MSE contra cross-entropy, gradient checks, "
        "um empurrãozinho num peso, um grafo",
        "en": "the whole lesson: data, MLP, MSE vs cross-entropy, gradient checks, a nudge, "
        "a graph",
    },
    "cli.demo.description": {
        "pt": "Roda a aula de ponta a ponta num exemplo pequeno com semente. Termina com "
        "sucesso mesmo com a conferência de um lado só da aula errando 1e-5: explicar por quê "
        "é o objetivo.",
        "en": "Run the lesson end to end on a small seeded example. Succeeds even though "
        "the lesson's one-sided check misses 1e-5: explaining why is its point.",
    },
    "cli.demo.data.title": {
        "pt": '1. Os dados: pontos 2D com classes 0/1 (a aula: "pontos 2D sintéticos com classes '
        '0/1")',
        "en": '1. The data: 2D points with labels 0/1 ("pontos 2D sintéticos com classes 0/1")',
    },
    "cli.demo.data.count": {
        "pt": "{dataset}: {n} pontos, {zeros} da classe 0 e {ones} da classe 1",
        "en": "{dataset}: {n} points, {zeros} of class 0 and {ones} of class 1",
    },
    "cli.demo.data.point": {
        "pt": "  ponto {index}: ({x}, {y})  classe {label}",
        "en": "  point {index}: ({x}, {y})  label {label}",
    },
    "cli.demo.data.more": {"pt": "  ... mais {count}", "en": "  ... {count} more"},
    "cli.demo.model.title": {
        "pt": "2. O modelo: um MLP cuja saída é um logit z",
        "en": "2. The model: an MLP whose output is one logit z",
    },
    "cli.demo.model.text": {
        "pt": "{model}: {count} parâmetros; p = sigmoid(z) é a probabilidade da classe 1",
        "en": "{model}: {count} parameters; p = sigmoid(z) is the probability of class 1",
    },
    "cli.demo.losses.title": {
        "pt": '3. MSE e cross-entropy na mesma entrada: "Compare os valores para o mesmo input"',
        "en": '3. MSE and cross-entropy on the same input ("Compare os valores para o mesmo '
        'input")',
    },
    "cli.demo.losses.first_rows": {
        "pt": "(os primeiros {rows} de {n} exemplos; as médias usam todos; --rows mostra mais)",
        "en": "(first {rows} of {n} examples; the means use all; --rows shows more)",
    },
    "cli.demo.losses.text": {
        "pt": "O MSE compara p com y; a cross-entropy cobra -log da probabilidade dada à classe\n"
        "certa. Os gradientes em relação a z (as duas últimas colunas) diferem pelo fator\n"
        "2*sigmoid'(z), que some quando a saída satura: \"MSE para regressão, Cross-Entropy\n"
        'para classificação" (`tinygrad-edu race` mostra isso).',
        "en": "MSE compares p with y; cross-entropy charges -log of the probability given to "
        "the right\nclass. Their gradients w.r.t. z (the last two columns) differ by the factor\n"
        "2*sigmoid'(z), which vanishes when the output saturates: "
        '"MSE para regressão, Cross-Entropy\npara classificação" (`tinygrad-edu race` shows it).',
    },
    "cli.demo.check.title": {
        "pt": "4. Gradient check (conferência do gradiente) da cross-entropy, h = {h}",
        "en": "4. Gradient check of the cross-entropy, h = {h}",
    },
    "cli.demo.check.text": {
        "pt": "A conferência da aula: mova um peso em +h, recalcule o loss e compare\n"
        "(loss_novo - loss_original) / h com a derivada analítica (a diferença progressiva);\n"
        '"A diferença deve ser < {tolerance}".',
        "en": "The lesson's check: move one weight by +h, recompute the loss, and compare\n"
        "(loss_new - loss_old) / h with the analytic derivative; "
        '"A diferença deve ser < {tolerance}".',
    },
    "cli.demo.check.more": {"pt": "--rows N mostra mais", "en": "--rows N shows more"},
    "cli.demo.verdict.title": {
        "pt": "Veredito contra {tolerance}:",
        "en": "Verdict against {tolerance}:",
    },
    "cli.demo.verdict.forward": {
        "pt": "  progressiva (forward, a da aula): {verdict}, {failures} de {count} pesos "
        "falham; pior {name}:\n    erro medido {measured}, previsto h/2*|f''| = {predicted}",
        "en": "  forward (the lesson's): {verdict}, {failures} of {count} weights fail; "
        "worst {name}:\n    measured error {measured}, predicted h/2*|f''| = {predicted}",
    },
    "cli.demo.verdict.central": {
        "pt": "  central: {verdict}, pior erro {error}",
        "en": "  central: {verdict}, worst error {error}",
    },
    "cli.demo.verdict.passes": {"pt": "passa", "en": "passes"},
    "cli.demo.verdict.misses": {"pt": "não atinge", "en": "misses"},
    "cli.demo.verdict.fails": {"pt": "FALHA", "en": "FAILS"},
    "cli.demo.reason.central_fails": {
        "pt": "A diferença central também falha: h pode ser grande ou pequeno demais para estes\n"
        "pesos (tente --h 1e-4), ou uma regra de derivada está errada (tinygrad-edu "
        "check-rules).",
        "en": "The central difference fails too: h may be too large or too small for these\n"
        "weights (try --h 1e-4), or a derivative rule is wrong (tinygrad-edu check-rules).",
    },
    "cli.demo.reason.both_pass": {
        "pt": "As duas passam aqui: com este h o termo de curvatura h/2*|f''| fica abaixo da "
        "tolerância.",
        "en": "Both pass here: with this h the curvature term h/2*|f''| stays under the "
        "tolerance.",
    },
    "cli.demo.reason.curvature": {
        "pt": "O gradiente analítico está certo: a diferença progressiva mede também a "
        "curvatura,\nque a diferença central cancela.",
        "en": "The analytic gradient is right: the forward difference also measures the "
        "curvature,\nwhich the central difference cancels.",
    },
    "cli.demo.reason.rounding": {
        "pt": "Com h = {h}, tão pequeno, o erro que sobra já não é a curvatura: é o "
        "arredondamento\ndo ponto flutuante, cerca de 1e-16*|loss|/h, que cresce quando h "
        "diminui, nas duas\ndiferenças (tente --h 1e-3).",
        "en": "With h = {h}, this small, the error left is no longer curvature: it is "
        "floating-point\nrounding, about 1e-16*|loss|/h, which grows as h shrinks, in both "
        "differences\n(try --h 1e-3).",
    },
    "cli.demo.nudge.title": {
        "pt": '5. "Se eu mexer nesse peso um pouquinho pra cima, o loss sobe ou desce?"',
        "en": '5. "Se eu mexer nesse peso um pouquinho pra cima, o loss sobe ou desce?"',
    },
    "cli.demo.nudge.text": {
        "pt": "O peso de maior inclinação é {name}:",
        "en": "If I move this weight up a little, does the loss go up or down?\n"
        "The weight with the steepest slope is {name}:",
    },
    "cli.demo.graph.title": {
        "pt": "6. O grafo de computação do loss de um exemplo",
        "en": "6. The computation graph of one example's loss",
    },
    "cli.demo.graph.text": {
        "pt": "a cross-entropy do ponto 0 (classe {label}) com cada gradiente d(loss)/d(valor):\n"
        "  {path}\n"
        "x0, x1 são as coordenadas do ponto, hL.j a saída do neurônio j da camada escondida L,\n"
        "z o logit e n o número de exemplos (aqui 1); pesos e vieses levam os nomes das\n"
        "tabelas acima. O nó 'dot' é a soma ponderada do neurônio, w0*x0 + w1*x1 + ... + b.\n"
        "Vermelho: aumentar aquele valor aumenta o loss; azul: diminui.",
        "en": "the cross-entropy of point 0 (label {label}) with every gradient "
        "d(loss)/d(value):\n  {path}\n"
        "x0, x1 are the point's coordinates, hL.j the output of neuron j of hidden layer L,\n"
        "z the logit and n the number of examples (here 1); weights and biases carry the names\n"
        "of the tables above. The 'dot' node is a neuron's weighted sum, w0*x0 + w1*x1 + ... + b.\n"
        "Red: increasing that value raises the loss; blue: lowers it.",
    },
    # graph
    "cli.graph.help": {
        "pt": "monta uma expressão com Values, mostra os gradientes e desenha o grafo",
        "en": "build an expression from Values, print its gradients and draw its graph",
    },
    "cli.graph.description": {
        "pt": "Lê EXPRESSION (números, variáveis, + - * / ** e {functions}), roda o backward e "
        "desenha o grafo. Exemplo: tinygrad-edu graph 'tanh(w*x + b)' --var w=-3 --var x=2 "
        "--var b=6.88 --param w --legend. Uma expressão que começa com '-' vai depois de --, "
        "como em tinygrad-edu graph --var x=2 -- '-x*3'.",
        "en": "Parse EXPRESSION (numbers, variables, + - * / **, and {functions}), run backward "
        "and render the graph. Example: tinygrad-edu graph 'tanh(w*x + b)' --var w=-3 "
        "--var x=2 --var b=6.88 --param w --legend. An expression that starts with '-' goes "
        "after --, e.g. tinygrad-edu graph --var x=2 -- '-x*3'.",
    },
    "cli.graph.expression": {"pt": "por exemplo 'tanh(w*x + b)'", "en": "e.g. 'tanh(w*x + b)'"},
    "cli.graph.twice": {
        "pt": "--var {name}= aparece duas vezes; dê cada variável uma vez",
        "en": "--var {name}= is given twice; give each variable once",
    },
    "cli.graph.unknown_param": {
        "pt": "--param {name}: não há variável {name}; dê o valor dela com --var {name}=1.0",
        "en": "--param {name}: there is no variable {name}; give its value with --var {name}=1.0",
    },
    "cli.graph.too_big": {
        "pt": "{expression} dá um grafo de {size} valores, mais que os {limit} que uma figura "
        "legível comporta; desenhe uma expressão menor",
        "en": "{expression} makes a graph of {size} values, more than the {limit} a readable "
        "picture holds; draw a shorter expression",
    },
    "cli.graph.written": {"pt": "grafo: {path}", "en": "graph: {path}"},
    "cli.expression.cannot_parse": {
        "pt": "não consegui ler {expression}: {detail}; permitido: números, variáveis, "
        "+ - * / ** - unário, parênteses e exp, log, tanh, sigmoid, relu, softplus, sqrt, abs",
        "en": "cannot parse {expression}: {detail}; allowed: numbers, variables, "
        "+ - * / ** unary -, parentheses and exp, log, tanh, sigmoid, relu, softplus, sqrt, abs",
    },
    "cli.expression.no_value": {
        "pt": "falta o valor de {names}; dê um com {hint}",
        "en": "no value for {names}; give one with {hint}",
    },
    "cli.expression.too_deep": {
        "pt": "{expression} tem parênteses aninhados demais para montar (no máximo algumas "
        "centenas de níveis)",
        "en": "{expression} is nested too deeply to build (at most a few hundred levels)",
    },
    "cli.expression.no_variable": {
        "pt": "{expression} não usa nenhuma variável, então não tem gradiente; "
        "por exemplo 'x * 2' --var x=1",
        "en": "{expression} uses no variable, so it has no gradient; e.g. 'x * 2' --var x=1",
    },
    "cli.expression.not_a_number": {
        "pt": "{word} não é um número; use 1 ou 0",
        "en": "{word} is not a number; use 1 or 0",
    },
    "cli.expression.too_large": {
        "pt": "o número {number} no caractere {position} é grande demais (no máximo cerca de "
        "1.8e308)",
        "en": "the number {number} at character {position} is too large (at most about 1.8e308)",
    },
    "cli.expression.not_finite": {
        "pt": "{part} no caractere {position} não é um número finito (no máximo cerca de 1.8e308)",
        "en": "{part} at character {position} is not a finite number (at most about 1.8e308)",
    },
    "cli.expression.overflow": {
        "pt": "{part} no caractere {position} estoura: o resultado é grande demais para um float "
        "(no máximo cerca de 1.8e308)",
        "en": "{part} at character {position} overflows: the result is too large for a float "
        "(at most about 1.8e308)",
    },
    "cli.expression.division_by_zero": {
        "pt": "{part} no caractere {position} divide por zero",
        "en": "{part} at character {position} divides by zero",
    },
    "cli.expression.too_long": {
        "pt": "a expressão tem {length} caracteres, mais que os {limit} permitidos; "
        "escreva uma mais curta",
        "en": "the expression has {length} characters, more than the {limit} allowed; "
        "write a shorter one",
    },
    "cli.expression.not_text": {
        "pt": "{expression} contém {code} no caractere {position}, que não é texto UTF-8; "
        "digite a expressão de novo",
        "en": "{expression} contains {code} at character {position}, which is not UTF-8 text; "
        "type the expression again",
    },
    "cli.expression.too_many_digits": {
        "pt": "{expression} tem um número com dígitos demais; escreva-o como, por exemplo, 1e30",
        "en": "{expression} has a number with too many digits; write it as, e.g., 1e30",
    },
    "cli.expression.function_as_variable": {
        "pt": "{function} é uma função, não uma variável; chame-a como {call}",
        "en": "{function} is a function, not a variable; call it as {call}",
    },
    "cli.expression.same_name": {
        "pt": "{names} são o mesmo nome para o Python ({name}); dê um só valor",
        "en": "{names} are the same name to Python ({name}); give it one value",
    },
    "cli.expression.not_real": {
        "pt": "{part} não é um número real",
        "en": "{part} is not a real number",
    },
    "cli.expression.unknown_function": {
        "pt": "função desconhecida {function}; permitidas: {allowed}",
        "en": "unknown function {function}; allowed: {allowed}",
    },
    "cli.expression.one_argument": {
        "pt": "{function}() recebe exatamente um argumento, como {function}(x)",
        "en": "{function}() takes exactly one argument, e.g. {function}(x)",
    },
    "cli.expression.unsupported": {
        "pt": "sintaxe não suportada {part}; permitido: números, variáveis, + - * / ** - unário, "
        "parênteses e exp, log, tanh, sigmoid, relu, softplus, sqrt, abs",
        "en": "unsupported syntax {part}; allowed: numbers, variables, + - * / ** unary -, "
        "parentheses and exp, log, tanh, sigmoid, relu, softplus, sqrt, abs",
    },
    # race
    "cli.race.help": {
        "pt": "MSE contra cross-entropy partindo de uma rede confiante e errada "
        "(a ideia central da aula)",
        "en": "MSE vs cross-entropy from a confidently wrong start (the lesson's key insight)",
    },
    "cli.race.description": {
        "pt": "Ajusta um MLP com semente e saída sigmoid, inverte a camada de saída para que ele "
        "fique confiante e errado (|z| médio = --flip), e treina duas cópias, uma com MSE e "
        "uma com cross-entropy.",
        "en": "Fit a seeded MLP with a sigmoid output, flip its output layer so it is "
        "confidently wrong (mean |z| = --flip), then train two copies, one with MSE and one "
        "with cross-entropy.",
    },
    "cli.race.start": {
        "pt": "{model}, saída sigmoid, {dataset} n={n}, SGD lr={lr}, as duas corridas com os "
        "mesmos pesos:\nacurácia {accuracy}, sigmoid'(z) médio = {slope} (no máximo 0.25; "
        "perto de 0 = saturado)",
        "en": "{model}, sigmoid output, {dataset} n={n}, SGD lr={lr}, both runs from the same "
        "weights:\naccuracy {accuracy}, mean sigmoid'(z) = {slope} (0.25 at most; "
        "near 0 = saturated)",
    },
    "cli.race.epoch": {"pt": "época", "en": "epoch"},
    "cli.race.accuracy": {"pt": "acur", "en": "acc"},
    "cli.race.reached": {
        "pt": "acurácia >= {target} {when}",
        "en": "accuracy >= {target} {when}",
    },
    "cli.race.at_epoch": {"pt": "na época {epoch}", "en": "at epoch {epoch}"},
    "cli.race.not_within": {
        "pt": "não em {epochs} épocas",
        "en": "not within {epochs} epochs",
    },
    "cli.race.ce_only": {
        "pt": "a cross-entropy saiu da região saturada em {ce} épocas; o MSE não tinha saído "
        "depois de {epochs}.",
        "en": "cross-entropy left the saturated region within {ce} epochs; MSE had not after "
        "{epochs}.",
    },
    "cli.race.ce_sooner": {
        "pt": "a cross-entropy saiu da região saturada {count} épocas antes.",
        "en": "cross-entropy left the saturated region {count} epochs sooner.",
    },
    "cli.race.explanation": {
        "pt": "O gradiente do MSE carrega sigmoid'(z), perto de 0 quando o sigmoid satura, então "
        "ele se arrasta\npara sair de um erro confiante; o da cross-entropy é p - y, grande "
        "justamente aí:\n\"O termo sigma'(z) nos gradientes do MSE causa aprendizado lento quando "
        'neurônios saturam."',
        "en": "MSE's gradient carries sigmoid'(z), near 0 when the sigmoid saturates, so it "
        "crawls\nout of a confident mistake; cross-entropy's gradient is p - y, large exactly "
        "there:\n\"O termo sigma'(z) nos gradientes do MSE causa aprendizado lento quando "
        'neurônios saturam."',
    },
    "cli.race.written": {"pt": "curvas: {path}", "en": "curves: {path}"},
    # gradcheck
    "cli.gradcheck.help": {
        "pt": "compara a derivada de cada peso com uma diferença finita",
        "en": "compare every weight's derivative with a finite difference",
    },
    "cli.gradcheck.description": {
        "pt": "Confere o gradiente analítico do loss de um MLP com semente contra diferenças "
        "finitas. Sai com 1 quando um peso fica fora de atol + rtol*|numérica|. A conferência "
        "da aula é --method forward --atol 1e-5 --rtol 0 (a diferença progressiva).",
        "en": "Check the analytic gradient of a seeded MLP's loss against finite "
        "differences. Exit 1 when a weight is outside atol + rtol*|numeric|. The lesson's "
        "check is --method forward --atol 1e-5 --rtol 0.",
    },
    "cli.gradcheck.title": {
        "pt": "{model} em {dataset} (n={n}), loss {loss}",
        "en": "{model} on {dataset} (n={n}), loss {loss}",
    },
    "cli.gradcheck.more": {"pt": "--all mostra todas", "en": "--all shows all"},
    # landscape
    "cli.landscape.help": {
        "pt": "o loss sobre dois pesos, o gradiente negativo como seta, passos de SGD",
        "en": "the loss over two weights, the negative gradient as an arrow, SGD steps",
    },
    "cli.landscape.description": {
        "pt": "O gradiente como direção: curvas de nível do loss sobre dois pesos escolhidos "
        "(os outros fixos), o gradiente negativo no ponto atual e alguns passos de SGD. Sai com "
        "1 se a seta discordar da direção dada por diferenças finitas.",
        "en": "The gradient as a direction ('gradiente como direção'): contour lines of the "
        "loss over two chosen weights (the others fixed), the negative gradient at the "
        "current point, and a few SGD steps. Exit 1 if the arrow disagrees with the direction "
        "finite differences give.",
    },
    "cli.landscape.same": {
        "pt": "--weights precisa de dois nomes diferentes, recebi {name} duas vezes",
        "en": "--weights needs two different names, got {name} twice",
    },
    "cli.landscape.no_weight": {
        "pt": "não há peso chamado {name} nesta rede; os nomes são como {shown}, ..., {last} "
        "(`tinygrad-edu gradcheck --all` lista todos)",
        "en": "no weight named {name} in this network; names look like {shown}, ..., {last} "
        "(`tinygrad-edu gradcheck --all` lists every name)",
    },
    "cli.landscape.title": {
        "pt": "{model} em {dataset} (n={n}), loss {loss} = {value}",
        "en": "{model} on {dataset} (n={n}), loss {loss} = {value}",
    },
    "cli.landscape.weights": {
        "pt": "a = {a_name} = {a}, b = {b_name} = {b} (os outros pesos ficam fixos)",
        "en": "a = {a_name} = {a}, b = {b_name} = {b} (the other weights stay fixed)",
    },
    "cli.landscape.gradient": {
        "pt": "gradiente (dL/da, dL/db) = ({a}, {b})",
        "en": "gradient (dL/da, dL/db) = ({a}, {b})",
    },
    "cli.landscape.flat": {
        "pt": "o loss é plano aqui em a e b, então não há direção a seguir; "
        "tente --weights com outros dois",
        "en": "the loss is flat here in a and b, so there is no direction to follow; "
        "try --weights with two others",
    },
    "cli.landscape.arrow": {
        "pt": "a seta, o gradiente negativo, aponta ao longo de ({a}, {b}):",
        "en": "the arrow, the negative gradient, points along ({a}, {b}):",
    },
    "cli.landscape.fastest": {
        "pt": "para baixar o loss mais rápido, {words}",
        "en": "to lower the loss fastest, {words}",
    },
    "cli.landscape.and": {"pt": " e ", "en": " and "},
    "cli.landscape.increase": {"pt": "aumente {name}", "en": "increase {name}"},
    "cli.landscape.decrease": {"pt": "diminua {name}", "en": "decrease {name}"},
    "cli.landscape.leave": {
        "pt": "deixe {name} mais ou menos onde está",
        "en": "leave {name} about where it is",
    },
    "cli.landscape.numeric": {
        "pt": "diferenças finitas apontam ao longo de ({a}, {b}); cosseno com a seta = "
        "{cosine}\n  (concordam quando o cosseno é >= {least})",
        "en": "finite differences point along ({a}, {b}); cosine with the arrow = {cosine}\n"
        "  (they agree when the cosine is >= {least})",
    },
    "cli.landscape.steps": {
        "pt": "{steps} passos de SGD em a e b (lr {lr}): loss {start} -> {end}{change}",
        "en": "{steps} SGD steps on a and b (lr {lr}): loss {start} -> {end}{change}",
    },
    "cli.landscape.written": {"pt": "figura: {path}", "en": "picture: {path}"},
    "cli.landscape.disagree": {
        "pt": "conferência FALHOU: a seta e a direção das diferenças finitas discordam "
        "(cosseno {cosine} < {least})",
        "en": "check FAILED: the arrow and the finite-difference direction disagree "
        "(cosine {cosine} < {least})",
    },
    # check-rules
    "cli.rules.help": {
        "pt": "testa por propriedades cada regra de derivada embutida (precisa do hypothesis)",
        "en": "property-test every built-in derivative rule (needs hypothesis)",
    },
    "cli.rules.description": {
        "pt": "Para entradas aleatórias no domínio de cada op, compara o modo reverso com uma "
        "diferença central. Sai com 1 quando alguma regra falha.",
        "en": "For random inputs in each op's domain, compare reverse mode with a "
        "central difference. Exit 1 when any rule fails.",
    },
    "cli.rules.no_hypothesis": {
        "pt": "check-rules precisa do hypothesis, o extra opcional 'testing': "
        "pip install 'tinygrad_edu[testing]' ({error})",
        "en": "check-rules needs hypothesis, the optional extra 'testing': "
        "pip install 'tinygrad_edu[testing]' ({error})",
    },
    "cli.rules.column.op": {"pt": "op", "en": "op"},
    "cli.rules.column.examples": {"pt": "exemplos", "en": "examples"},
    "cli.rules.column.max_abs_error": {"pt": "máx erro abs", "en": "max abs error"},
    "cli.rules.column.max_rel_error": {"pt": "máx erro rel", "en": "max rel error"},
    "cli.rules.column.error_allowed": {"pt": "erro/permitido", "en": "error/allowed"},
    "cli.rules.column.result": {"pt": "resultado", "en": "result"},
    "cli.rules.passed": {
        "pt": "todas as {count} regras passaram",
        "en": "all {count} rules passed",
    },
    "cli.rules.failed": {
        "pt": "{failed} de {count} regras FALHARAM",
        "en": "{failed} of {count} rules FAILED",
    },
    # explore
    "cli.explore.help": {
        "pt": "abre o explorador interativo da aula no navegador (só em 127.0.0.1)",
        "en": "open the lesson's interactive explorer in a browser (127.0.0.1 only)",
    },
    "cli.explore.description": {
        "pt": "Serve o explorador em http://127.0.0.1:PORTA/ até o Ctrl-C: escolha um peso, "
        "mova-o e veja as duas losses, o gradiente e as diferenças finitas. A primeira linha "
        "é o endereço da página. As opções de dados e rede são as do demo.",
        "en": "Serve the explorer on http://127.0.0.1:PORT/ until Ctrl-C: pick a weight, move "
        "it and watch both losses, the gradient and the finite differences. The first line "
        "is the page's address. The data and network options are the demo's.",
    },
    "cli.explore.option.port": {
        "pt": "a porta em 127.0.0.1 (padrão: 0, uma porta livre)",
        "en": "the port on 127.0.0.1 (default: 0, a free one)",
    },
    "cli.explore.option.no_browser": {
        "pt": "não abre o navegador; só imprime o endereço",
        "en": "do not open a browser; only print the address",
    },
    "cli.advice.explore": {
        "pt": "confira as opções de dados e rede",
        "en": "check the data and network options",
    },
    "cli.type.port": {
        "pt": "esperava uma porta de 0 a 65535 (0 escolhe uma livre), recebi {given!r}",
        "en": "expected a port from 0 to 65535 (0 picks a free one), got {given!r}",
    },
    # torch
    "cli.torch.help": {
        "pt": "confere losses e gradientes do demo contra o PyTorch (precisa do torch)",
        "en": "check the demo's losses and gradients against PyTorch (needs torch)",
    },
    "cli.torch.description": {
        "pt": "Monta a mesma rede e os mesmos dados do demo no PyTorch e compara, para cada "
        "loss, o valor, cada gradiente e um passo de SGD, dentro do limite de arredondamento "
        "de cada número. Sai com 1 quando algum número discorda.",
        "en": "Build the demo's network and data again in PyTorch and compare, for each loss, "
        "its value, every gradient and one SGD step, within each number's rounding bound. "
        "Exit 1 when any number disagrees.",
    },
    "cli.torch.missing": {
        "pt": "torch precisa do PyTorch, o extra opcional 'torch': "
        "pip install 'tinygrad_edu[torch]'",
        "en": "torch needs PyTorch, the optional extra 'torch': pip install 'tinygrad_edu[torch]'",
    },
    "cli.torch.passed": {
        "pt": "as {count} comparações concordam com o PyTorch",
        "en": "all {count} comparisons agree with PyTorch",
    },
    "cli.torch.failed": {
        "pt": "{failed} de {count} comparações DISCORDAM do PyTorch",
        "en": "{failed} of {count} comparisons DISAGREE with PyTorch",
    },
    "cli.advice.torch": {
        "pt": "confira as opções de dados e rede",
        "en": "check the data and network options",
    },
    # code
    "cli.code.help": {
        "pt": "mostra o forward e o backward de uma expressão como código Python",
        "en": "show an expression's forward and backward pass as Python code",
    },
    "cli.code.description": {
        "pt": "Lê EXPRESSION como o graph (números, variáveis, + - * / ** e {functions}, com "
        "--var NOME=VALOR) e imprime o código em linha reta que o compile_graph gera: o "
        "forward de cima para baixo, o backward de baixo para cima. Sem EXPRESSION, o "
        "neurônio da aula.",
        "en": "Parse EXPRESSION as graph does (numbers, variables, + - * / **, and "
        "{functions}, with --var NAME=VALUE) and print the straight-line code compile_graph "
        "generates: the forward pass top-down, the backward pass bottom-up. Without "
        "EXPRESSION, the lesson's neuron.",
    },
    "cli.code.expression": {
        "pt": "por exemplo 'tanh(w*x + b)' (padrão: o neurônio da aula)",
        "en": "e.g. 'tanh(w*x + b)' (default: the lesson's neuron)",
    },
    "cli.code.var_without_expression": {
        "pt": "--var precisa de uma EXPRESSION; sem ela o código é o do neurônio da aula",
        "en": "--var needs an EXPRESSION; without one the code is the lesson's neuron",
    },
    "cli.advice.code": {
        "pt": "confira a expressão",
        "en": "check the expression",
    },
    # --- pictures --------------------------------------------------------------
    "plot.epoch": {"pt": "época", "en": "epoch"},
    "plot.race.title": {
        "pt": "o mesmo início confiante e errado, treinado com MSE e com cross-entropy",
        "en": "the same confidently wrong start, trained with MSE and with cross-entropy",
    },
    "plot.race.loss_title": {
        "pt": "{loss} (cada loss na sua escala)",
        "en": "{loss} (each loss on its own scale)",
    },
    "plot.race.accuracy": {"pt": "acurácia", "en": "accuracy"},
    "plot.race.target": {"pt": "meta {target}", "en": "target {target}"},
    "plot.gradient.title": {
        "pt": "por quê: |dL/dz| de um exemplo\n(o do MSE some quando o sigmoid satura)",
        "en": "why: one example's |dL/dz|\n(MSE's vanishes as the sigmoid saturates)",
    },
    "plot.gradient.x": {"pt": "logit z", "en": "logit z"},
    "plot.gradient.y": {"pt": "|dL/dz|", "en": "|dL/dz|"},
    "plot.gradient.line": {"pt": "{loss}, classe {label}", "en": "{loss}, label {label}"},
    "plot.landscape.title": {
        "pt": "loss {loss} sobre dois pesos (os outros fixos)",
        "en": "{loss} loss over two weights (the others fixed)",
    },
    "plot.landscape.steps": {"pt": "{steps} passos de SGD", "en": "{steps} SGD steps"},
    "plot.landscape.start": {"pt": "início", "en": "start"},
    "plot.landscape.arrow": {
        "pt": "-gradiente (descida mais íngreme)",
        "en": "-gradient (steepest descent)",
    },
    "graph.not_computed": {
        "pt": "gradientes ainda não calculados: chame .backward() na saída",
        "en": "gradients not computed yet: call .backward() on the output",
    },
    "graph.legend.title": {
        "pt": "como ler este grafo:  grad = d(saída) / d(este valor), "
        "quanto a saída se move quando este valor aumenta",
        "en": "how to read this graph:  grad = d(output) / d(this value), "
        "how much the output moves when this value increases",
    },
    "graph.legend.parameter": {
        "pt": "parâmetro (peso ou viés, de params=)",
        "en": "parameter (weight or bias, from params=)",
    },
    "graph.legend.input": {"pt": "entrada ou constante", "en": "input or constant"},
    "graph.legend.computed": {
        "pt": "valor calculado (o resultado de uma op)",
        "en": "computed value (the result of an op)",
    },
    "graph.legend.op": {"pt": "op (+, *, tanh, ...)", "en": "op (+, *, tanh, ...)"},
    "graph.legend.no_gradients": {
        "pt": "ainda sem gradientes: todo valor fica branco até o .backward() rodar",
        "en": "no gradients yet: every value stays white until .backward() runs",
    },
    "graph.legend.scale": {
        "pt": "cor mais forte = maior |grad| aqui ({strongest}); mais clara = menor",
        "en": "strongest colour = largest |grad| here ({strongest}); paler = smaller",
    },
    "graph.legend.raises": {
        "pt": "grad &gt; 0: aumentar este valor aumenta a saída",
        "en": "grad &gt; 0: increasing this value raises the output",
    },
    "graph.legend.lowers": {
        "pt": "grad &lt; 0: aumentar este valor diminui a saída",
        "en": "grad &lt; 0: increasing this value lowers the output",
    },
    "graph.legend.no_effect": {
        "pt": "grad = 0: nenhum efeito na saída",
        "en": "grad = 0: no effect on the output",
    },
    # --- reports shown in notebooks --------------------------------------------
    "report.rules_op": {"pt": "operação", "en": "op"},
    "report.rules_examples": {"pt": "exemplos", "en": "examples"},
    "report.rules_max_abs_error": {"pt": "maior erro absoluto", "en": "max abs error"},
    "report.rules_max_rel_error": {"pt": "maior erro relativo", "en": "max rel error"},
    "report.rules_worst_ratio": {"pt": "erro/permitido", "en": "error/allowed"},
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
    "code.header": {
        "pt": "Backprop como código: leia o forward de cima para baixo e o backward "
        "de baixo para cima.",
        "en": "Backprop as code: read the forward pass top-down and the backward pass bottom-up.",
    },
    "code.sizes": {
        "pt": "folhas: {leaves}; nós calculados: {nodes}; arestas: {edges} (uma linha de "
        "regra da cadeia por aresta)",
        "en": "leaves: {leaves}; computed nodes: {nodes}; edges: {edges} (one chain-rule "
        "line per edge)",
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
    "code.seed": {
        "pt": "d {output}/d {output} = 1: o ponto de partida",
        "en": "d {output}/d {output} = 1: where it starts",
    },
    "code.leaf_seed": {
        "pt": "a saída é uma folha: backward() soma 1 ao seu grad",
        "en": "the output is a leaf: backward() adds 1 to its grad",
    },
    "code.backward": {
        "pt": "regra da cadeia, os pais antes dos filhos: o grad de cada nó é a soma, sobre "
        "os nós que o usam, de pai.grad * derivada local (uma linha por aresta)",
        "en": "the chain rule, parents before children: each node's grad is the sum, over "
        "the nodes that use it, of parent.grad * local derivative (one line per edge)",
    },
    "code.sum_start": {
        "pt": "{node}.grad começa em 0.0, como backward() o zera",
        "en": "{node}.grad starts at 0.0, as backward() resets it",
    },
    "code.sum_goes_on": {
        "pt": "{node}.grad continua do que já tinha (+=)",
        "en": "{node}.grad goes on from what it held (+=)",
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
    # The page (tinygrad_edu/explore/static) asks for every "explore." entry
    # through /api/messages and fills {placeholders} itself; the server fills
    # those of the errors and of the command's lines.
    "explore.title": {
        "pt": "Explorador: loss e derivadas",
        "en": "Explorer: loss and derivatives",
    },
    "explore.subtitle": {
        "pt": "Mexa num peso da rede e veja o loss, a derivada do backward() e a diferença "
        "finita da aula, tudo calculado pelo tinygrad_edu em Python.",
        "en": "Move one weight of the network and watch the loss, the derivative from "
        "backward() and the lesson's finite difference, all computed by tinygrad_edu in Python.",
    },
    "explore.share": {"pt": "Copiar link", "en": "Copy link"},
    "explore.shared": {"pt": "Link copiado", "en": "Link copied"},
    "explore.share_failed": {
        "pt": "Copie o endereço da barra do navegador",
        "en": "Copy the address from the browser's bar",
    },
    "explore.lang.switch": {"pt": "English", "en": "português"},
    "explore.lang.label": {"pt": "Mudar para inglês", "en": "Switch to Portuguese"},
    "explore.footer": {
        "pt": "Todos os números desta página são calculados pelo motor do tinygrad_edu, em "
        "Python, neste computador; nada sai dele.",
        "en": "Every number on this page is computed by tinygrad_edu's engine, in Python, on "
        "this computer; nothing leaves it.",
    },
    # the setup
    "explore.setup.title": {"pt": "Dados e rede", "en": "Data and network"},
    "explore.setup.dataset": {"pt": "pontos", "en": "points"},
    "explore.setup.n": {"pt": "quantos", "en": "how many"},
    "explore.setup.hidden": {
        "pt": "camadas ocultas (ex.: 4 ou 4,4)",
        "en": "hidden layers (e.g. 4 or 4,4)",
    },
    "explore.setup.activation": {"pt": "ativação", "en": "activation"},
    "explore.setup.seed": {"pt": "semente", "en": "seed"},
    "explore.setup.apply": {"pt": "Criar rede", "en": "Build network"},
    "explore.setup.summary": {
        "pt": "{model}: {parameters} parâmetros, {n} pontos.",
        "en": "{model}: {parameters} parameters, {n} points.",
    },
    "explore.dataset.moons": {"pt": "luas (moons)", "en": "moons"},
    "explore.dataset.blobs": {"pt": "manchas (blobs)", "en": "blobs"},
    "explore.dataset.circles": {"pt": "círculos (circles)", "en": "circles"},
    "explore.dataset.xor": {"pt": "xor", "en": "xor"},
    "explore.activation.tanh": {"pt": "tanh", "en": "tanh"},
    "explore.activation.relu": {"pt": "relu", "en": "relu"},
    "explore.activation.sigmoid": {"pt": "sigmoid", "en": "sigmoid"},
    "explore.activation.linear": {"pt": "linear (nenhuma)", "en": "linear (none)"},
    # 1. one weight
    "explore.weight.title": {
        "pt": "1. Um peso, o loss e a derivada",
        "en": "1. One weight, the loss and its derivative",
    },
    "explore.weight.hint": {
        "pt": "Escolha um peso e mova o controle: os dois losses e a derivada dL/dw, calculada "
        "pelo backward(), mudam na hora. A curva é o loss ao longo de todo o controle, com os "
        "outros pesos parados; a reta tangente tem inclinação igual ao gradiente.",
        "en": "Choose a weight and move the slider: both losses and the derivative dL/dw, "
        "computed by backward(), follow at once. The curve is the loss over the whole slider, "
        "the other weights held still; the tangent's slope is the gradient.",
    },
    "explore.weight.select": {"pt": "peso", "en": "weight"},
    "explore.weight.role_w": {
        "pt": "peso de {input} no neurônio {neuron}",
        "en": "weight of {input} in neuron {neuron}",
    },
    "explore.weight.role_b": {"pt": "viés do neurônio {neuron}", "en": "bias of neuron {neuron}"},
    "explore.loss.select": {"pt": "loss do gradiente", "en": "loss of the gradient"},
    "explore.loss.mse": {"pt": "MSE", "en": "MSE"},
    "explore.loss.ce": {
        "pt": "cross-entropy (entropia cruzada)",
        "en": "cross-entropy",
    },
    "explore.gradient": {
        "pt": "dL/dw pelo backward()",
        "en": "dL/dw from backward()",
    },
    "explore.reading.up": {
        "pt": "O gradiente é positivo: aumentar {name} aumenta o loss; para errar menos, "
        "diminua {name}.",
        "en": "The gradient is positive: increasing {name} raises the loss; to lower it, "
        "decrease {name}.",
    },
    "explore.reading.down": {
        "pt": "O gradiente é negativo: aumentar {name} diminui o loss; para errar menos, "
        "aumente {name}.",
        "en": "The gradient is negative: increasing {name} lowers the loss; to lower it, "
        "increase {name}.",
    },
    "explore.reading.flat": {
        "pt": "O gradiente é zero: mexer um pouco em {name} não muda o loss.",
        "en": "The gradient is zero: a small move of {name} does not change the loss.",
    },
    "explore.curve.loss": {
        "pt": "{loss} em função do peso (os outros parados)",
        "en": "{loss} as a function of the weight (the others still)",
    },
    "explore.curve.tangent": {
        "pt": "tangente: inclinação = gradiente",
        "en": "tangent: slope = gradient",
    },
    "explore.curve.forward": {
        "pt": "secante progressiva (w, w+h)",
        "en": "forward secant (w, w+h)",
    },
    "explore.curve.central": {
        "pt": "secante central (w-h, w+h)",
        "en": "central secant (w-h, w+h)",
    },
    # 2. the gradient check
    "explore.check.title": {
        "pt": "2. Gradient check (conferir o gradiente): a derivada pela definição",
        "en": "2. Gradient check: the derivative by its definition",
    },
    "explore.check.hint": {
        "pt": "Mova w por h e meça. A diferença progressiva, a da aula, erra cerca de "
        "h/2·|L''| (a curvatura, não um bug); a central erra cerca de h²/6·|L'''|. Com h "
        "pequeno demais, vence o arredondamento dos floats (cerca de ε·|L|/h).",
        "en": "Move w by h and measure. The forward difference, the lesson's, is off by about "
        "h/2·|L''| (the curvature, not a bug); the central one by about h²/6·|L'''|. With too "
        "small an h, the rounding of floats wins (about ε·|L|/h).",
    },
    "explore.check.h": {"pt": "passo h", "en": "step h"},
    "explore.check.method": {"pt": "diferença", "en": "difference"},
    "explore.check.estimate": {"pt": "estimativa de dL/dw", "en": "estimate of dL/dw"},
    "explore.check.error": {
        "pt": "erro (estimativa - gradiente)",
        "en": "error (estimate - gradient)",
    },
    "explore.check.predicted": {"pt": "erro previsto", "en": "predicted error"},
    "explore.check.forward": {"pt": "progressiva (a da aula)", "en": "forward (the lesson's)"},
    "explore.check.central": {"pt": "central", "en": "central"},
    "explore.check.verdict": {
        "pt": "Com h = {h}, a diferença progressiva erra {forward} ({forward_verdict} no "
        "critério da aula, < 1e-5) e a central erra {central} ({central_verdict}).",
        "en": "With h = {h} the forward difference is off by {forward} ({forward_verdict} the "
        "lesson's criterion, < 1e-5) and the central one by {central} ({central_verdict}).",
    },
    "explore.check.passes": {"pt": "passa", "en": "passes"},
    "explore.check.misses": {"pt": "não passa", "en": "misses"},
    "explore.errors.h": {"pt": "passo h", "en": "step h"},
    "explore.errors.error": {
        "pt": "|erro| contra o gradiente",
        "en": "|error| against the gradient",
    },
    "explore.errors.forward": {"pt": "progressiva, medida", "en": "forward, measured"},
    "explore.errors.central": {"pt": "central, medido", "en": "central, measured"},
    "explore.errors.predicted_forward": {
        "pt": "previsto h/2·|L''|",
        "en": "predicted h/2·|L''|",
    },
    "explore.errors.predicted_central": {
        "pt": "previsto h²/6·|L'''|",
        "en": "predicted h²/6·|L'''|",
    },
    "explore.errors.rounding": {
        "pt": "arredondamento ≈ ε·|L|/h",
        "en": "rounding ≈ ε·|L|/h",
    },
    "explore.errors.tolerance": {
        "pt": "1e-5, o critério da aula",
        "en": "1e-5, the lesson's criterion",
    },
    "explore.nudge.button": {"pt": "Subir o peso em h", "en": "Move the weight up by h"},
    "explore.nudge.word_up": {"pt": "sobe", "en": "up"},
    "explore.nudge.word_down": {"pt": "desce", "en": "down"},
    "explore.nudge.word_flat": {"pt": "fica igual", "en": "flat"},
    "explore.nudge.up": {
        "pt": "Subindo {name} em {h}, o loss sobe {actual}; o gradiente ({gradient}, positivo) "
        "previa +{predicted}. Depois o peso volta ao valor de antes.",
        "en": "Moving {name} up by {h} makes the loss go up by {actual}; the gradient "
        "({gradient}, positive) predicted +{predicted}. The weight is then put back.",
    },
    "explore.nudge.down": {
        "pt": "Subindo {name} em {h}, o loss desce {actual}; o gradiente ({gradient}, negativo) "
        "previa -{predicted}. Depois o peso volta ao valor de antes.",
        "en": "Moving {name} up by {h} makes the loss go down by {actual}; the gradient "
        "({gradient}, negative) predicted -{predicted}. The weight is then put back.",
    },
    "explore.nudge.flat": {
        "pt": "Subindo {name} em {h}, o loss fica igual em primeira ordem: o gradiente é "
        "{gradient}, e o loss mudou {actual_signed}.",
        "en": "Moving {name} up by {h} leaves the loss flat to first order: the gradient is "
        "{gradient}, and the loss changed by {actual_signed}.",
    },
    "explore.nudge.against": {
        "pt": "Subindo {name} em {h}, o gradiente diz que o loss {direction} {predicted}, mas "
        "ele mudou {actual_signed}: neste passo a curvatura vence a inclinação. Tente um h menor.",
        "en": "Moving {name} up by {h}: the gradient says the loss goes {direction} by "
        "{predicted}, but it changed by {actual_signed}: over this step the curvature outweighs "
        "the slope. Try a smaller h.",
    },
    # 3. the graph
    "explore.graph.title": {
        "pt": "3. O grafo de computação de um exemplo",
        "en": "3. The computation graph of one example",
    },
    "explore.graph.hint": {
        "pt": "Como o draw_dot desenha: cada caixa mostra o nome, o valor (data) e o grad = "
        "d loss / d valor; cada elipse é uma operação. Clique num peso para escolhê-lo.",
        "en": "As draw_dot draws it: each box shows the name, the value (data) and grad = "
        "d loss / d value; each ellipse is an operation. Click a weight to choose it.",
    },
    "explore.graph.example": {"pt": "exemplo", "en": "example"},
    "explore.graph.caption": {
        "pt": "Loss ({loss}) do exemplo {example}: o ponto ({x}, {y}), classe {label}. É o loss "
        "de um exemplo só: estes grads não são o gradiente acima, que é a média sobre os {n} "
        "pontos.",
        "en": "Loss ({loss}) of example {example}: the point ({x}, {y}), class {label}. It is "
        "the loss of one example only: these grads are not the gradient above, which averages "
        "over the {n} points.",
    },
    "explore.graph.too_big": {
        "pt": "O grafo de um exemplo tem {values} valores, mais do que os {limit} que um "
        "desenho legível comporta; escolha camadas ocultas menores para vê-lo.",
        "en": "The graph of one example has {values} values, more than the {limit} a readable "
        "picture holds; choose smaller hidden layers to see it.",
    },
    "explore.graph.positive": {
        "pt": "grad > 0: aumentar o valor aumenta o loss",
        "en": "grad > 0: increasing the value raises the loss",
    },
    "explore.graph.negative": {
        "pt": "grad < 0: aumentar o valor diminui o loss",
        "en": "grad < 0: increasing the value lowers the loss",
    },
    "explore.graph.parameter": {"pt": "peso ou viés", "en": "weight or bias"},
    "explore.graph.input": {"pt": "entrada ou constante", "en": "input or constant"},
    "explore.graph.selected": {"pt": "o peso escolhido", "en": "the chosen weight"},
    # 4. the points
    "explore.data.title": {
        "pt": "4. Os pontos e a fronteira de decisão",
        "en": "4. The points and the decision boundary",
    },
    "explore.data.hint": {
        "pt": "O fundo é p = sigmoid(z), a probabilidade que o modelo dá à classe 1; a linha é "
        "p = 0.5. O círculo preto marca o exemplo do grafo.",
        "en": "The background is p = sigmoid(z), the probability the model gives class 1; the "
        "line is p = 0.5. The black ring marks the graph's example.",
    },
    "explore.data.class0": {"pt": "classe 0", "en": "class 0"},
    "explore.data.class1": {"pt": "classe 1", "en": "class 1"},
    "explore.data.boundary": {"pt": "fronteira p = 0.5", "en": "boundary p = 0.5"},
    # 5. training
    "explore.train.title": {
        "pt": "5. Treinar: MSE contra cross-entropy",
        "en": "5. Training: MSE against cross-entropy",
    },
    "explore.train.hint": {
        "pt": "Gradiente descendente com todos os pontos a cada passo, em duas corridas que "
        "partem dos mesmos pesos: uma treina com MSE, a outra com cross-entropy. Os pesos "
        "mostrados acima são os da corrida do loss escolhido.",
        "en": "Gradient descent on all the points at each step, in two runs from the same "
        "weights: one trains with MSE, the other with cross-entropy. The weights shown above "
        "are those of the chosen loss's run.",
    },
    "explore.train.lr": {"pt": "taxa de aprendizado", "en": "learning rate"},
    "explore.train.step": {"pt": "Um passo", "en": "Step"},
    "explore.train.play": {"pt": "Treinar", "en": "Play"},
    "explore.train.pause": {"pt": "Pausar", "en": "Pause"},
    "explore.train.reset": {"pt": "Recomeçar", "en": "Reset"},
    "explore.train.note": {
        "pt": "Mover um peso à mão começa uma corrida nova a partir dos pesos mostrados; "
        "Recomeçar volta aos pesos iniciais da semente.",
        "en": "Moving a weight by hand starts a new race from the weights shown; Reset goes "
        "back to the seed's starting weights.",
    },
    "explore.train.steps": {"pt": "passos", "en": "steps"},
    "explore.train.loss": {"pt": "loss de treino", "en": "training loss"},
    "explore.train.accuracy": {"pt": "acerto", "en": "accuracy"},
    "explore.train.run_mse": {"pt": "corrida com MSE", "en": "run trained with MSE"},
    "explore.train.run_ce": {
        "pt": "corrida com cross-entropy",
        "en": "run trained with cross-entropy",
    },
    "explore.train.status": {
        "pt": "Passo {steps}. Corrida com MSE: loss {mse_loss}, acerto {mse_accuracy}. Corrida "
        "com cross-entropy: loss {ce_loss}, acerto {ce_accuracy}.",
        "en": "Step {steps}. MSE run: loss {mse_loss}, accuracy {mse_accuracy}. Cross-entropy "
        "run: loss {ce_loss}, accuracy {ce_accuracy}.",
    },
    "explore.train.running": {"pt": "Treinando…", "en": "Training…"},
    # errors the page shows (the server's answer to a bad request, in the page's language)
    "explore.error.not_object": {
        "pt": "{name} deve ser um objeto JSON, veio {given}",
        "en": "{name} must be a JSON object, got {given}",
    },
    "explore.error.missing": {"pt": "falta o parâmetro {name}", "en": "missing parameter {name}"},
    "explore.error.unknown": {
        "pt": "parâmetro desconhecido {name}; os conhecidos são: {known}",
        "en": "unknown parameter {name}; the known ones are: {known}",
    },
    "explore.error.not_integer": {
        "pt": "{name} deve ser um número inteiro, veio {given}",
        "en": "{name} must be a whole number, got {given}",
    },
    "explore.error.not_number": {
        "pt": "{name} deve ser um número finito, veio {given}",
        "en": "{name} must be a finite number, got {given}",
    },
    "explore.error.out_of_range": {
        "pt": "{name} deve estar entre {low} e {high}, veio {given}",
        "en": "{name} must be between {low} and {high}, got {given}",
    },
    "explore.error.not_choice": {
        "pt": "{name} deve ser um de: {choices}; veio {given}",
        "en": "{name} must be one of: {choices}; got {given}",
    },
    "explore.error.not_list": {
        "pt": "{name} deve ser uma lista de números, veio {given}",
        "en": "{name} must be a list of numbers, got {given}",
    },
    "explore.error.wrong_length": {
        "pt": "{name} deve ter {expected} números (um por parâmetro desta rede), veio {given}",
        "en": "{name} must hold {expected} numbers (one per parameter of this network), "
        "got {given}",
    },
    "explore.error.not_sizes": {
        "pt": "{name} deve ser uma lista de tamanhos de camada (inteiros), ex.: [4, 4]; "
        "veio {given}",
        "en": "{name} must be a list of layer sizes (whole numbers), e.g. [4, 4]; got {given}",
    },
    "explore.error.too_many_layers": {
        "pt": "{name}: no máximo {most} camadas ocultas, vieram {given}",
        "en": "{name}: at most {most} hidden layers, got {given}",
    },
    "explore.error.too_much_work": {
        "pt": "rede grande demais para o explorador: {n} pontos vezes {parameters} parâmetros = "
        "{work}, mais que {limit}; use menos pontos ou camadas ocultas menores",
        "en": "this network is too big for the explorer: {n} points times {parameters} "
        "parameters = {work}, more than {limit}; use fewer points or smaller hidden layers",
    },
    "explore.error.empty_range": {
        "pt": "o intervalo da curva está vazio: low = {low} não é menor que high = {high}",
        "en": "the curve's range is empty: low = {low} is not below high = {high}",
    },
    "explore.error.no_runs": {
        "pt": "runs não tem nenhuma corrida; dê os pesos de pelo menos uma de: {losses}",
        "en": "runs holds no run; give the weights of at least one of: {losses}",
    },
    "explore.error.computation": {
        "pt": "o motor não conseguiu calcular isto: {detail}",
        "en": "the engine could not compute this: {detail}",
    },
    "explore.error.diverged": {
        "pt": "o treino divergiu com taxa de aprendizado {lr}: os pesos explodiram; use uma taxa "
        "menor e clique em Recomeçar",
        "en": "training diverged with learning rate {lr}: the weights blew up; use a smaller "
        "rate and press Reset",
    },
    "explore.error.bad_address": {
        "pt": "o endereço tem um treino inválido (train=taxa x passos, ex.: train=0.5x30)",
        "en": "the address holds an invalid training (train=rate x steps, e.g. train=0.5x30)",
    },
    "explore.error.too_many_steps": {
        "pt": "no máximo {limit} passos de treino por página; clique em Recomeçar",
        "en": "at most {limit} training steps per page; press Reset",
    },
    "explore.error.bad_json": {
        "pt": "o corpo da requisição não é JSON válido: {detail}",
        "en": "the request body is not valid JSON: {detail}",
    },
    "explore.error.content_type": {
        "pt": "envie o corpo como application/json, veio {given}",
        "en": "send the body as application/json, got {given}",
    },
    "explore.error.no_length": {
        "pt": "a requisição precisa do cabeçalho Content-Length",
        "en": "the request needs a Content-Length header",
    },
    "explore.error.too_large": {
        "pt": "corpo grande demais: {size} bytes, o máximo é {limit}",
        "en": "the body is too large: {size} bytes, at most {limit}",
    },
    "explore.error.not_found": {
        "pt": "não existe {path} aqui",
        "en": "there is no {path} here",
    },
    "explore.error.method": {
        "pt": "{path} não aceita {method}",
        "en": "{path} does not accept {method}",
    },
    "explore.error.host": {
        "pt": "este servidor só atende a páginas dele mesmo (veio Host {host})",
        "en": "this server answers only its own pages (got Host {host})",
    },
    "explore.error.internal": {
        "pt": "erro interno do explorador ({detail}); recarregue a página",
        "en": "the explorer failed ({detail}); reload the page",
    },
    # the command's own lines
    "explore.cli.running": {
        "pt": "Explorador no ar; Ctrl-C para parar.",
        "en": "The explorer is running; press Ctrl-C to stop it.",
    },
    "explore.cli.stopped": {"pt": "Explorador parado.", "en": "The explorer has stopped."},
    "explore.cli.port_in_use": {
        "pt": "não dá para usar {host}:{port}: a porta já está em uso; escolha outra com "
        "--port, ou --port 0 para uma livre",
        "en": "cannot listen on {host}:{port}: the port is already in use; choose another with "
        "--port, or --port 0 for a free one",
    },
    "explore.cli.port_denied": {
        "pt": "não dá para usar {host}:{port}: sem permissão (portas abaixo de 1024 exigem "
        "administrador); escolha uma porta acima de 1024, ou --port 0 para uma livre",
        "en": "cannot listen on {host}:{port}: permission denied (ports below 1024 need "
        "administrator rights); choose a port above 1024, or --port 0 for a free one",
    },
}
