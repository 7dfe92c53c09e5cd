"""tinygrad_edu.testing as a learner uses it: check_op, its reports and messages, check_rules."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st

from tinygrad_edu import Value, define_op
from tinygrad_edu.engine import Op
from tinygrad_edu.testing import (
    OP_TABLE,
    POWERS,
    CheckFailed,
    CheckReport,
    OpCase,
    check_op,
    check_point,
    check_rules,
    positive_reals,
    rules,
)

# Ops with deliberately wrong rules, made as Op objects outside the op table (so
# every test still starts from the built-in table).
square_forgot_the_two = Op("square", lambda x: x * x, lambda out, x: (x,))
sine_with_a_float_rule = Op("sine", math.sin, lambda out, x: (math.cos(x),))


@pytest.mark.parametrize("case", OP_TABLE, ids=[case.name for case in OP_TABLE])
def test_check_op_passes_on_every_builtin_op(case: OpCase) -> None:
    report = check_op(case.build, case.reference, domain=list(case.domain), name=case.name)
    assert report.passed and report.failing_input is None and report.failure is None
    assert report.examples >= 1 and 0.0 <= report.worst_ratio <= 1.0
    assert case.name in str(report) and "passed" in str(report)


def test_a_wrong_derivative_fails_with_the_shrunk_input_and_both_values() -> None:
    """x instead of 2x is wrong at every x != 0: hypothesis shrinks to the simplest one, 1.0."""
    with pytest.raises(AssertionError) as raised:
        check_op(square_forgot_the_two)
    message = str(raised.value)
    assert "check_op(square) failed" in message
    assert "smallest failing input hypothesis found: x = 1.0" in message
    assert "analytic = 1.0" in message and "numeric  = 2.0" in message
    assert "central difference" in message
    assert isinstance(raised.value, CheckFailed)
    assert raised.value.report.failing_input == (1.0,)


def test_the_report_instead_of_an_exception() -> None:
    report = check_op(square_forgot_the_two, raise_on_failure=False)
    assert isinstance(report, CheckReport)
    assert not report.passed
    assert report.failing_input == (1.0,)
    assert report.failure is not None
    assert report.failure.quantity == "df/dx"
    assert (report.failure.analytic, report.failure.numeric) == (1.0, pytest.approx(2.0))
    assert report.failure.abs_error > report.failure.tolerance
    assert report.examples >= 1
    assert report.max_abs_error >= 1.0 and report.max_rel_error >= 0.5
    assert report.worst_ratio > 1.0
    assert str(report) == report.message and "x = 1.0" in report.message


def test_a_passing_report() -> None:
    report = check_op(lambda x: x.tanh(), math.tanh, examples=30)
    assert report.passed and report.examples == 30
    assert 0.0 <= report.worst_ratio <= 1.0
    assert math.isfinite(report.max_abs_error) and math.isfinite(report.max_rel_error)
    assert f"largest error {report.max_abs_error:.2g}" in report.message


def test_examples_default_to_the_active_hypothesis_profile() -> None:
    report = check_op(lambda x: x * 2.0)
    assert report.examples == settings().max_examples


def test_a_rule_written_with_math_passes_order_1_and_is_refused_at_order_2() -> None:
    """math.cos(x) on a Value calls float(x), which a Value refuses: loudly, naming .data."""
    assert check_op(sine_with_a_float_rule, math.sin, domain=(-3.0, 3.0)).passed
    with pytest.raises(TypeError, match=r"while differentiating .*a Value is not a number") as info:
        check_op(
            sine_with_a_float_rule, math.sin, domain=(-3.0, 3.0), order=2, raise_on_failure=False
        )
    assert "v.data" in str(info.value) and "math.exp(v)" in str(info.value)


def test_a_wrong_forward_fails_against_the_reference() -> None:
    report = check_op(lambda x: x.tanh(), math.sin, raise_on_failure=False)
    assert not report.passed and report.failure is not None
    assert report.failure.quantity == "f"
    assert "forward value disagrees with the reference" in report.message


def test_several_arguments_with_one_range_each() -> None:
    report = check_op(
        lambda x, w: x**w, lambda x, w: x**w, domain=[(0.5, 2.0), (-2.0, 2.0)], examples=20
    )
    assert report.passed
    assert check_op(lambda a, b: a * b - b, domain=(-5.0, 5.0), examples=20).passed
    assert check_op(lambda a, b: a / b, domain=[st.floats(-1, 1), positive_reals()]).passed


def test_a_wrong_partial_derivative_names_its_argument() -> None:
    wrong = define_op("wrong_partial", lambda a, b: a * b, lambda out, a, b: (b, b))
    report = check_op(wrong, domain=[(-2.0, 2.0), (-2.0, 2.0)], raise_on_failure=False)
    assert not report.passed and report.failure is not None
    assert report.failure.quantity == "df/db"
    assert "a = " in report.message and "b = " in report.message


def test_an_op_object_works_as_build() -> None:
    report = check_op(define_op("cube", lambda x: x**3, lambda out, x: (3 * x**2,)))
    assert report.passed and report.name == "cube"


def test_a_domain_that_reaches_outside_the_op_says_so() -> None:
    report = check_op(lambda x: x.log(), domain=(-1.0, 1.0), raise_on_failure=False)
    assert not report.passed and report.failure is None
    assert "log" in report.message and "x ± h and x ± 2h" in report.message


def test_kinks_inside_the_domain_are_skipped_not_failed() -> None:
    report = check_op(lambda x: x.relu(), domain=(-1.0, 1.0), examples=50)
    assert report.passed and report.examples == 50  # skipped inputs are not counted
    with pytest.raises(ValueError, match="kink"):
        check_op(lambda x: x.abs(), domain=st.just(0.0))


def test_the_same_seed_repeats_a_run() -> None:
    first = check_op(lambda x: x.tanh() * x, examples=10, seed=7)
    again = check_op(lambda x: x.tanh() * x, examples=10, seed=7)
    assert first.max_abs_error == again.max_abs_error


@pytest.mark.parametrize(
    ("options", "error", "fragment"),
    [
        ({"order": 3}, ValueError, "order"),
        ({"h": 0.0}, ValueError, "h must be"),
        ({"examples": 0}, ValueError, "examples"),
        ({"domain": (1.0, -1.0)}, ValueError, "low < high"),
        ({"domain": "reals"}, TypeError, "range or a hypothesis strategy"),
        ({"domain": [(0.0, 1.0), (0.0, 1.0)]}, ValueError, "one range or strategy per argument"),
    ],
)
def test_bad_arguments_say_what_to_fix(
    options: dict[str, object], error: type, fragment: str
) -> None:
    with pytest.raises(error, match=fragment):
        check_op(lambda x: x.tanh(), **options)  # type: ignore[arg-type]


def test_build_must_return_a_value() -> None:
    with pytest.raises(TypeError, match="must return a Value"):
        check_point(lambda x: 1.0, (0.5,))  # type: ignore[arg-type,return-value]


def test_check_point_has_one_comparison_per_number() -> None:
    comparisons = check_point(
        lambda x, y: x * y.exp(), (0.5, -1.0), reference=lambda x, y: x * math.exp(y), order=2
    )
    assert [c.quantity for c in comparisons] == [
        "f",
        "df/dx0",
        "df/dx1",
        "d2f/dx0dx0",
        "d2f/dx0dx1",
        "d2f/dx1dx0",
        "d2f/dx1dx1",
    ]
    assert all(c.passed for c in comparisons)


# --- check_rules --------------------------------------------------------------------------


def test_check_rules_prints_an_aligned_table() -> None:
    report = check_rules(examples=5, ops=["tanh", "**k", "dot"])
    names = [row.name for row in report.rows]
    assert names[0] == "tanh" and names[-1] == "dot" and "**2" in names and "**-1.5" in names
    assert report.passed
    lines = str(report).splitlines()
    table = lines[: len(report.rows) + 1]
    assert table[0].split() == [
        "op",
        "examples",
        "max",
        "abs",
        "error",
        "max",
        "rel",
        "error",
        "error/allowed",
        "result",
    ]
    assert len({len(line) for line in table}) == 1
    assert all(line.endswith("pass") for line in table[1:])
    assert lines[-1] == f"all {len(report.rows)} rules passed"


def test_check_rules_covers_the_whole_table_by_default() -> None:
    report = check_rules(examples=2)
    assert [row.name for row in report.rows] == [case.name for case in OP_TABLE]
    assert report.passed


def test_check_rules_calls_on_op_as_each_op_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a progress line needs: which op of how many is being checked, told before
    its check runs (one op with many examples takes seconds)."""
    events: list[tuple[object, ...]] = []
    real_check_op = rules.check_op

    def recorded_check_op(*args: Any, **kwargs: Any) -> CheckReport:
        events.append(("checked", kwargs["name"]))
        return real_check_op(*args, **kwargs)

    monkeypatch.setattr(rules, "check_op", recorded_check_op)
    report = check_rules(
        examples=3, ops=["exp", "**k"], seed=0,
        on_op=lambda number, total, name: events.append((number, total, name)),
    )  # fmt: skip
    names = [row.name for row in report.rows]
    expected: list[tuple[object, ...]] = []
    for number, name in enumerate(names, start=1):
        expected += [(number, len(names), name), ("checked", name)]
    assert names[0] == "exp" and len(names) == 1 + len(POWERS)
    assert events == expected
    monkeypatch.undo()
    assert str(report) == str(check_rules(examples=3, ops=["exp", "**k"], seed=0))


def test_check_rules_rejects_an_unknown_op_and_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="'sin'") as raised:
        check_rules(ops=["sin"])
    assert "tanh" in str(raised.value) and "**k" in str(raised.value)


def run_python(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=300
    )


def test_check_rules_reports_a_builtin_rule_broken_with_define_op_replace() -> None:
    """A teacher breaks tanh' = 1 - out**2 into 1 - out and reruns the property tests."""
    result = run_python(
        """
        import math, sys
        from tinygrad_edu import define_op
        from tinygrad_edu.testing import check_rules
        define_op("tanh", math.tanh, lambda out, x: (1 - out,), replace=True)
        report = check_rules(examples=20, seed=0)
        print(report)
        print("failed:", " ".join(row.name for row in report.rows if not row.passed))
        sys.exit(0 if report.passed else 1)
        """
    )
    assert result.returncode == 1, result.stderr
    assert "failed: tanh\n" in result.stdout
    assert "check_op(tanh) failed." in result.stdout
    assert f"1 of {len(OP_TABLE)} rules FAILED" in result.stdout


def test_check_op_works_without_pytest() -> None:
    result = run_python(
        """
        from tinygrad_edu import define_op
        from tinygrad_edu.testing import check_op
        square = define_op("square", lambda x: x * x, lambda out, x: (x,))
        check_op(square)
        """
    )
    assert result.returncode == 1
    assert "AssertionError" in result.stderr or "CheckFailed" in result.stderr
    assert "check_op(square) failed." in result.stderr and "x = 1.0" in result.stderr


def test_without_hypothesis_the_import_error_says_how_to_install_it() -> None:
    result = run_python(
        """
        import sys
        sys.modules["hypothesis"] = None  # as if it were not installed
        import tinygrad_edu
        from tinygrad_edu import Value
        from tinygrad_edu import *  # every exported name works without hypothesis
        assert (Value(2.0) * 3).data == 6.0
        assert "testing" in dir(tinygrad_edu)
        try:
            import tinygrad_edu.testing
        except ImportError as error:
            print(error)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "pip install 'tinygrad_edu[testing]'" in result.stdout


def test_value_strategies_build_values() -> None:
    from hypothesis import find

    from tinygrad_edu.testing import values

    found = find(values(positive_reals()), lambda v: v.data > 1.0, settings=settings(database=None))
    assert isinstance(found, Value) and found.data > 1.0


def test_check_and_rules_reports_show_as_escaped_html_tables_closest_to_failing_first() -> None:
    from tinygrad_edu.testing import check_op
    from tinygrad_edu.testing.checks import CheckReport
    from tinygrad_edu.testing.rules import RulesReport

    calm = CheckReport("tanh", True, 10, 1e-12, 1e-11, 0.1, None, None, "")
    close = CheckReport("<b>x</b>", False, 3, 1e-3, 1e-2, 4.0, None, None, "")
    table = RulesReport((calm, close)).html("pt")
    assert table.index("&lt;b&gt;x&lt;/b&gt;") < table.index("tanh")  # worst first, escaped
    assert "<b>" not in table and "falhou" in table.lower() and "operação" in table
    assert "error/allowed" in RulesReport((calm,)).html("en")
    report = check_op(Value.tanh, math.tanh, examples=5, raise_on_failure=False)
    assert report._repr_html_().count("<tr>") == 2  # heading and its one row
