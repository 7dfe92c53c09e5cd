"""Backprop as code: a graph recorded once, replayed as generated Python; imports engine, messages.

`compile_graph(output)` walks the graph below `output` once and writes it out
as straight-line Python: one line per node for the forward pass, one
chain-rule line per edge for the backward pass. The lines come from the same
rule table as `backward()`: each op's forward function and derivative rule are
run on *symbols* that print as code, so `tanh`'s rule `1 - out * out` becomes
the line `g8 = 0.0 + g9 * (1 - v9 * v9)`. A rule with `if`s (relu, abs) is run
once along each way through them and becomes a conditional expression; where
a rule needs the number itself (it calls a function such as `math.tanh`), the
line calls the op's own function instead. Each node's grad is written as one
sum over its parents (one line per edge), the additions backward() makes, in
its order. So the replay makes the same float operations, in the same order,
as `backward()`:

>>> from tinygrad_edu import Value
>>> x, w = Value(2.0, label='x'), Value(-3.0, label='w')
>>> y = (x * w).tanh()
>>> step = compile_graph(y)
>>> step() == y.data, round(x.grad, 8), round(w.grad, 8)
(True, -7.373e-05, 4.915e-05)
>>> print(step.source.splitlines()[2])
    v2 = v0 * v1

The recording freezes the structure (and the rules): Python `if`s of the code
that built the graph, numbers it computed from `.data` while building, and a
rule replaced later with `define_op(..., replace=True)` all need a new
`compile_graph`. docs/backprop-como-codigo.md explains when.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Callable, Sequence
from typing import Any

from tinygrad_edu.engine import Op, Value, _ClosureOp, topological_order
from tinygrad_edu.messages import choose_language, text

__all__ = [
    "CODE_SIZE_LIMIT",
    "MODES",
    "CompiledGraph",
    "compile_graph",
    "lecture_neuron",
    "source_code",
]

MODES = ("auto", "code", "tape")
"""How a graph is replayed: 'code' (one generated function), 'tape' (a flat list
of steps replayed by a loop), or 'auto' (code up to CODE_SIZE_LIMIT lines, else tape)."""

CODE_SIZE_LIMIT = 150_000
"""Above this many generated lines (nodes + edges) 'auto' takes the tape: CPython
compiles about 7 µs a line, so one function of a million lines would take long."""

_TRACE_DEPTH_LIMIT = 200
"""Deeper traced expressions are called instead (CPython's compiler recurses on them)."""


def _operation(node: Value) -> Op:
    """The Op that made `node` (the engine keeps it on the node)."""
    return node._operation


# --- Symbols: operands that print as code -----------------------------------------------


class _Untraceable(Exception):
    """A rule asked for a symbol's number (a branch, math.tanh): call the rule instead."""


_PRECEDENCE = {
    "if": 1, "compare": 3, "+": 5, "-": 5, "*": 6, "/": 6, "unary": 7, "**": 8, "atom": 100,
}  # fmt: skip
_MAX_DECISIONS = 6
"""A traced rule may take this many `if`s on one path (and 2 ** this many paths at most)."""

_MAX_PATHS = 8


class _Symbol:
    """An operand of a traced rule: arithmetic on it builds the text of an expression.

    Placeholders `{0}` (the node's output) and `{1}`, `{2}`, ... (its inputs)
    are filled in later with variable names. Parentheses keep the grouping the
    rule wrote, so the generated code makes the same float operations.
    """

    __slots__ = ("code", "depth", "power", "precedence")

    def __init__(self, code: str, precedence: int, depth: int = 0, power: bool = False) -> None:
        self.code = code
        self.precedence = precedence
        self.depth = depth
        self.power = power

    def _binary(self, symbol: str, left: Any, right: Any) -> _Symbol:
        a, b = _as_symbol(left), _as_symbol(right)
        if a is None or b is None:
            return NotImplemented  # type: ignore[no-any-return]
        level = _PRECEDENCE[symbol]
        if symbol == "**":  # right-associative: (a ** b) ** c needs its parentheses, a ** -b not
            left_code = _wrap(a, a.precedence <= level)
            right_code = _wrap(b, b.precedence < _PRECEDENCE["unary"])
        else:  # left-associative: a - (b - c) keeps its parentheses
            left_code = _wrap(a, a.precedence < level)
            right_code = _wrap(b, b.precedence <= level)
        depth = max(a.depth, b.depth) + 1
        if depth > _TRACE_DEPTH_LIMIT:
            raise _Untraceable("expression too deep")
        power = a.power or b.power or symbol == "**"
        return _Symbol(f"{left_code} {symbol} {right_code}", level, depth, power)

    def __add__(self, other: Any) -> _Symbol:
        return self._binary("+", self, other)

    def __radd__(self, other: Any) -> _Symbol:
        return self._binary("+", other, self)

    def __sub__(self, other: Any) -> _Symbol:
        return self._binary("-", self, other)

    def __rsub__(self, other: Any) -> _Symbol:
        return self._binary("-", other, self)

    def __mul__(self, other: Any) -> _Symbol:
        return self._binary("*", self, other)

    def __rmul__(self, other: Any) -> _Symbol:
        return self._binary("*", other, self)

    def __truediv__(self, other: Any) -> _Symbol:
        return self._binary("/", self, other)

    def __rtruediv__(self, other: Any) -> _Symbol:
        return self._binary("/", other, self)

    def __pow__(self, other: Any) -> _Symbol:
        return self._binary("**", self, other)

    def __rpow__(self, other: Any) -> _Symbol:
        return self._binary("**", other, self)

    def __neg__(self) -> _Symbol:
        level = _PRECEDENCE["unary"]
        return _Symbol(
            f"-{_wrap(self, self.precedence < level)}", level, self.depth + 1, self.power
        )

    # A comparison is a symbol too ('{1} > 0'); an `if` on a symbol takes both ways in
    # turn (see _Path), so relu's `1.0 if x > 0 else 0.0` comes out as that expression.
    def _compare(self, symbol: str, other: Any) -> _Symbol:
        right = _as_symbol(other)
        if right is None:
            return NotImplemented  # type: ignore[no-any-return]
        level = _PRECEDENCE["compare"]
        left_code = _wrap(self, self.precedence <= level)  # a < b < c would chain: keep ( )
        code = f"{left_code} {symbol} {_wrap(right, right.precedence <= level)}"
        return _Symbol(code, level, max(self.depth, right.depth) + 1, self.power or right.power)

    def __lt__(self, other: Any) -> _Symbol:
        return self._compare("<", other)

    def __le__(self, other: Any) -> _Symbol:
        return self._compare("<=", other)

    def __gt__(self, other: Any) -> _Symbol:
        return self._compare(">", other)

    def __ge__(self, other: Any) -> _Symbol:
        return self._compare(">=", other)

    def __eq__(self, other: Any) -> _Symbol:  # type: ignore[override]
        return self._compare("==", other)

    def __ne__(self, other: Any) -> _Symbol:  # type: ignore[override]
        return self._compare("!=", other)

    def __bool__(self) -> bool:
        return _PATH.decide(self)

    def _number(self, *_: object) -> Any:
        raise _Untraceable("the rule needs the number")

    # Anything else that needs the number (float(), math.*) stops the trace.
    __float__ = __int__ = __index__ = __complex__ = _number
    __hash__ = None  # type: ignore[assignment]


class _Path:
    """The answers given to the `if`s of one traced run of a rule.

    The first run answers True to every `if`; each later run follows an earlier
    one up to an `if` and answers False there, until every way through the rule
    has been taken (see _explore)."""

    def __init__(self, forced: tuple[bool, ...] = ()) -> None:
        self.forced = forced
        self.answers: list[bool] = []
        self.conditions: list[_Symbol] = []

    def decide(self, condition: _Symbol) -> bool:
        if len(self.answers) >= _MAX_DECISIONS:
            raise _Untraceable("too many branches")
        answer = self.forced[len(self.answers)] if len(self.answers) < len(self.forced) else True
        self.answers.append(answer)
        self.conditions.append(condition)
        return answer


_PATH = _Path()  # replaced for each traced run by _explore; its answers are thrown away


def _explore(run: Callable[[], list[_Symbol] | None]) -> list[_Symbol] | None:
    """Run a traced rule along every way through its `if`s; one expression per result.

    `run` returns the rule's results as symbols (None: not traceable). The runs
    are joined into conditional expressions, `a if condition else b`, in the order
    the rule asks, so the generated code takes the branch the rule would take.
    """
    global _PATH
    runs: list[_Path] = []
    results: list[list[_Symbol]] = []
    pending: list[tuple[bool, ...]] = [()]
    saved = _PATH
    try:
        while pending:
            if len(runs) == _MAX_PATHS:
                return None
            _PATH = _Path(pending.pop())
            result = run()
            if result is None:
                return None
            answers = _PATH.answers
            for i in range(len(_PATH.forced), len(answers)):  # each later True: try False
                pending.append((*answers[:i], False))
            runs.append(_PATH)
            results.append(result)
    except Exception:  # a way through the rule that raises: the rule is called instead
        return None
    finally:
        _PATH = saved
    return _join(runs, results, 0)


def _join(runs: list[_Path], results: list[list[_Symbol]], depth: int) -> list[_Symbol]:
    """The results of the runs that agree up to `depth`, as conditional expressions."""
    if len(runs) == 1 and len(runs[0].answers) == depth:
        return results[0]
    condition = runs[0].conditions[depth]
    sides = [[k for k, path in enumerate(runs) if path.answers[depth] is answer]
             for answer in (True, False)]  # fmt: skip
    yes, no = (
        _join([runs[k] for k in side], [results[k] for k in side], depth + 1) for side in sides
    )
    return [_conditional(a, condition, b) for a, b in zip(yes, no, strict=True)]


def _conditional(yes: _Symbol, condition: _Symbol, no: _Symbol) -> _Symbol:
    if yes.code == no.code:
        return yes
    level = _PRECEDENCE["if"]
    first = _wrap(yes, yes.precedence <= level)
    test = _wrap(condition, condition.precedence <= level)
    code = f"{first} if {test} else {_wrap(no, no.precedence < level)}"  # a if c else b if d ...
    depth = max(yes.depth, condition.depth, no.depth) + 1
    if depth > _TRACE_DEPTH_LIMIT:
        raise _Untraceable("expression too deep")
    return _Symbol(code, level, depth, yes.power or condition.power or no.power)


def _wrap(symbol: _Symbol, needed: bool) -> str:
    return f"({symbol.code})" if needed else symbol.code


class _Constants:
    """The numbers a rule uses, written as literals where Python has one."""

    def __init__(self) -> None:
        self.named: dict[str, object] = {}

    def literal(self, number: object) -> _Symbol | None:
        if type(number) is float:
            if math.isnan(number):
                code = "nan"
            elif math.isinf(number):
                code = "inf" if number > 0 else "-inf"
            else:
                code = repr(number)
        elif type(number) is int:
            code = repr(number)
        elif isinstance(number, numbers.Number):  # a Fraction, a numpy scalar: kept as it is
            code = f"c{len(self.named)}"
            self.named[code] = number
        else:
            return None
        negative = code.startswith("-")
        return _Symbol(code, _PRECEDENCE["unary"] if negative else _PRECEDENCE["atom"])


_CONSTANTS = _Constants()  # replaced for each compile_graph call by _trace_context


def _as_symbol(operand: object) -> _Symbol | None:
    if isinstance(operand, _Symbol):
        return operand
    return _CONSTANTS.literal(operand)


def _placeholders(n_inputs: int) -> tuple[_Symbol, list[_Symbol]]:
    atom = _PRECEDENCE["atom"]
    return _Symbol("{0}", atom), [_Symbol(f"{{{i}}}", atom) for i in range(1, n_inputs + 1)]


class _Template:
    """How one op with this many inputs turns into code.

    `forward` is the expression of the output (None: call the op's forward);
    `locals` the expression of each local derivative, or None (call the rule).
    """

    __slots__ = ("forward", "locals")

    def __init__(self, forward: _Symbol | None, local_grads: list[_Symbol] | None) -> None:
        self.forward = forward
        self.locals = local_grads


def _trace(op: Op, n_inputs: int) -> _Template:
    out, inputs = _placeholders(n_inputs)
    engine_function = _is_engine_function(op.forward)

    def forward() -> list[_Symbol] | None:
        result = op.forward(*inputs)
        if type(result) is float:  # one branch may give a constant (relu's 0.0)
            return [_as_symbol(result)]  # type: ignore[list-item]
        if isinstance(result, _Symbol) and (engine_function or not result.power):
            return [result]  # (a learner's x ** 0.5 may give a complex: that one is called)
        return None

    def derivative() -> list[_Symbol] | None:
        derivatives = op.derivative(out, *inputs)
        if not isinstance(derivatives, (tuple, list)) or len(derivatives) != n_inputs:
            return None
        symbols = [_as_symbol(local) for local in derivatives]
        if any(symbol is None or symbol.precedence == _PRECEDENCE["compare"] for symbol in symbols):
            return None  # not a number (a bare comparison is a bool): the rule is called, checked
        return symbols  # type: ignore[return-value]

    traced = _explore(forward)
    return _Template(traced[0] if traced else None, _explore(derivative))


def _is_engine_function(function: Callable[..., Any]) -> bool:
    return getattr(function, "__module__", None) in ("tinygrad_edu.engine", "math", "builtins")


def _checked_forward(op: Op) -> Callable[..., float]:
    """A learner's forward, whose result is made a float as the engine does."""
    forward = op.forward
    if _is_engine_function(forward):
        return forward

    def checked(*inputs: float) -> float:
        data = forward(*inputs)
        if type(data) is float:
            return data
        if isinstance(data, bool) or not isinstance(data, numbers.Real):
            raise TypeError(
                f"{op.name}: its forward function returned {type(data).__name__} {data!r}; "
                "it must return a real number (a float)"
            )
        return float(data)

    return checked


# --- The recording ----------------------------------------------------------------------


def _escape(label: object) -> str:
    """A label or op name as comment text: every character that could end a line escaped."""
    shown = str(label)
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in shown
    )


_OPERATOR_FUNCTIONS = {
    "{1} + {2}": operator.add,
    "{1} - {2}": operator.sub,
    "{1} * {2}": operator.mul,
    "{1} / {2}": operator.truediv,
    "-{1}": operator.neg,
}
"""Traced forwards that a C function computes the same way, for the tape's loop."""


class _Recording:
    """The graph in replay order: leaves, interior nodes, each node's template."""

    def __init__(self, output: Value) -> None:
        order = topological_order(output)
        self.leaves = [node for node in order if not node._prev]
        self.interior = [node for node in order if node._prev]  # the order backward() walks
        self.index = {node: i for i, node in enumerate(self.leaves)}
        for i, node in enumerate(self.interior, start=len(self.leaves)):
            self.index[node] = i
        self.output = output
        self.constants = _Constants()
        self.names: dict[int, str] = {}  # id(op) -> the prefix of its functions in the code
        self.functions: dict[str, object] = {}
        self.templates: list[_Template] = []
        self.n_edges = 0
        cache: dict[tuple[int, int], _Template] = {}
        global _CONSTANTS
        saved, _CONSTANTS = _CONSTANTS, self.constants
        try:
            for node in self.interior:
                _refuse_closure(node)
                op = _operation(node)
                key = (id(op), len(node._prev))
                template = cache.get(key)
                if template is None:
                    template = cache[key] = _trace(op, len(node._prev))
                    self._bind(op, template, node)
                self.templates.append(template)
                self.n_edges += len(node._prev)
        finally:
            _CONSTANTS = saved

    def _bind(self, op: Op, template: _Template, node: Value) -> None:
        """Name the op's own functions in the code's namespace, where a line calls them."""
        if id(op) not in self.names:
            base = op.name if op.name.isidentifier() and op.name.isascii() else "op"
            prefix = base
            while any(name.startswith(f"{prefix}_") for name in self.functions):
                prefix = f"{base}{len(self.names)}"
            self.names[id(op)] = prefix
            self.functions[f"{prefix}_forward"] = _checked_forward(op)
            self.functions[f"{prefix}_derivative"] = op.derivative
        if template.forward is None:  # it is called: it must run on this node's inputs
            try:
                op.forward(*[child.data for child in node._prev])
            except Exception as error:
                raise ValueError(
                    f"compile_graph: cannot recompute {_describe(node)} with the forward "
                    f"function of its op {op.name!r}: {error}; build the node with an op "
                    "defined by define_op(name, forward, derivative)"
                ) from None

    def prefix(self, node: Value) -> str:
        return self.names[id(_operation(node))]

    @property
    def n_lines(self) -> int:
        return len(self.interior) + self.n_edges


def _describe(node: Value) -> str:
    label = f" {node.label!r}" if node.label else ""
    return f"the {node._op!r} node{label} (data {node.data!r})"


def _refuse_closure(node: Value) -> None:
    """A node built the lecture's way, with its own `_backward` closure, has no rule to read."""
    if isinstance(_operation(node), _ClosureOp):
        raise TypeError(
            f"compile_graph: {_describe(node)} carries its own _backward closure (the "
            "lecture's way of adding an op), and a closure cannot be written out as code; "
            "define the op with define_op(name, forward, derivative) and build the node "
            "with the function it returns, or use output.backward() for this graph"
        )


# --- Generating the code ----------------------------------------------------------------


def _names(prefix: str, indexes: Sequence[int]) -> str:
    return ", ".join(f"{prefix}{i}" for i in indexes)


def _unpack(targets: list[str], source: str) -> list[str]:
    """`(v0, v1, ...) = source`, wrapped ten names a line."""
    if len(targets) == 1:
        return [f"    ({targets[0]},) = {source}"]
    rows = [", ".join(targets[i : i + 10]) for i in range(0, len(targets), 10)]
    if len(rows) == 1:
        return [f"    {rows[0]} = {source}"]
    return ["    (", *[f"        {row}," for row in rows], f"    ) = {source}"]


def _contribution(upstream: str, local: _Symbol, names: Sequence[str]) -> tuple[str, str]:
    """The operator and right-hand side of `g_child += upstream * local` (times ±1 simplified:
    x * 1.0 is x and a + (x * -1.0) is a - x, exactly, in floating point)."""
    if local.code in ("1.0", "1"):
        return "+=", upstream
    if local.code in ("-1.0", "-1"):
        return "-=", upstream
    code = local.code.format(*names)
    return "+=", f"{upstream} * ({code})" if local.precedence <= 6 else f"{upstream} * {code}"


class _Words:
    """The comments of a listing, in one language; labels escaped."""

    def __init__(self, recording: _Recording, lang: str) -> None:
        self.lang = lang
        self.recording = recording

    def shown(self, node: Value) -> str:
        if node.label:
            return _escape(node.label)
        if not node._prev:
            return repr(node.data)
        return f"v{self.recording.index[node]}"

    def say(self, key: str, **fields: object) -> str:
        return text(f"code.{key}", self.lang, **fields)


def _grouped(shown: str) -> str:
    """A label with spaces or operators in parentheses, so `(a + b).grad` reads as one name."""
    return shown if shown.replace(".", "").isidentifier() or _is_number(shown) else f"({shown})"


def _is_number(shown: str) -> bool:
    try:
        float(shown)
    except ValueError:
        return False
    return True


def _generate(recording: _Recording, words: _Words | None) -> str:
    """The replay function's source; with `words`, commented for a reader."""
    leaves, interior, index = recording.leaves, recording.interior, recording.index
    output = recording.output
    n_leaves = len(leaves)
    lines: list[str] = []
    comment = words is not None

    def note(line: str, remark: str) -> str:
        return f"{line}  # {remark}" if comment else line

    if comment:
        assert words is not None
        lines.append(f"# {words.say('header')}")
        lines.append(
            f"# {words.say('sizes', leaves=n_leaves, nodes=len(interior), edges=recording.n_edges)}"
        )
    lines.append("def replay(leaf_data, leaf_grads, backward=True, write_back=False):")
    if comment:
        assert words is not None
        lines.append(f"    # {words.say('leaves')}")
        for leaf in leaves:
            name = _escape(leaf.label) if leaf.label else "-"
            lines.append(f"    #   v{index[leaf]}: {name} = {leaf.data!r}")
    lines += _unpack([f"v{i}" for i in range(n_leaves)], "leaf_data")
    if comment:
        assert words is not None
        lines.append(f"    # {words.say('forward')}")
    for node, template in zip(interior, recording.templates, strict=True):
        i = index[node]
        names = ["v" + str(i), *[f"v{index[child]}" for child in node._prev]]
        if template.forward is not None:
            code = template.forward.code.format(*names)
        else:
            code = f"{recording.prefix(node)}_forward({', '.join(names[1:])})"
        remark = ""
        if words is not None:
            shown = [words.shown(node), *[words.shown(child) for child in node._prev]]
            if template.forward is not None:
                formula = template.forward.code.format(*shown)
            else:
                formula = f"{_escape(node._op)}({', '.join(shown[1:])})"
            remark = f"{shown[0]} = {formula}"
        lines.append(note(f"    v{i} = {code}", remark))
    root = f"v{index[output]}"
    lines.append(note("    if not backward:", words.say("forward_only") if words else ""))
    lines.append(f"        return {root}")
    if comment:
        assert words is not None
        lines.append(f"    # {words.say('leaf_grads')}")
    lines += _unpack([f"g{i}" for i in range(n_leaves)], "leaf_grads")
    if interior:
        seed = words.say("seed", output=words.shown(output)) if words else ""
        lines.append(note(f"    g{index[output]} = 1.0", seed))
        if comment:
            assert words is not None
            lines.append(f"    # {words.say('backward')}")
        lines += _gather(recording, words)
    else:
        lines.append(note(f"    g{index[output]} += 1.0", words.say("leaf_seed") if words else ""))
    if comment:
        assert words is not None
        lines.append(f"    # {words.say('return')}")
    leaf_grads = f"[{_names('g', range(n_leaves))}]"
    first = len(leaves)
    last = first + len(interior)
    lines.append("    if write_back:")
    lines.append(
        f"        return {root}, {leaf_grads}, [{_names('v', range(first, last))}], "
        f"[{_names('g', range(first, last))}]"
    )
    lines.append(f"    return {root}, {leaf_grads}")
    return "\n".join(lines) + "\n"


_TERMS_PER_STATEMENT = 50
"""A node used more often gets its sum in several statements (CPython's compiler recurses
on a long `a + b + ...`); each goes on from the last, so the additions are the same."""


def _gather(recording: _Recording, words: _Words | None) -> list[str]:
    """The backward pass: for each node, parents before children, its grad as one sum.

    backward() walks the nodes parents first and adds `parent.grad * local` into
    each child's grad. The same additions, in the same order, are written here as
    one sum per child, `g_child = start + g_parent * local + ...` with one line
    per edge; `start` is 0.0 for an interior node (backward() resets it) and the
    leaf's own grad for a leaf (+=). A child's sum is written as soon as its last
    parent's grad is known, so every line reads only finished gradients.
    """
    index = recording.index
    interior = list(reversed(recording.interior))  # the order backward() walks
    template_of = dict(zip(recording.interior, recording.templates, strict=True))
    uses: dict[Value, list[tuple[Value, int]]] = {}  # child -> (parent, position), walk order
    last_user: dict[Value, Value] = {}
    for parent in interior:
        for k, child in enumerate(parent._prev):
            uses.setdefault(child, []).append((parent, k))
            last_user[child] = parent
    called: dict[Value, list[_Symbol]] = {}  # nodes whose rule is called: its results' names
    names = {parent: _node_names(recording, parent) for parent in interior}
    lines: list[str] = []
    for parent in interior:
        i = index[parent]
        if template_of[parent].locals is None:
            results = [f"d{i}_{k}" for k in range(len(parent._prev))]
            call = f"{recording.prefix(parent)}_derivative({', '.join(names[parent])})"
            unpacked = _unpack(results, call)
            if words is not None:
                shown = words.shown(parent)
                unpacked[-1] += "  # " + words.say("rule_call", node=shown, op=_escape(parent._op))
            lines += unpacked
            called[parent] = [_Symbol(name, _PRECEDENCE["atom"]) for name in results]
        finished = [c for c in dict.fromkeys(parent._prev) if last_user[c] is parent]
        for child in finished:
            lines += _sum_lines(recording, words, child, uses[child], template_of, called, names)
    return lines


def _node_names(recording: _Recording, node: Value) -> list[str]:
    """The variables of a node's output and inputs: the operands of its rule."""
    return [f"v{recording.index[node]}", *[f"v{recording.index[c]}" for c in node._prev]]


def _sum_lines(
    recording: _Recording,
    words: _Words | None,
    child: Value,
    uses: list[tuple[Value, int]],
    template_of: dict[Value, _Template],
    called: dict[Value, list[_Symbol]],
    names: dict[Value, list[str]],
) -> list[str]:
    """`g_child = start + g_parent * local + ...`, one line per edge, commented for a reader."""
    target = f"g{recording.index[child]}"
    leaf = not child._prev
    start = target if leaf else "0.0"
    terms: list[tuple[str, str]] = []  # (code, comment)
    for parent, k in uses:
        template = template_of[parent]
        local = called[parent][k] if template.locals is None else template.locals[k]
        code = _term(f"g{recording.index[parent]}", local, names[parent])
        remark = ""
        if words is not None:
            shown = [words.shown(parent), *[words.shown(c) for c in parent._prev]]
            shown_local = local.code if template.locals is None else local.code.format(*shown)
            if local.precedence <= _PRECEDENCE["*"]:
                shown_local = f"({shown_local})"
            remark = f"{_grouped(shown[0])}.grad * {shown_local}"
        terms.append((code, remark))
    name = _grouped(words.shown(child)) if words is not None else ""
    if len(terms) == 1:
        (code, remark), = terms
        equals = "+=" if leaf else "="
        line = f"    {target} = {start} {code}"
        return [f"{line}  # {name}.grad {equals} {remark}" if words is not None else line]
    lines: list[str] = []
    for first in range(0, len(terms), _TERMS_PER_STATEMENT):
        chunk = terms[first : first + _TERMS_PER_STATEMENT]
        opening = start if first == 0 else target
        remark = words.say("sum_start" if first == 0 and not leaf else "sum_goes_on",
                           node=name) if words is not None else ""  # fmt: skip
        lines.append(f"    {target} = (")
        lines.append(f"        {opening}" + (f"  # {remark}" if words is not None else ""))
        for code, term_remark in chunk:
            line = f"        {code}"
            lines.append(f"{line}  # {code[0]} {term_remark}" if words is not None else line)
        lines.append("    )")
    return lines


def _term(upstream: str, local: _Symbol, names: Sequence[str]) -> str:
    """`+ upstream * local` for one edge (times ±1 simplified, as in _contribution)."""
    sign, right = _contribution(upstream, local, names)
    return f"{sign[0]} {right}"


def _namespace(recording: _Recording) -> dict[str, object]:
    return {
        "__builtins__": {},
        "inf": math.inf,
        "nan": math.nan,
        **recording.functions,
        **recording.constants.named,
    }


# --- The tape ---------------------------------------------------------------------------


class _Tape:
    """The same operations as a flat list of steps, replayed by tight loops.

    Nodes live in two lists, `data` and `grads` (leaves first, then the interior
    nodes in backward()'s order). Steps are grouped in runs of the same number
    of inputs, so each run's loop unpacks its steps without a test per node.
    """

    def __init__(self, recording: _Recording) -> None:
        n = len(recording.leaves) + len(recording.interior)
        self.data: list[Any] = [0.0] * n
        self.grads: list[Any] = [0.0] * n
        self.zeros = [0.0] * len(recording.interior)
        namespace: dict[str, object] = {**_namespace(recording), "d": self.data, "g": self.grads}
        kernels: dict[tuple[int, int, int], tuple[Callable[..., Any], Callable[..., Any]]] = {}
        runs: list[tuple[int, list[tuple[Any, ...]], list[tuple[Any, ...]]]] = []
        index = recording.index
        for node, template in zip(recording.interior, recording.templates, strict=True):
            arity = len(node._prev)
            key = (id(template), arity, id(_operation(node)))
            if key not in kernels:
                kernels[key] = self._kernels(recording, node, template, namespace)
            forward, backward = kernels[key]
            o = index[node]
            inputs = tuple(index[child] for child in node._prev)
            if not runs or runs[-1][0] != min(arity, 3):
                runs.append((min(arity, 3), [], []))
            if arity <= 2:
                runs[-1][1].append((forward, o, *inputs))
                runs[-1][2].append((backward, o, *inputs))
            else:
                runs[-1][1].append((forward, o, inputs))
                runs[-1][2].append((backward, o, inputs))
        self.runs = runs
        self.backward_runs = [(arity, steps[::-1]) for arity, _, steps in reversed(runs)]

    @staticmethod
    def _kernels(
        recording: _Recording, node: Value, template: _Template, namespace: dict[str, object]
    ) -> tuple[Callable[..., Any], Callable[..., Any]]:
        arity = len(node._prev)
        prefix = recording.prefix(node)
        arguments = [f"i{k}" for k in range(1, arity + 1)]
        values = ["d[o]", *[f"d[{a}]" for a in arguments]]
        if template.forward is None:
            forward: Any = namespace[f"{prefix}_forward"]
        else:
            forward = _OPERATOR_FUNCTIONS.get(template.forward.code)
            if forward is None:
                code = template.forward.code.format("out", *arguments)
                forward = eval(f"lambda {', '.join(arguments)}: {code}", namespace)
        signature = f"o, {', '.join(arguments)}" if arity <= 2 else "o, inputs"
        body = ["    up = g[o]"]
        if arity > 2:
            body.append(f"    {', '.join(arguments)}, = inputs")
        if template.locals is None:
            temporaries = [f"t{k}" for k in range(arity)]
            body.append(f"    {', '.join(temporaries)}, = {prefix}_derivative({', '.join(values)})")
            local_codes = [_Symbol(t, _PRECEDENCE["atom"]) for t in temporaries]
        else:
            local_codes = template.locals
        for argument, local in zip(arguments, local_codes, strict=True):
            sign, right = _contribution("up", local, values)
            body.append(f"    g[{argument}] {sign} {right}")
        source = f"def kernel({signature}):\n" + "\n".join(body) + "\n"
        exec(compile(source, "<tinygrad_edu tape kernel>", "exec"), namespace)
        return forward, namespace.pop("kernel")  # type: ignore[return-value]

    def replay(self, leaves: list[Value], root: int, backward: bool) -> tuple[list[Any], list[Any]]:
        d, g = self.data, self.grads
        n_leaves = len(leaves)
        d[:n_leaves] = map(_read_data, leaves)
        for arity, steps, _ in self.runs:
            if arity == 1:
                for function, o, a in steps:
                    d[o] = function(d[a])
            elif arity == 2:
                for function, o, a, b in steps:
                    d[o] = function(d[a], d[b])
            else:
                for function, o, inputs in steps:
                    d[o] = function(*[d[i] for i in inputs])
        if not backward:
            return d, g
        g[:n_leaves] = map(_read_grad, leaves)
        if self.zeros:
            g[n_leaves:] = self.zeros
            g[root] = 1.0
        else:
            g[root] += 1.0
        for arity, steps in self.backward_runs:
            if arity == 1:
                for kernel, o, a in steps:
                    kernel(o, a)
            elif arity == 2:
                for kernel, o, a, b in steps:
                    kernel(o, a, b)
            else:
                for kernel, o, inputs in steps:
                    kernel(o, inputs)
        return d, g


_read_data = operator.attrgetter("data")
_read_grad = operator.attrgetter("grad")


# --- The public surface -----------------------------------------------------------------


class CompiledGraph:
    """A recorded graph, replayed as generated code (or a tape). Make it with `compile_graph`.

    `cg()` recomputes every node from the leaves' current `.data`, adds each
    leaf's derivative into its `.grad` as `output.backward()` does (`+=`), and
    returns the output's value; `cg(write_back=True)` also stores every
    interior node's new data and grad (for draw_dot). `cg.forward()` only
    recomputes the output. `cg.source` is the code, `cg.listing(lang)` the
    same code commented for a reader in 'pt' or 'en'.

    >>> a = Value(3.0)
    >>> f = compile_graph(a * a + 1.0)
    >>> f(), a.grad
    (10.0, 6.0)
    >>> a.data = 0.5
    >>> f.forward(), f(), a.grad   # leaves accumulate, as with backward()
    (1.25, 1.25, 7.0)
    """

    def __init__(self, recording: _Recording, mode: str) -> None:
        self.output = recording.output
        self.leaves: tuple[Value, ...] = tuple(recording.leaves)
        self.mode = mode
        self._recording = recording
        self._leaves = list(recording.leaves)
        self._interior = list(recording.interior)
        self._root = recording.index[recording.output]
        self._source: str | None = None
        self._tape: _Tape | None = None
        self._function: Callable[..., Any] | None = None
        if mode == "code":
            self._source = _generate(recording, None)
            namespace = _namespace(recording)
            exec(compile(self._source, "<tinygrad_edu compiled graph>", "exec"), namespace)
            self._function = namespace["replay"]  # type: ignore[assignment]
        else:
            self._tape = _Tape(recording)

    @property
    def source(self) -> str:
        """The generated code: one line per node forward, one chain-rule line per edge backward.

        With mode 'tape' it is the equivalent code, written when first asked for;
        the tape makes the same operations.
        """
        if self._source is None:
            self._source = _generate(self._recording, None)
        return self._source

    def listing(self, lang: str = "en") -> str:
        """The same code with comments in `lang` ('pt' or 'en') naming each node and edge."""
        return _generate(self._recording, _Words(self._recording, lang))

    def __call__(self, *, write_back: bool = False) -> float:
        """Forward and backward from the leaves' current data; leaf grads += as backward()."""
        leaves = self._leaves
        try:
            if self._function is not None:
                result = self._function(
                    list(map(_read_data, leaves)), list(map(_read_grad, leaves)), True, write_back
                )
                output, leaf_grads = result[0], result[1]
                if write_back:
                    interior_data, interior_grads = result[2], result[3]
            else:
                assert self._tape is not None
                d, g = self._tape.replay(leaves, self._root, True)
                n = len(leaves)
                output, leaf_grads = d[self._root], g[:n]
                if write_back:
                    interior_data, interior_grads = d[n:], g[n:]
        except (ValueError, TypeError, ArithmeticError) as error:
            raise self._explain(error) from None
        for leaf, grad in zip(leaves, leaf_grads):  # noqa: B905 - same length by construction
            leaf.grad = grad
        if write_back:
            for node, data, grad in zip(self._interior, interior_data, interior_grads):  # noqa: B905
                node.data = data
                node.grad = grad
        return output  # type: ignore[no-any-return]

    def forward(self) -> float:
        """The output's value recomputed from the leaves' current data; no gradient touched."""
        try:
            if self._function is not None:
                return self._function(list(map(_read_data, self._leaves)), None, False)  # type: ignore[no-any-return]
            assert self._tape is not None
            return self._tape.replay(self._leaves, self._root, False)[0][self._root]  # type: ignore[no-any-return]
        except (ValueError, TypeError, ArithmeticError) as error:
            raise self._explain(error) from None

    def _explain(self, error: Exception) -> Exception:
        """Replay node by node with the engine to say which node failed; nothing is changed."""
        saved = [(node, node.data, node.grad) for node in self._interior]
        saved_leaves = [(leaf, leaf.grad) for leaf in self._leaves]
        try:
            for node in self._interior:
                op = _operation(node)
                try:
                    node.data = _checked_forward(op)(*[child.data for child in node._prev])
                except (ValueError, TypeError, ArithmeticError) as failure:
                    return type(failure)(
                        f"compiled graph: computing {_describe(node)} from its inputs "
                        f"{[child.data for child in node._prev]}: {failure}"
                    )
            try:
                self.output.backward()
            except (ValueError, TypeError, ArithmeticError) as failure:
                return type(failure)(f"compiled graph: {failure}")
        finally:
            for node, data, grad in saved:
                node.data, node.grad = data, grad
            for leaf, grad in saved_leaves:
                leaf.grad = grad
        return error

    def __repr__(self) -> str:
        recording = self._recording
        return (
            f"CompiledGraph({len(recording.leaves)} leaves, {len(recording.interior)} nodes, "
            f"{recording.n_edges} edges, mode={self.mode!r})"
        )


def compile_graph(output: Value, *, mode: str = "auto") -> CompiledGraph:
    """Record the graph below `output` once, as code to replay (see `CompiledGraph`).

    `mode` is 'code' (one generated Python function), 'tape' (a flat list of
    steps replayed by a loop, for very large graphs) or 'auto' (code up to
    `CODE_SIZE_LIMIT` lines, else the tape). Both give the same bits.

    >>> x = Value(2.0, label='x')
    >>> f = compile_graph(x.tanh() * x, mode='tape')
    >>> f() == (x.tanh() * x).data, f.mode
    (True, 'tape')
    """
    if not isinstance(output, Value):
        raise TypeError(
            f"compile_graph needs the Value at the top of a graph, got {type(output).__name__}: "
            f"{output!r}"
        )
    if mode not in MODES:
        raise ValueError(f"compile_graph: unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    recording = _Recording(output)
    if mode == "auto":
        mode = "code" if recording.n_lines <= CODE_SIZE_LIMIT else "tape"
    return CompiledGraph(recording, mode)


def lecture_neuron() -> Value:
    """The lecture's neuron, o = tanh(x1*w1 + x2*w2 + b), built and labelled as there.

    >>> o = lecture_neuron()
    >>> o.label, round(o.data, 4)
    ('o', 0.7071)
    """
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def source_code(output: Value | None = None, lang: str | None = None) -> str:
    """The generated code of `output` (the lecture's neuron by default), commented in `lang`.

    `lang` is 'pt' or 'en'; None chooses as the command line does (see
    messages.choose_language). Read the forward pass top-down, the backward
    pass bottom-up.

    >>> print(source_code(lang='en').splitlines()[14])
        v8 = v7 + v4  # n = x1*w1 + x2*w2 + b
    """
    graph = compile_graph(lecture_neuron() if output is None else output, mode="code")
    return graph.listing(choose_language(lang))
