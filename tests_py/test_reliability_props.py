"""Property tests: random sizes, connectors, delays, dt and inputs either run
or raise a brainsyn error, and NaN never passes silently with check_nan on.

A crash (segfault, Go panic) kills the pytest process, which fails the run.
"""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import brainsyn as bp

GOOD_CONN = [
    lambda: bp.connect.All2All(),
    lambda: bp.connect.All2All(include_self=False),
    lambda: bp.connect.FixedProb(0.3, seed=1),
    lambda: bp.connect.FixedPostNum(1, seed=2),
    lambda: bp.connect.FixedPreNum(0.5, seed=3),
]
BAD_CONN = [  # fail unless sizes happen to fit
    lambda: bp.connect.One2One(),
    lambda: bp.connect.FixedProb(1.5),
    lambda: bp.connect.FixedPostNum(100),
    lambda: bp.connect.GridFour(),
    lambda: bp.connect.GridEight(),
    lambda: bp.connect.GridN(N=3),
]
SYNAPSES = list(bp.synapses.REGISTRY)
numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6))


# Each parameter has valid values and hostile ones; an example corrupts at most
# one parameter (or none), so most examples get as far as running.
GOOD = {
    "pre_size": st.one_of(st.integers(1, 12), st.tuples(st.integers(1, 4), st.integers(1, 4))),
    "post_size": st.one_of(st.integers(1, 12), st.tuples(st.integers(1, 4), st.integers(1, 4))),
    "delay": st.floats(0, 3),
    "dt": st.sampled_from([0.1, 0.05, 0.025, 0.3, 1.0]),
    "duration": st.floats(0, 5),
    "layout": st.sampled_from(["auto", "synapse", "pre", "post"]),
    "value": st.floats(-50, 50),
    "op": st.sampled_from(["+", "-", "*", "/", "="]),
    "key": st.sampled_from(["input", "V"]),
    "every": st.one_of(st.none(), st.floats(0.05, 2)),
    "conn": st.sampled_from(GOOD_CONN),
}
BAD = {
    "pre_size": st.one_of(st.integers(-2, 0), st.tuples(st.integers(-1, 2), st.integers(-1, 0)), st.just(10**12)),
    "post_size": st.one_of(st.integers(-2, 0), st.just((2**40, 2**40))),
    "delay": st.one_of(numbers, st.lists(st.floats(-1, 1e12), max_size=4)),
    "conn": st.sampled_from(BAD_CONN),
    "dt": numbers,
    "duration": st.one_of(numbers, st.tuples(numbers, numbers), st.just(1e15)),
    "layout": st.text(max_size=5),
    "value": st.one_of(numbers, st.lists(numbers, max_size=7), st.just([[1.0, 2.0]] * 3)),
    "op": st.text(max_size=2),
    "key": st.sampled_from(["spike", "g", "nope", "refractory", "t_last_spike"]),
    "every": numbers,
}
PARAMS = list(GOOD)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), corrupt=st.sampled_from([None] * len(PARAMS) + PARAMS),
       model=st.sampled_from(SYNAPSES), check_nan=st.booleans())
def test_random_networks_run_or_raise(data, corrupt, model, check_nan):
    p = {k: data.draw(BAD[k] if k == corrupt else GOOD[k], label=k) for k in PARAMS}
    pre_size, post_size, delay, dt, duration = p["pre_size"], p["post_size"], p["delay"], p["dt"], p["duration"]
    layout, value, op, key, every, conn = p["layout"], p["value"], p["op"], p["key"], p["every"], p["conn"]
    bp.check_nan = check_nan
    try:
        bp.backend.set(dt=dt)
        pre = bp.neurons.LIF(pre_size, monitors=bp.Monitor(['V', 'spike'], every=every))
        post = bp.neurons.HH(post_size, monitors=['V'])
        cls = getattr(bp.synapses, model)
        kw = {} if model == "Gap_junction" else {"layout": layout}
        syn = cls(pre=pre, post=post, conn=conn(), delay=delay, **kw)
        net = bp.Network(pre, syn, post)
        net.run(duration, inputs=[(pre, key, value, op)])
    except bp.errors.BrainsynError as e:
        _outcomes["raised"] += 1
        _reasons.append(str(e)[:60])
        return
    finally:
        bp.backend.set(dt=0.1)
    assert pre.mon.V.shape[0] == len(pre.mon.V_t) and pre.mon.V.size == len(pre.mon.V_t) * pre.num
    # Rows at steps 0, k, 2k, ...; an interval too long to count in steps
    # (every / dt overflows) leaves the first row only.
    r = 1 if every is None else every / dt
    k = max(1, round(r)) if math.isfinite(r) else math.inf
    n = len(net.ts)
    assert len(pre.mon.V_t) == (0 if n == 0 else 1 + (n - 1) // k)
    _outcomes["ran"] += 1
    if check_nan:
        for obj in (pre, post):
            assert not np.isnan(obj.V).any(), f"NaN in {obj.name}.V with check_nan on"


_outcomes = {"ran": 0, "raised": 0}
_reasons = []


def test_random_networks_mostly_run():
    """The property test above is worth something only if many examples got
    as far as running (not just raising on the first argument)."""
    if _outcomes["ran"] + _outcomes["raised"] == 0:
        pytest.skip("run after test_random_networks_run_or_raise")
    assert _outcomes["ran"] >= 0.2 * (_outcomes["ran"] + _outcomes["raised"]), (_outcomes, _reasons[:20])


def test_nan_error_names_variable_index_and_step(bp):
    """An input of 1e308 drives HH's V to inf and then NaN: with check_nan on,
    the run stops with a NaNError naming object, variable, index and step."""
    bp.check_nan = True
    neu = bp.neurons.HH(3, name="hh")
    net = bp.Network(neu)
    with pytest.raises(bp.errors.NaNError) as e:
        net.run(5., inputs=(neu, 'input', np.array([0., 0., 1e308])))
    msg = str(e.value)
    assert "hh." in msg and "[2]" in msg and "at step" in msg, msg
    # The first step with NaN is named: the state before it had none.
    step = int(msg.split("at step ")[1].split()[0])
    assert 0 <= step < 50


def test_without_check_nan_the_nan_is_there(bp):
    """Control: the same run without check_nan finishes and leaves NaN, so the
    test above fails if checking is switched off."""
    bp.check_nan = False
    neu = bp.neurons.HH(3)
    net = bp.Network(neu)
    net.run(5., inputs=(neu, 'input', np.array([0., 0., 1e308])))
    assert np.isnan(neu.V[2]) and not np.isnan(neu.V[:2]).any()


def test_nan_in_lif_from_overflowing_inputs(bp):
    """Two inputs of 1e308 sum to inf; exponential Euler's inf - inf is NaN."""
    bp.check_nan = True
    neu = bp.neurons.LIF(3, method="exponential_euler", name="lif")
    with pytest.raises(bp.errors.NaNError, match=r"lif\.V\[1\] at step 0"):
        bp.Network(neu).run(1., inputs=[(neu, 'input', np.array([0., 1e308, 0.])), (neu, 'input', 1e308)])
