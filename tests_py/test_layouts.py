"""Layout equivalence through the Python API: every chemical model gives the
same post V and the same ``syn.mon.s`` with layout 'synapse' (one state per
synapse, BrainPy's way) as with 'pre', 'post' (linear models) and 'auto',
with per-synapse weights and scalar or per-synapse delays."""

import numpy as np
import pytest

import brainsyn as bp

# Every registered chemical model, with the layouts it allows ('post' for
# linear kinetics; only 'synapse' for STDP, whose weights change per synapse).
MODELS = [n for n, m in bp.synapses.REGISTRY.items() if m["chemical"]]
LINEAR = {n for n, m in bp.synapses.REGISTRY.items() if m["linear"]}
LAYOUTS = {n: m["layouts"] for n, m in bp.synapses.REGISTRY.items() if m["chemical"]}


def run(model, layout, delay_kind):
    rng = np.random.default_rng(0)
    pre = bp.neurons.PoissonInput(20, freqs=60., seed=4)
    post = bp.neurons.LIF(15, monitors=['V'])
    conn = bp.connect.FixedProb(0.3, seed=9)
    cls = getattr(bp.synapses, model)
    probe = cls(pre=pre, post=post, conn=conn)  # only for the synapse count and defaults
    n = probe.size
    kw = {}
    vj_w = rng.uniform(0.5, 1.5, n)  # drawn for every model, so the delays below stay the same
    if model == "Voltage_jump":
        pass
    elif probe.output == "current":
        kw["w"] = probe.w[0] * rng.uniform(0.5, 1.5, n)
    else:
        scale = 1e5 if model == "GABAb1" else 1.0  # GABA_B s is ~1e-7: make it visible
        kw["g_max"] = probe.g_max * scale * rng.uniform(0.5, 1.5, n)
    if model == "GABAb2":
        kw["kd"] = 1e-10  # G stays ~1e-3, so with kd = 100 s would be ~1e-12
    delay = {"none": 0.0, "scalar": 1.3, "per-synapse": np.round(rng.uniform(0, 3, n), 1)}[delay_kind]
    syn = cls(pre=pre, post=post, conn=conn, monitors=['s'], layout=layout, delay=delay, **kw)
    if model == "Voltage_jump":
        syn.w = vj_w  # per-synapse jumps [mV], set through the engine view
    net = bp.Network(pre, syn, post)
    net.run(60., inputs=(post, 'input', 15.))
    return post.mon.V, syn.mon.s, syn.layout


@pytest.mark.parametrize("delay_kind", ["none", "scalar", "per-synapse"])
@pytest.mark.parametrize("model", MODELS)
def test_layouts_agree(model, delay_kind):
    v_ref, s_ref, _ = run(model, "synapse", delay_kind)
    # Euler of τV' = −V + 15 from 0 without synapses: V_n = 15·(1 − 0.99^(n+1)).
    free = 15 * (1 - 0.99 ** np.arange(1, v_ref.shape[0] + 1))
    assert np.abs(v_ref - free[:, None]).max() > 0.05, "the synapses do not reach the post neurons"
    layouts = [x for x in LAYOUTS[model] if x != "synapse"] + ["auto"]
    for layout in layouts:
        v, s, used = run(model, layout, delay_kind)
        np.testing.assert_allclose(v, v_ref, rtol=1e-12, atol=1e-12 * np.abs(v_ref).max(), err_msg=used)
        np.testing.assert_allclose(s, s_ref, rtol=1e-12, atol=1e-12 * np.abs(s_ref).max(), err_msg=used)


def test_post_layout_needs_linear_kinetics():
    pre, post = bp.neurons.LIF(2), bp.neurons.LIF(2)
    with pytest.raises(ValueError):
        bp.synapses.AMPA(pre=pre, post=post, conn=bp.connect.All2All(), layout='post')
    assert bp.synapses.Exponential(pre=pre, post=post, conn=bp.connect.All2All()).layout == 'post'


def test_quiet_input_same_as_read_input():
    """COBA-like groups whose only input is a constant stop reading ``input``
    after the first step; the run must equal one where a second input (of 0)
    keeps them reading it, with a value set before the run counted once."""
    def run(extra, pre=True):
        rng = np.random.default_rng(3)
        pars = dict(V_rest=-60., V_reset=-60., V_th=-50., tau=20., t_refractory=5.)
        E = bp.neurons.LIF(320, monitors=['V'], **pars)
        I = bp.neurons.LIF(80, **pars)
        E.V = rng.normal(-55., 5., 320)
        I.V = rng.normal(-55., 5., 80)
        exc = dict(output='conductance', g_max=0.6, E=0., tau=5.)
        inh = dict(output='conductance', g_max=6.7, E=-80., tau=10.)
        syns = [bp.synapses.Exponential(E, E, bp.connect.FixedProb(0.1, seed=1), **exc),
                bp.synapses.Exponential(I, E, bp.connect.FixedProb(0.1, seed=2), **inh)]
        if pre:
            E.input[::7] = 4.
        inputs = [(E, 'input', 20.), (I, 'input', 20.)]
        if extra:
            inputs.append((E, 'input', 0.))
        bp.Network(E, I, *syns).run(50., inputs=inputs)
        return E.mon.V, np.array(E.input)

    quiet_v, quiet_in = run(False)
    read_v, read_in = run(True)
    assert np.array_equal(quiet_v, read_v)
    assert not quiet_in.any() and not read_in.any()
    # the value set before the run counts in the first step, and only there
    none_v, _ = run(False, pre=False)
    assert (quiet_v[0, ::7] != none_v[0, ::7]).any()
    assert np.array_equal(quiet_v[0, 1::7], none_v[0, 1::7])
