"""Plasticity models (STP, STDP) through the Python API: Brian2 reference
traces, the BrainPy 1.0 interface (monitors, per-synapse weights,
checkpoints) and errors.

The traces in ``reference/brian2_plasticity.npz`` were made by
``reference/make_brian2_plasticity.py`` (Brian2, method 'exact' at
dt = 0.005 ms, a spike's effect at exactly t_s, samples every 0.1 ms
holding the state at t after the spikes at t). Both models apply a spike
after integrating the step, so monitor row k holds the state at k·dt (the
``LAG = 1`` of test_brian2_reference.py). Errors are max |brainsyn − Brian2|
over the trace divided by max |Brian2|; the state between spikes is
integrated exactly in both (exponential Euler of linear/affine decays), so
what remains is rounding (seen < 1e-12); the tolerance is the 1 % of the
task, and a wrong time constant breaks it (test_a_wrong_parameter_is_seen).
"""

import json
import os

import numpy as np
import pytest

import brainsyn as bp

HERE = os.path.dirname(os.path.abspath(__file__))
REF = np.load(os.path.join(HERE, "reference", "brian2_plasticity.npz"))
with open(os.path.join(HERE, "reference", "brian2_plasticity.json")) as f:
    META = json.load(f)
T_REC = META["record_dt_ms"]
TOL = 0.01


def _err(a, ref):
    return float(np.max(np.abs(a - ref)) / np.max(np.abs(ref)))


def _rows(n_ref, dt, nsteps):
    """Monitor rows k and reference samples j with k·dt = j·T_REC."""
    r = int(round(T_REC / dt))
    j = np.arange(n_ref)
    k = j * r
    ok = k < nsteps
    return k[ok], j[ok]


def run_stp(dt=0.1, scale_tau_d=1.0):
    m = META["STP"]
    out = {}
    for q, p in enumerate(m["synapses"]):
        pre = bp.neurons.SpikeTimeInput(1, m["spikes"], [0] * len(m["spikes"]))
        post = bp.neurons.LIF(1, V_th=1e9)
        syn = bp.synapses.STP(pre, post, bp.connect.One2One(), U=p["U"], tau_f=p["tau_f"],
                              tau_d=p["tau_d"] * scale_tau_d, tau=p["tau"], monitors=["u", "x", "s"])
        old = bp.backend.get_dt()
        bp.backend.set_dt(dt)
        try:
            bp.Network(pre, syn, post).run(m["duration"])
        finally:
            bp.backend.set_dt(old)
        for v in ("u", "x", "s"):
            out.setdefault(v, []).append(getattr(syn.mon, v)[:, 0])
    return {v: np.stack(x, axis=1) for v, x in out.items()}


@pytest.mark.parametrize("dt", [0.1, 0.05])
def test_stp_matches_brian2(dt):
    got = run_stp(dt)
    for v in ("u", "x", "s"):
        ref = REF[f"STP__{v}"]
        k, j = _rows(ref.shape[0], dt, got[v].shape[0])
        err = _err(got[v][k], ref[j])
        assert err < TOL, f"STP {v}: error {err:.3g} of peak"
        assert err < 1e-9, f"STP {v}: error {err:.3g} of peak (both are exact between spikes)"


def test_a_wrong_parameter_is_seen():
    got = run_stp(0.1, scale_tau_d=1.1)
    ref = REF["STP__x"]
    k, j = _rows(ref.shape[0], 0.1, got["x"].shape[0])
    assert _err(got["x"][k], ref[j]) > TOL


def run_stdp(dt=0.1, **over):
    m = META["STDP"]
    n = len(m["w0"])
    flat = lambda d: ([t for q in sorted(d, key=int) for t in d[q]],  # noqa: E731
                      [int(q) for q in sorted(d, key=int) for _ in d[q]])
    pre = bp.neurons.SpikeTimeInput(n, *flat(m["pre"]))
    post = bp.neurons.SpikeTimeInput(n, *flat(m["post"]))
    params = {**m["params"], **over}
    syn = bp.synapses.STDP(pre, post, bp.connect.One2One(), w=np.array(m["w0"]), monitors=["w", "s", "A_s", "A_t"],
                           **params)
    old = bp.backend.get_dt()
    bp.backend.set_dt(dt)
    try:
        bp.Network(pre, post, syn).run(m["duration"])
    finally:
        bp.backend.set_dt(old)
    return syn


@pytest.mark.parametrize("dt", [0.1, 0.05])
def test_stdp_matches_brian2(dt):
    syn = run_stdp(dt)
    for v in ("w", "s", "A_s", "A_t"):
        ref = REF[f"STDP__{v}"]
        got = getattr(syn.mon, v)
        k, j = _rows(ref.shape[0], dt, got.shape[0])
        err = _err(got[k], ref[j])
        assert err < TOL, f"STDP {v}: error {err:.3g} of peak"
        assert err < 1e-9, f"STDP {v}: error {err:.3g} of peak (both are exact between spikes)"
    w = syn.mon.w[-1]
    w0 = META["STDP"]["w0"]
    assert w[0] > w0[0] and w[1] < w0[1] and w[2] == META["STDP"]["params"]["w_max"]


def test_stdp_weights_are_engine_views_and_checkpoint(tmp_path):
    def build():
        pre = bp.neurons.PoissonInput(20, freqs=40., seed=2)
        post = bp.neurons.LIF(8, monitors=["spike"])
        syn = bp.synapses.STDP(pre, post, bp.connect.FixedProb(0.5, seed=3), delta_A_s=0.05, delta_A_t=0.06,
                               w_max=2., w=0.8)
        return pre, post, syn, bp.Network(pre, syn, post)

    pre, post, syn, net = build()
    assert syn.layout == "synapse"
    net.run(100., inputs=(post, "input", 25.))
    w_mid = np.array(syn.w)
    assert np.any(w_mid > 0.8) and np.any(w_mid < 0.8)
    path = tmp_path / "stdp.npz"
    bp.save_state(net, path)
    net.run(100., inputs=(post, "input", 25.))
    want = np.array(syn.w)

    pre2, post2, syn2, net2 = build()
    bp.load_state(net2, path)
    np.testing.assert_array_equal(np.array(syn2.w), w_mid)
    net2.run(100., inputs=(post2, "input", 25.))
    np.testing.assert_array_equal(np.array(syn2.w), want)


def test_stp_layout_pre_equals_synapse():
    def run(layout):
        pre = bp.neurons.PoissonInput(10, freqs=30., seed=1)
        post = bp.neurons.LIF(5, monitors=["V"])
        syn = bp.synapses.STP(pre, post, bp.connect.FixedProb(0.5, seed=2), layout=layout, w=5.,
                              monitors=["u", "x", "s"])
        bp.Network(pre, syn, post).run(200., inputs=(post, "input", 15.))
        return post.mon.V, syn.mon.u, syn.mon.x, syn.mon.s

    a, b = run("synapse"), run("pre")
    for x, y in zip(a, b):  # the same up to the order of sums per post neuron
        np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-12 * np.abs(y).max())


def test_bad_input_names_the_problem():
    pre, post = bp.neurons.LIF(2), bp.neurons.LIF(2)
    with pytest.raises(ValueError, match="U must be in"):
        bp.synapses.STP(pre, post, bp.connect.All2All(), U=1.5)
    with pytest.raises(ValueError, match="tau_f must be > 0"):
        bp.synapses.STP(pre, post, bp.connect.All2All(), tau_f=0.)
    with pytest.raises(ValueError, match="w_min must be <= w_max"):
        bp.synapses.STDP(pre, post, bp.connect.All2All(), w_min=1., w_max=0.)
    with pytest.raises(ValueError, match="layout must be 'synapse'"):
        bp.synapses.STDP(pre, post, bp.connect.All2All(), layout="pre")
    with pytest.raises(ValueError, match="no conductance output"):
        bp.synapses.STDP(pre, post, bp.connect.All2All(), output="conductance")
    with pytest.raises(ValueError):
        bp.synapses.STP(pre, post, bp.connect.All2All(), layout="post")


def test_stdp_aliases():
    """The issue's names are primary; BrainModels' names are aliases that
    build the same synapse, and giving both is a TypeError naming both."""
    a = run_stdp(0.1)  # META's parameters use BrainModels' names
    m = META["STDP"]["params"]
    primary = dict(tau=m["tau"], tau_pre=m["tau_s"], tau_post=m["tau_t"], A_pre=m["delta_A_s"],
                   A_post=m["delta_A_t"], w_min=m["w_min"], w_max=m["w_max"])
    n = len(META["STDP"]["w0"])
    flat = lambda d: ([t for q in sorted(d, key=int) for t in d[q]],  # noqa: E731
                      [int(q) for q in sorted(d, key=int) for _ in d[q]])
    pre = bp.neurons.SpikeTimeInput(n, *flat(META["STDP"]["pre"]))
    post = bp.neurons.SpikeTimeInput(n, *flat(META["STDP"]["post"]))
    b = bp.synapses.STDP(pre, post, bp.connect.One2One(), w=np.array(META["STDP"]["w0"]), monitors=["w", "A_t"],
                         **primary)
    bp.Network(pre, post, b).run(META["STDP"]["duration"])
    np.testing.assert_array_equal(b.mon.w, a.mon.w)
    np.testing.assert_array_equal(b.mon.A_t, a.mon.A_t)
    assert b.A_pre == m["delta_A_s"] and b.delta_A_s == m["delta_A_s"] and b.tau_t == m["tau_t"]
    assert "A_pre" in bp.synapses.STDP.__doc__ and "delta_A_s" in bp.synapses.STDP.__doc__
    lif = bp.neurons.LIF(2)
    with pytest.raises(TypeError, match="'A_post' and its alias 'delta_A_t'"):
        bp.synapses.STDP(lif, lif, bp.connect.All2All(), A_post=0.1, delta_A_t=0.1)
    with pytest.raises(TypeError, match="'tau_pre' and its alias 'tau_s'"):
        bp.synapses.STDP(lif, lif, bp.connect.All2All(), tau_s=5., tau_pre=5.)
