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
        "pt": "secante para frente (w, w+h)",
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
        "pt": "Mova w por h e meça. A diferença para frente, a da aula, erra cerca de "
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
    "explore.check.forward": {"pt": "para frente (a da aula)", "en": "forward (the lesson's)"},
    "explore.check.central": {"pt": "central", "en": "central"},
    "explore.check.verdict": {
        "pt": "Com h = {h}, a diferença para frente erra {forward} ({forward_verdict} no "
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
    "explore.errors.forward": {"pt": "para frente, medido", "en": "forward, measured"},
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
