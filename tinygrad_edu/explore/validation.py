"""What the explorer's API accepts: each parameter read, checked, bounded; imports messages only.

A request is a JSON object. `Reader` takes its fields one by one, each with its
type and allowed range, and refuses what is left over (a misspelt name is an
error, not silently ignored). A bad field raises `RequestError`, which carries a
message key of the catalog and its fields, so the server answers 400 with the
message in the page's language:

>>> reader = Reader({"h": 0.0})
>>> try:
...     reader.number("h", low=1e-12, high=10.0)
... except RequestError as error:
...     print(error.message("en"))
h must be between 1e-12 and 10, got 0.0

The limits below bound the work of one request: a model of at most
`MAX_HIDDEN_LAYERS` layers of `MAX_LAYER_SIZE` neurons, at most `MAX_WORK`
points x parameters, and caps on grid resolution, curve points and steps.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tinygrad_edu.messages import LANGUAGES, text

__all__ = [
    "ACTIVATIONS",
    "DATASETS",
    "LOSSES",
    "MAX_WORK",
    "Reader",
    "RequestError",
    "Setup",
    "read_setup",
]

DATASETS = ("moons", "blobs", "circles", "xor")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")
LOSSES = ("mse", "cross-entropy")
"""'mse' is the squared error of p = sigmoid(z); 'cross-entropy' is computed from the logit z."""

MIN_POINTS, MAX_POINTS = 2, 200
MAX_HIDDEN_LAYERS = 3
MAX_LAYER_SIZE = 16
MAX_NOISE = 2.0
MAX_SEED = 2**31 - 1
MAX_WORK = 10_000
"""Points x parameters: the cost of one forward pass over the data (the default is 12 x 17)."""
MAX_WEIGHT = 1e6
"""Largest |weight| accepted; a run that goes past it has diverged."""
MIN_H, MAX_H = 1e-12, 10.0
MIN_LR, MAX_LR = 1e-6, 100.0
MAX_STEPS = 50
"""Training steps per request: the page asks again to go on."""
MIN_RESOLUTION, MAX_RESOLUTION = 4, 64
MIN_CURVE_POINTS, MAX_CURVE_POINTS = 3, 201
MAX_RANGE = 1000.0
"""The largest |w| a loss curve may reach."""


class RequestError(Exception):
    """A request the API refuses: the catalog key of the message, its fields, and the HTTP status.

    `str()` is the English message (for logs); `message(lang)` the one the page shows.
    """

    def __init__(
        self, key: str, *, parameter: str | None = None, status: int = 400, **fields: object
    ) -> None:
        self.key = key
        self.parameter = parameter
        self.status = status
        self.fields = fields
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The message in `lang` (English when `lang` is not one of the catalog's languages)."""
        return text(self.key, lang if lang in LANGUAGES else "en", **self.fields)

    def as_json(self, lang: str) -> dict[str, Any]:
        """The body of the error response: {"error": {"message", "key", "parameter"}}."""
        return {
            "error": {"message": self.message(lang), "key": self.key, "parameter": self.parameter}
        }


def _shown(value: object) -> str:
    """A received value as the message shows it: short, and JSON-like."""
    shown = "null" if value is None else repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _number_text(number: float) -> str:
    return format(number, "g")


class Reader:
    """Reads the fields of one JSON object; `finish()` refuses any field not read.

    `prefix` names the object in messages (e.g. 'setup.' for the fields of setup).

    >>> reader = Reader({"n": 12, "loss": "mse"})
    >>> reader.integer("n", low=2, high=200), reader.choice("loss", ("mse", "cross-entropy"))
    (12, 'mse')
    >>> reader.finish()
    """

    def __init__(self, body: object, prefix: str = "") -> None:
        if not isinstance(body, dict):
            raise RequestError(
                "explore.error.not_object",
                parameter=prefix.rstrip(".") or None,
                name=prefix.rstrip(".") or "body",
                given=_shown(body),
            )
        self._body: dict[str, Any] = body
        self._prefix = prefix
        self._read: set[str] = set()

    def _take(self, name: str, default: object) -> object:
        self._read.add(name)
        if name in self._body:
            return self._body[name]
        if default is _REQUIRED:
            raise RequestError(
                "explore.error.missing", parameter=self._prefix + name, name=self._prefix + name
            )
        return default

    def has(self, name: str) -> bool:
        """Whether the object has this field (a later read of it still counts as reading)."""
        return name in self._body

    def integer(self, name: str, *, low: int, high: int, default: object = None) -> int:
        """A whole number in [low, high] (JSON integers only: 2.0 and true are refused)."""
        full = self._prefix + name
        value = self._take(name, _REQUIRED if default is None else default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise RequestError(
                "explore.error.not_integer", parameter=full, name=full, given=_shown(value)
            )
        if not low <= value <= high:
            raise RequestError(
                "explore.error.out_of_range",
                parameter=full,
                name=full,
                low=low,
                high=high,
                given=_shown(value),
            )
        return value

    def number(self, name: str, *, low: float, high: float, default: object = None) -> float:
        """A finite number in [low, high]."""
        full = self._prefix + name
        value = self._take(name, _REQUIRED if default is None else default)
        number = _finite(value, full)
        if not low <= number <= high:
            raise RequestError(
                "explore.error.out_of_range",
                parameter=full,
                name=full,
                low=_number_text(low),
                high=_number_text(high),
                given=_shown(value),
            )
        return number

    def optional_number(self, name: str, *, low: float, high: float) -> float | None:
        """A finite number in [low, high], or None when the field is absent or null."""
        if self._body.get(name) is None:
            self._read.add(name)
            return None
        return self.number(name, low=low, high=high)

    def choice(self, name: str, choices: Sequence[str], *, default: object = None) -> str:
        """One of `choices`."""
        full = self._prefix + name
        value = self._take(name, _REQUIRED if default is None else default)
        if not isinstance(value, str) or value not in choices:
            raise RequestError(
                "explore.error.not_choice",
                parameter=full,
                name=full,
                choices=", ".join(choices),
                given=_shown(value),
            )
        return value

    def numbers(self, name: str, *, length: int, bound: float) -> list[float]:
        """A list of exactly `length` finite numbers, each within [-bound, bound]."""
        full = self._prefix + name
        value = self._take(name, _REQUIRED)
        if not isinstance(value, list):
            raise RequestError(
                "explore.error.not_list", parameter=full, name=full, given=_shown(value)
            )
        if len(value) != length:
            raise RequestError(
                "explore.error.wrong_length",
                parameter=full,
                name=full,
                expected=length,
                given=len(value),
            )
        numbers = []
        for index, item in enumerate(value):
            number = _finite(item, f"{full}[{index}]")
            if abs(number) > bound:
                raise RequestError(
                    "explore.error.out_of_range",
                    parameter=full,
                    name=f"{full}[{index}]",
                    low=_number_text(-bound),
                    high=_number_text(bound),
                    given=_shown(item),
                )
            numbers.append(number)
        return numbers

    def sizes(
        self, name: str, *, most: int, largest: int, default: object = None
    ) -> tuple[int, ...]:
        """A list of at most `most` whole numbers, each in [1, largest] (hidden layer sizes)."""
        full = self._prefix + name
        value = self._take(name, _REQUIRED if default is None else default)
        if not isinstance(value, (list, tuple)) or not all(
            isinstance(size, int) and not isinstance(size, bool) for size in value
        ):
            raise RequestError(
                "explore.error.not_sizes", parameter=full, name=full, given=_shown(value)
            )
        if len(value) > most:
            raise RequestError(
                "explore.error.too_many_layers",
                parameter=full,
                name=full,
                most=most,
                given=len(value),
            )
        for size in value:
            if not 1 <= size <= largest:
                raise RequestError(
                    "explore.error.out_of_range",
                    parameter=full,
                    name=f"{full}",
                    low=1,
                    high=largest,
                    given=_shown(size),
                )
        return tuple(value)

    def object(self, name: str) -> Reader:
        """The nested object `name`, as a Reader of its own."""
        return Reader(self._take(name, _REQUIRED), prefix=f"{self._prefix}{name}.")

    def finish(self) -> None:
        """Refuse the fields that nothing read: a misspelt name must not pass silently."""
        unknown = sorted(set(self._body) - self._read)
        if unknown:
            known = ", ".join(sorted(self._read)) or "none"
            raise RequestError(
                "explore.error.unknown",
                parameter=self._prefix + unknown[0],
                name=self._prefix + unknown[0],
                known=known,
            )


_REQUIRED = object()
"""The default of a field that must be present."""


def _finite(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RequestError(
            "explore.error.not_number", parameter=name, name=name, given=_shown(value)
        )
    number = float(value)
    if not math.isfinite(number):
        raise RequestError(
            "explore.error.not_number", parameter=name, name=name, given=_shown(value)
        )
    return number


@dataclass(frozen=True)
class Setup:
    """The data and the network: everything that decides the model's shape and starting weights.

    The defaults are those of `tinygrad-edu demo`: 12 moons points, one hidden
    layer of 4 tanh neurons, seed 0. `noise` None means the dataset's own.
    """

    dataset: str = "moons"
    n: int = 12
    noise: float | None = None
    hidden: tuple[int, ...] = (4,)
    activation: str = "tanh"
    seed: int = 0

    @property
    def layer_sizes(self) -> list[int]:
        """The MLP's layer sizes after its 2 inputs: the hidden ones, then 1 logit."""
        return [*self.hidden, 1]

    @property
    def n_parameters(self) -> int:
        """How many weights and biases the MLP has."""
        sizes = [2, *self.layer_sizes]
        return sum((fan_in + 1) * fan_out for fan_in, fan_out in itertools.pairwise(sizes))

    def as_json(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "n": self.n,
            "noise": self.noise,
            "hidden": list(self.hidden),
            "activation": self.activation,
            "seed": self.seed,
        }


def read_setup(reader: Reader) -> Setup:
    """Read and check a setup object, including the bound on its work (points x parameters).

    >>> read_setup(Reader({"dataset": "xor", "n": 20, "hidden": [4, 4],
    ...                    "activation": "relu", "seed": 3}))
    Setup(dataset='xor', n=20, noise=None, hidden=(4, 4), activation='relu', seed=3)
    """
    setup = Setup(
        dataset=reader.choice("dataset", DATASETS, default=Setup.dataset),
        n=reader.integer("n", low=MIN_POINTS, high=MAX_POINTS, default=Setup.n),
        noise=reader.optional_number("noise", low=0.0, high=MAX_NOISE),
        hidden=reader.sizes(
            "hidden", most=MAX_HIDDEN_LAYERS, largest=MAX_LAYER_SIZE, default=list(Setup.hidden)
        ),
        activation=reader.choice("activation", ACTIVATIONS, default=Setup.activation),
        seed=reader.integer("seed", low=0, high=MAX_SEED, default=Setup.seed),
    )
    reader.finish()
    work = setup.n * setup.n_parameters
    if work > MAX_WORK:
        raise RequestError(
            "explore.error.too_much_work",
            parameter="setup",
            n=setup.n,
            parameters=setup.n_parameters,
            work=work,
            limit=MAX_WORK,
        )
    return setup


LIMITS = {
    "points": [MIN_POINTS, MAX_POINTS],
    "hidden_layers": MAX_HIDDEN_LAYERS,
    "layer_size": MAX_LAYER_SIZE,
    "noise": [0.0, MAX_NOISE],
    "seed": [0, MAX_SEED],
    "work": MAX_WORK,
    "weight": MAX_WEIGHT,
    "h": [MIN_H, MAX_H],
    "lr": [MIN_LR, MAX_LR],
    "steps": MAX_STEPS,
    "resolution": [MIN_RESOLUTION, MAX_RESOLUTION],
    "curve_points": [MIN_CURVE_POINTS, MAX_CURVE_POINTS],
    "range": MAX_RANGE,
}
"""The bounds above, as the page reads them from /api/config."""
