"""brainsyn against Brian2 reference traces (a peer simulator).

The traces in ``reference/brian2_traces.npz`` were made by
``reference/make_brian2_traces.py`` (Brian2, rk4 at dt = 0.005 ms, effects of
a spike at exactly t_s, samples every 0.1 ms holding the state at that time
after the spikes at that time). Brian2 is not needed here.

Timing alignment (BrainPy 1.0 step order, reference §1.2 and §4):
* SpikeTimeInput fires in step k_s = t_s/dt (all spike times are on the
  0.1 ms grid). The update at step k integrates from t_k = k·dt to t_k + dt,
  so monitor row k holds the state at time (k + 1)·dt.
* Transmitter pulses (AMPA, GABAa2, GABAb1/2) start in the spike step, so
  they cover [t_s, t_s + T_duration): no shift. NMDA adds x before
  integrating (x acts from t_s), and voltage jumps and spikelets are added
  to V before post integrates it: no shift either.
* Exponential models (AMPA1, GABAa1, Exponential) and the s/x models
  (Two_exponentials, Alpha) add the spike *after* integrating the step, so
  the kick lands at the end of step k_s, at t_s + dt: those traces are the
  reference shifted by one step, LAG = 1 (row k holds the state at k·dt).
Row k is therefore compared with the reference at (k + 1 − LAG)·dt. With
LAG = 1, s is exact in time but post V is integrated over the step that ends
at the kick with the kicked g (a first-order inconsistency of the discrete
step order), which is why AMPA1's V has the largest error below.
* Pulses: BrainPy tests t − t_last < T_duration in float64, which for some
  spike times lengthens a pulse by one step (e.g. 5.3 − 5.0 < 0.3 at
  dt = 0.01). This is BrainPy's convention, kept by brainsyn; the reference
  spike times were chosen where it does not occur at dt = 0.1 and 0.01.

Errors are measured as max |brainsyn − reference| over the trace, divided
by max |reference| for gating variables and conductances, and by the largest
synaptic deflection max |V_ref − V_ref(0)| for post V.
"""

import json
import os

import numpy as np
import pytest

import brainsyn as bp

HERE = os.path.dirname(os.path.abspath(__file__))
REF = np.load(os.path.join(HERE, "reference", "brian2_traces.npz"))
with open(os.path.join(HERE, "reference", "brian2_traces.json")) as f:
    META = json.load(f)
T_REC = META["record_dt_ms"]

# Models that add the spike after integrating the step (see module docstring).
LAG = {"AMPA1": 1, "GABAa1": 1, "Exponential": 1, "Two_exponentials": 1, "Alpha": 1}

# Tolerances (relative, see module docstring) for
#   coarse: dt = 0.1 with the models' default methods and LIF euler;
#   fine:   dt = 0.01, synapse method rk4, LIF exponential_euler.
# Gating variables, s and g:
# * exponential_euler at dt = 0.1 is exact for the exponential models and
#   for the Markov models (linear, [T] constant over each step, pulse edges
#   on the grid): only rounding remains (seen: < 1e-12) -> 1e-9.
# * euler (NMDA, GABAb1/2, Two_exponentials, Alpha) is first order: the
#   error is ~ dt/(2·tau_fast), 2.5 % for tau_rise = tau = 2 ms, 5 % for
#   tau1 = 1 ms; for GABA_B the rates are slow but s = G^4/(G^4 + kd) makes
#   G's error 4 times larger (seen: 0.9-3.5 %) -> 5 %.
# * rk4 at dt = 0.01: global error ~ (dt/tau_fast)^4 = 1e-8 for tau_fast = 1
#   ms (seen: < 1e-10; the reference itself is rk4 at dt = 0.005) -> 1e-8.
# Post V: the LIF update is first order in both methods (the synaptic input
# of a step uses V at the step's start and g at the step's end), so the error
# is bounded by ~ dt/tau_fast with tau_fast = 1 ms the fastest synaptic time
# scale -> dt/1 ms: 10 % at dt = 0.1 and 1 % at dt = 0.01 (seen: up to 5 %
# and 0.5 % for AMPA1, whose g decays with tau = 2 ms).
# A parameter off by 10 % (e.g. a wrong tau) changes s by ~10 %, far above
# the fine tolerances (test_a_wrong_parameter_is_detected).
EXACT, EULER, RK4 = 1e-9, 0.05, 1e-8
V_COARSE, V_FINE = 0.1, 0.01
TOL = {
    # model: (gates coarse, V coarse, gates fine, V fine)
    "AMPA": (EXACT, V_COARSE, RK4, V_FINE),
    "AMPA1": (EXACT, V_COARSE, RK4, V_FINE),
    "NMDA": (EULER, V_COARSE, RK4, V_FINE),
    "GABAa1": (EXACT, V_COARSE, RK4, V_FINE),
    "GABAa2": (EXACT, V_COARSE, RK4, V_FINE),
    "GABAb1": (EULER, V_COARSE, RK4, V_FINE),
    "GABAb2": (EULER, V_COARSE, RK4, V_FINE),
    "Exponential": (EXACT, V_COARSE, RK4, V_FINE),
    "Two_exponentials": (EULER, V_COARSE, RK4, V_FINE),
    "Alpha": (EULER, V_COARSE, RK4, V_FINE),
    # Only the LIF decay after each jump: euler's error is ~ dt/(2·tau_m) =
    # 0.5 % (seen 0.26 %); exponential Euler is exact for the constant bias
    # and the jumps land on the grid (seen 5e-14).
    "Voltage_jump": (None, 0.01, None, 1e-9),
}
# Variables that jump at spike instants with LAG = 0 (see _off_spikes).
JUMPS = {"NMDA": ("x",), "Voltage_jump": ("V",), "Gap_spikelet": ("V",)}
# Brainsyn variable names of the per-presynaptic state.
STATE = {k: META["models"][k].get("state_vars", []) for k in TOL}


def _spikes(meta):
    times, idx = [], []
    for q, ts in meta["spikes"].items():
        times += ts
        idx += [int(q)] * len(ts)
    return times, idx


def _rows(n_ref, dt, nsteps, lag):
    """Monitor rows k and reference indices j with (k + 1 − lag)·dt = j·T_REC."""
    r = int(round(T_REC / dt))
    j = np.arange(n_ref)
    k = j * r - 1 + lag
    ok = (k >= 0) & (k < nsteps)
    return k[ok], j[ok]


def _err(a, ref, scale=None):
    scale = np.max(np.abs(ref)) if scale is None else scale
    assert scale > 0
    return float(np.max(np.abs(a - ref)) / scale)


def _ref(name, var):
    return REF[f"{name}__{var}"]


def _run(net, duration, dt, inputs):
    old = bp.backend.get_dt()
    bp.backend.set_dt(dt)
    try:
        net.run(duration, inputs=inputs)
    finally:
        bp.backend.set_dt(old)


def run_chemical(name, dt, method=None, lif_method=None, **params):
    m = META["models"][name]
    n_pre, n_post = META["n_pre"], META["n_post"]
    times, idx = _spikes(m)
    pre = bp.neurons.SpikeTimeInput(n_pre, times, idx)
    kw = {} if lif_method is None else {"method": lif_method}
    post = bp.neurons.LIF(n_post, V_th=1e9, monitors=["V"], **kw)  # never spikes
    post.V = np.array(m["V0"], dtype=float)
    mons = ["s"] + [v for v in STATE[name] if v != "s"]
    skw = dict(params) if method is None else dict(params, method=method)
    syn = getattr(bp.synapses, name)(pre=pre, post=post, conn=bp.connect.All2All(), monitors=mons, **skw)
    net = bp.Network(pre, syn, post)
    _run(net, m["duration"], dt, (post, "input", np.array(m["bias"], dtype=float)))
    # Every synapse is checked against its presynaptic neuron's reference
    # state; g of post j sums weight·s over the synapses onto j.
    pre_ids, post_ids = syn.pre_ids, syn.post_ids
    out = {v: getattr(syn.mon, v) for v in mons}
    out["pre_ids"] = pre_ids
    if m["output"] in ("conductance", "current"):
        weight = syn.g_max if m["output"] == "conductance" else syn.w
        out["g"] = np.stack([weight * out["s"][:, post_ids == j].sum(axis=1) for j in range(n_post)], axis=1)
    out["V"] = post.mon.V
    return out


def _off_spikes(name, k, j, var):
    """Drop the samples at spike instants for a variable that jumps there.

    With LAG = 0 a jump made at the start of step k_s (NMDA's x, voltage jumps,
    spikelets) first shows in row k_s, i.e. at (k_s + 1)·dt; row k_s − 1 holds
    the value just before the jump at t_s, the reference the value just after.
    """
    if var not in JUMPS.get(name, ()):
        return k, j
    ts = [t for q in META["models"][name]["spikes"].values() for t in q]
    at = np.isin(j, np.round(np.array(ts) / T_REC).astype(int))
    return k[~at], j[~at]


def compare(name, out, dt):
    """Relative errors of each variable against the reference."""
    m = META["models"][name]
    n_ref = len(_ref(name, "t"))
    k0, j0 = _rows(n_ref, dt, out["V"].shape[0], LAG.get(name, 0))
    errs = {}
    for v in STATE[name] + (["g"] if "g" in out else []):
        k, j = _off_spikes(name, k0, j0, v)
        ref = _ref(name, v)[j]
        if v != "g":  # per presynaptic neuron -> per synapse
            ref = ref[:, out["pre_ids"]]
        errs[v] = _err(out[v][k], ref)
    k, j = _off_spikes(name, k0, j0, "V")
    vref = _ref(name, "V")
    # GABAb2's default s stays ~1e-11, so V does not move: the 1e-6 mV floor
    # keeps the ratio defined (the error is then ~0 / 1e-6).
    errs["V"] = _err(out["V"][k], vref[j], scale=max(np.max(np.abs(vref - np.array(m["V0"]))), 1e-6))
    return errs


def run_gap(dt, lif_method=None):
    """Current-only gap junction, pre LIF with constant inputs (one-to-one)."""
    m = META["models"]["Gap_junction"]
    kw = {} if lif_method is None else {"method": lif_method}
    pre = bp.neurons.LIF(META["n_post"], V_th=1e9, monitors=["V"], **kw)
    post = bp.neurons.LIF(META["n_post"], V_th=1e9, monitors=["V"], **kw)
    gap = bp.synapses.Gap_junction(pre=pre, post=post, conn=bp.connect.One2One(), k_spikelet=0.0)
    net = bp.Network(pre, gap, post)
    _run(net, m["duration"], dt, (pre, "input", np.array(m["pre_input"], dtype=float)))
    return {"Vpre": pre.mon.V, "V": post.mon.V}


def run_spikelet(dt, lif_method=None):
    """Gap junction with default spikelets; pre V stays 0 (SpikeTimeInput)."""
    m = META["models"]["Gap_spikelet"]
    times, idx = _spikes(m)
    pre = bp.neurons.SpikeTimeInput(META["n_post"], times, idx)
    kw = {} if lif_method is None else {"method": lif_method}
    post = bp.neurons.LIF(META["n_post"], V_th=1e9, monitors=["V"], **kw)
    post.V = np.array(m["V0"], dtype=float)
    gap = bp.synapses.Gap_junction(pre=pre, post=post, conn=bp.connect.One2One())
    net = bp.Network(pre, gap, post)
    _run(net, m["duration"], dt, (post, "input", np.array(m["bias"], dtype=float)))
    return {"V": post.mon.V}


def compare_gap(name, out, dt):
    m = META["models"][name]
    n_ref = len(_ref(name, "t"))
    k0, j0 = _rows(n_ref, dt, out["V"].shape[0], 0)
    errs = {}
    for v in out:
        k, j = _off_spikes(name, k0, j0, v)
        ref = _ref(name, v)
        errs[v] = _err(out[v][k], ref[j], scale=np.max(np.abs(ref - ref[0])))
    return errs


def _check(errs, tol_gate, tol_v):
    bad = {v: e for v, e in errs.items() if e > (tol_v if v in ("V", "Vpre") else tol_gate)}
    assert not bad, f"relative errors {errs} exceed tolerances (gates {tol_gate}, V {tol_v})"


@pytest.mark.parametrize("name", list(TOL))
def test_coarse_default_methods(name):
    tg, tv, _, _ = TOL[name]
    _check(compare(name, run_chemical(name, 0.1), 0.1), tg, tv)


@pytest.mark.parametrize("name", list(TOL))
def test_fine_rk4(name):
    _, _, tg, tv = TOL[name]
    kw = {} if name == "Voltage_jump" else {"method": "rk4"}
    _check(compare(name, run_chemical(name, 0.01, lif_method="exponential_euler", **kw), 0.01), tg, tv)


# Gap junction tolerances, relative to the largest change of V: LIF is first
# order and the gap current w (V_pre - V) is held over the step, error ~
# dt/(2·tau_eff) with tau_eff = tau/(1 + w) = 5 ms: 1 % at dt = 0.1, 0.1 % at
# dt = 0.01 (seen: 0.84 % and 0.085 %) -> twice that.
TOL_GAP = {"coarse": 0.02, "fine": 0.002}


@pytest.mark.parametrize("dt,lif_method", [(0.1, None), (0.01, "exponential_euler")])
def test_gap_junction_current(dt, lif_method):
    tol = TOL_GAP["coarse" if dt == 0.1 else "fine"]
    errs = compare_gap("Gap_junction", run_gap(dt, lif_method), dt)
    assert max(errs.values()) < tol, errs


@pytest.mark.parametrize("dt,lif_method", [(0.1, None), (0.01, "exponential_euler")])
def test_gap_junction_spikelet(dt, lif_method):
    tol = TOL_GAP["coarse" if dt == 0.1 else "fine"]
    errs = compare_gap("Gap_spikelet", run_spikelet(dt, lif_method), dt)
    assert max(errs.values()) < tol, errs


@pytest.mark.parametrize("name,param,value", [("AMPA1", "tau", 2.2), ("NMDA", "tau_rise", 2.2),
                                              ("AMPA", "T_duration", 0.6), ("Alpha", "tau", 2.2)])
def test_a_wrong_parameter_is_detected(name, param, value):
    # The comparison must be able to fail: a parameter off by 10-20 % exceeds
    # the fine tolerance by orders of magnitude.
    errs = compare(name, run_chemical(name, 0.01, method="rk4", lif_method="exponential_euler", **{param: value}), 0.01)
    assert errs["s"] > 100 * TOL[name][2], errs


@pytest.mark.parametrize("name,layout", [(n, "synapse") for n in TOL if n != "Voltage_jump"] +
                         [(n, "post") for n in ("AMPA1", "GABAa1", "Exponential", "Two_exponentials", "Alpha")])
def test_other_layouts(name, layout):
    # The state layouts must all follow the same reference (coarse tolerances).
    tg, tv, _, _ = TOL[name]
    _check(compare(name, run_chemical(name, 0.1, layout=layout), 0.1), tg, tv)
