"""compile_graph: the replay gives backward()'s bits, is safe with any label, and is total."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu import engine, losses, nn
from tinygrad_edu.compiled import compile_graph, lecture_neuron, source_code
from tinygrad_edu.engine import Value, define_op
from tinygrad_edu.optim import SGD


def same(a: float, b: float) -> bool:
    """Equal to the last bit: nan equals nan, and 0.0 differs from -0.0."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


# A learner's ops: one the tracer reads (arithmetic), one it must call (math.sin).
CUBE = define_op("compiled_test_cube", lambda x: x**3, lambda out, x: (3 * x**2,))
COS = define_op("compiled_test_cos", math.cos, lambda out, x: (-SIN(x),))
SIN = define_op("compiled_test_sin", math.sin, lambda out, x: (COS(x),))


def _clip_forward(x: float) -> float:
    if x > 1.0:
        return 1.0
    if x < -1.0:
        return -1.0
    return x


# A learner's op whose forward and rule take `if`s: traced along each way through them.
CLIP = define_op(
    "compiled_test_clip", _clip_forward, lambda out, x: (1.0 if -1.0 <= x <= 1.0 else 0.0,)
)


def bounded(x: Value) -> Value:
    """In [0.5, 2.5]: a safe base for log, sqrt, division and powers."""
    return x.tanh() + 1.5


# Each op of engine.OPS applied to nodes already in the graph, kept inside its domain.
OPERATIONS: dict[str, Callable[[Value, Value], Value]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / bounded(b),
    "neg": lambda a, b: -a,
    "exp": lambda a, b: a.tanh().exp(),
    "log": lambda a, b: bounded(a).log(),
    "tanh": lambda a, b: a.tanh(),
    "sigmoid": lambda a, b: a.sigmoid(),
    "relu": lambda a, b: a.relu(),
    "softplus": lambda a, b: a.softplus(),
    "sqrt": lambda a, b: bounded(a).sqrt(),
    "abs": lambda a, b: a.abs(),
    "**": lambda a, b: bounded(a) ** b.tanh(),
    "**k": lambda a, b: bounded(a) ** -1.5,
    "dot": lambda a, b: engine.dot([a, b], [b, a], a),
    "compiled_test_cube": lambda a, b: CUBE(a.tanh()),
    "compiled_test_sin": lambda a, b: SIN(a),
    "compiled_test_cos": lambda a, b: COS(a),
    "compiled_test_clip": lambda a, b: CLIP(a * 2.0),
}


def test_every_op_of_the_table_is_exercised() -> None:
    assert set(OPS_NAMES) <= set(OPERATIONS)


OPS_NAMES = [name for name in engine.OPS]

numbers = st.floats(-3.0, 3.0, allow_nan=False) | st.sampled_from([0.0, -0.0, 1.0, -1.0])


@st.composite
def dags(draw: Any) -> tuple[list[float], list[tuple[str, int, int]]]:
    """Leaf values and a list of steps (op, operand, operand) over earlier nodes: shared nodes."""
    leaves = draw(st.lists(numbers, min_size=1, max_size=4))
    steps = draw(
        st.lists(
            st.tuples(
                st.sampled_from(sorted(OPERATIONS)), st.integers(0, 10**6), st.integers(0, 10**6)
            ),
            min_size=1,
            max_size=12,
        )
    )
    return leaves, steps


def build(leaves_data: list[float], steps: list[tuple[str, int, int]]) -> tuple[list[Value], Value]:
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(leaves_data)]
    nodes = list(leaves)
    for name, i, j in steps:
        nodes.append(OPERATIONS[name](nodes[i % len(nodes)], nodes[j % len(nodes)]))
    total = nodes[-1]
    for node in nodes[len(leaves) : -1]:
        total = total + node  # every node reaches the output
    return leaves, total


def all_leaves(root: Value) -> list[Value]:
    return [node for node in engine.topological_order(root) if not node._prev]


@pytest.mark.parametrize("mode", ["code", "tape"])
@given(dags(), numbers)
def test_replay_gives_the_bits_of_backward_on_random_dags(
    mode: str, dag: Any, shift: float
) -> None:
    leaves_data, steps = dag
    _, eager = build(leaves_data, steps)
    eager.backward()
    leaves, recorded = build(leaves_data, steps)
    graph = compile_graph(recorded, mode=mode)
    assert same(graph(), eager.data)
    for mine, theirs in zip(all_leaves(recorded), all_leaves(eager), strict=True):
        assert same(mine.grad, theirs.grad)
    # new data: equal to a fresh build at the new values
    moved = [x + shift for x in leaves_data]
    for leaf, x in zip(leaves, moved, strict=True):
        leaf.data = x
    for leaf in all_leaves(recorded):
        leaf.grad = 0.0
    _, fresh = build(moved, steps)
    fresh.backward()
    assert same(graph.forward(), fresh.data)
    assert same(graph(write_back=True), fresh.data)
    for mine, theirs in zip(all_leaves(recorded), all_leaves(fresh), strict=True):
        assert same(mine.grad, theirs.grad)
    for mine, theirs in zip(
        engine.topological_order(recorded), engine.topological_order(fresh), strict=True
    ):
        assert same(mine.data, theirs.data) and same(mine.grad, theirs.grad)


@given(dags())
def test_leaf_grads_accumulate_across_calls_as_with_backward(dag: Any) -> None:
    _, eager = build(*dag)
    eager.backward()
    eager.backward()
    _, recorded = build(*dag)
    graph = compile_graph(recorded)
    graph()
    graph()
    for mine, theirs in zip(all_leaves(recorded), all_leaves(eager), strict=True):
        assert same(mine.grad, theirs.grad)


def points(n: int = 30) -> tuple[list[tuple[float, float]], list[float]]:
    rng = random.Random(3)
    X = [(rng.uniform(-2, 2), rng.uniform(-2, 2)) for _ in range(n)]
    return X, [1.0 if a * b > 0 else 0.0 for a, b in X]


def mlp_loss(name: str) -> tuple[nn.MLP, Value]:
    X, y = points()
    model = nn.MLP(2, [8, 8, 1], seed=1)
    if name == "cross_entropy":
        model = nn.MLP(2, [8, 8, 2], seed=1)
        return model, losses.cross_entropy([model(x) for x in X], [int(t) for t in y])
    scores = [model(x) for x in X]
    if name == "mse":
        return model, losses.mse(scores, y)
    if name == "hinge":
        return model, losses.hinge(scores, [2 * t - 1 for t in y])
    return model, losses.binary_cross_entropy_with_logits(scores, y)


@pytest.mark.parametrize(
    "loss", ["mse", "binary_cross_entropy_with_logits", "cross_entropy", "hinge"]
)
@pytest.mark.parametrize("mode", ["code", "tape"])
def test_mlp_losses_replay_bit_for_bit(loss: str, mode: str) -> None:
    eager_model, eager = mlp_loss(loss)
    eager.backward()
    model, recorded = mlp_loss(loss)
    assert same(compile_graph(recorded, mode=mode)(), eager.data)
    for mine, theirs in zip(model.parameters(), eager_model.parameters(), strict=True):
        assert same(mine.grad, theirs.grad)


@pytest.mark.parametrize("loss", ["mse", "binary_cross_entropy_with_logits", "hinge"])
def test_training_compiled_gives_the_parameters_of_eager_training(loss: str) -> None:
    eager_model, _ = mlp_loss(loss)
    model, recorded = mlp_loss(loss)
    optimizer, eager_optimizer = SGD(model, lr=0.1), SGD(eager_model, lr=0.1)
    step = compile_graph(recorded)
    for _ in range(5):
        eager_optimizer.zero_grad()
        mlp_loss_again = rebuild(eager_model, loss)
        mlp_loss_again.backward()
        eager_optimizer.step()
        optimizer.zero_grad()
        step()
        optimizer.step()
    for mine, theirs in zip(model.parameters(), eager_model.parameters(), strict=True):
        assert same(mine.data, theirs.data)


def rebuild(model: nn.MLP, name: str) -> Value:
    X, y = points()
    scores = [model(x) for x in X]
    if name == "mse":
        return losses.mse(scores, y)
    if name == "hinge":
        return losses.hinge(scores, [2 * t - 1 for t in y])
    return losses.binary_cross_entropy_with_logits(scores, y)


def test_a_malicious_label_stays_a_comment() -> None:
    x = Value(2.0, label="x\nimport os; os._exit(3)\r\u2028raise SystemExit")
    y = x * x
    y.label = "y'''\n__import__('sys').exit(4)"
    graph = compile_graph(y)
    listing = graph.listing("pt")
    compile(listing, "<listing>", "exec")  # the commented code still parses
    code_lines = [line for line in listing.splitlines() if not line.lstrip().startswith("#")]
    assert not any(
        "import" in line.split("#")[0] or "exit" in line.split("#")[0] for line in code_lines
    )
    assert "x\\nimport os" in listing
    assert graph() == 4.0 and x.grad == 4.0


@pytest.mark.parametrize("k", [math.inf, -math.inf, math.nan, -0.0, 0.5])
def test_constants_without_a_literal_come_out_right(k: float) -> None:
    x = Value(1.5)
    eager = Value(1.5)
    (eager**k).backward()
    graph = compile_graph(x**k)
    assert same(graph(), (eager**k).data)
    assert same(x.grad, eager.grad)


def test_a_million_node_chain_compiles_without_recursion_and_takes_the_tape() -> None:
    start = Value(1.0)
    v = start
    for _ in range(250_000):
        v = v * 1.0001 + 0.0
    graph = compile_graph(v)
    assert graph.mode == "tape"
    assert graph() == v.data
    expected = start.grad
    start.grad = 0.0
    v.backward()
    assert same(start.grad, expected)


def test_code_and_tape_give_identical_bits_on_the_lecture_neuron() -> None:
    o = lecture_neuron()
    leaves = all_leaves(o)
    compile_graph(o, mode="code")()
    by_code = [leaf.grad for leaf in leaves]
    for leaf in leaves:
        leaf.grad = 0.0
    compile_graph(o, mode="tape")()
    assert [leaf.grad for leaf in leaves] == by_code
    assert by_code[-1] != 0.0


def test_the_listing_names_each_node_in_the_chosen_language() -> None:
    english, portuguese = source_code(lang="en"), source_code(lang="pt")
    assert "# n = x1*w1 + x2*w2 + b" in english
    assert "# o = tanh(n)" in portuguese and "regra da cadeia" in portuguese
    assert "n.grad = o.grad * (1 - o * o)" in english  # an interior node: its whole sum
    assert "w1.grad += (x1*w1).grad * x1" in english  # a leaf goes on from its .grad
    x = Value(3.0, label="x")
    assert "# folhas: 1; nós calculados: 1; arestas: 2 " in source_code(x * x, lang="pt")


def test_a_node_with_many_users_sums_them_in_backwards_order() -> None:
    x = Value(0.3, label="x")
    eager_x = Value(0.3)
    parts = [(x * float(k)).tanh() for k in range(1, 121)]  # x has 120 users, past one statement
    eager_parts = [(eager_x * float(k)).tanh() for k in range(1, 121)]
    hub = parts[0]
    for part in parts[1:]:
        hub = hub + part
    shared = hub.tanh()  # an interior node used 120 times too
    total = sum((shared * float(k) for k in range(120)), Value(0.0))
    eager_hub = eager_parts[0]
    for part in eager_parts[1:]:
        eager_hub = eager_hub + part
    eager_shared = eager_hub.tanh()
    eager_total = sum((eager_shared * float(k) for k in range(120)), Value(0.0))
    eager_total.backward()
    graph = compile_graph(total, mode="code")
    assert same(graph(), eager_total.data) and same(x.grad, eager_x.grad)
    source = graph.source
    assert source.count(f"    g{graph._recording.index[x]} = (") == 3  # 120 edges, 50 a statement


def test_branching_rules_become_conditional_expressions() -> None:
    x = Value(-0.5, label="x")
    y = x.relu() + x.abs() + CLIP(x * 3.0)
    source = compile_graph(y).source
    assert "relu_forward(" not in source and "relu_derivative(" not in source
    assert "0.0 if v0 < 0.0 else v0" in source  # max(x, 0.0), traced along both ways
    assert "(1.0 if v0 > 0.0 else 0.0)" in source  # relu's rule
    assert "compiled_test_clip_forward(" not in source
    listing = source_code(y, lang="en")
    assert "(1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0)" in listing  # abs': sign(x)


def _many_branches(x: float) -> float:
    for threshold in range(10):  # more ifs than a trace follows: the function is called
        if x > threshold:
            x = x - 0.5
    return x


def _positive_only(x: float) -> float:
    if x <= 0.0:
        raise ValueError("needs x > 0")
    return x * 2.0


STAIRS = define_op("compiled_test_stairs", _many_branches, lambda out, x: (1.0,))
POSITIVE = define_op("compiled_test_positive", _positive_only, lambda out, x: (2.0,))


def test_rules_that_branch_too_often_or_raise_on_a_branch_are_called() -> None:
    x = Value(7.25)
    y = STAIRS(x) * POSITIVE(x)
    graph = compile_graph(y)
    assert "compiled_test_stairs_forward(" in graph.source
    assert "compiled_test_positive_forward(" in graph.source
    eager = Value(7.25)
    (STAIRS(eager) * POSITIVE(eager)).backward()
    assert same(graph(), y.data) and same(x.grad, eager.grad)
    x.data = -1.0
    with pytest.raises(ValueError, match="needs x > 0"):
        graph()


def test_frozen_control_flow_needs_a_recompile() -> None:
    x = Value(3.0)
    y = x * 2.0 if x.data > 0 else -x  # the if ran once, while building
    graph = compile_graph(y)
    x.data = -1.0
    assert graph() == -2.0  # the recorded branch, not -x


def test_errors_name_the_node_and_change_nothing() -> None:
    x = Value(4.0, label="x")
    graph = compile_graph((x - 4.0).sqrt())
    with pytest.raises(ZeroDivisionError, match="sqrt"):
        graph()  # the slope of sqrt at 0 is infinite
    assert x.grad == 0.0
    with pytest.raises(TypeError, match="Value at the top"):
        compile_graph(3.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown mode"):
        compile_graph(x, mode="fast")


def test_a_hand_built_node_without_a_rule_is_a_compile_error() -> None:
    a = Value(1.0)
    node = Value(0.8, (a,), "compiled_test_undefined")
    with pytest.raises(ValueError, match="cannot recompute"):
        compile_graph(node)
    lecture_style = Value(a.data * 2.0, (a, Value(2.0)), "*")  # an op with a rule: fine
    assert compile_graph(lecture_style)() == 2.0


def test_an_output_that_is_a_leaf_gets_its_seed() -> None:
    leaf = Value(5.0)
    assert compile_graph(leaf)() == 5.0 and leaf.grad == 1.0
