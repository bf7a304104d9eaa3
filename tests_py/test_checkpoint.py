"""Saving and restoring the full network state; monitor export."""

import numpy as np
import pytest


def _build(bp, layout="pre", n_e=10):
    # Delays leave spikes in flight at the save point; PoissonInput draws
    # depend on the step counter; t_refractory=2 makes t_last_spike matter.
    src = bp.inputs.PoissonInput(20, freqs=200., seed=3, name="src", monitors=["spike"])
    kick = bp.inputs.SpikeTimeInput(1, times=[49.6], indices=[0], name="kick")
    e = bp.neurons.LIF(n_e, monitors=["V", "spike"], name="E", t_refractory=2.)
    s1 = bp.synapses.AMPA(src, e, bp.connect.FixedProb(0.5, seed=1), delay=1.3, monitors=["s"], name="syn",
                          g_max=0.05, E=60., layout=layout)
    s2 = bp.synapses.Exponential(e, e, bp.connect.All2All(), delay=2.0, name="rec", layout="post")
    # A spike at 49.6 ms with a 3 ms delay is still in the delay line at 50 ms.
    s3 = bp.synapses.Voltage_jump(kick, e, bp.connect.All2All(), delay=3.0, name="late", weight=5.)
    g = bp.synapses.Gap_junction(e, e, bp.connect.One2One(), delay=0.5, k_spikelet=2., name="gap")
    return bp.Network(src, kick, s1, s2, s3, g, e)


def _second_half(net):
    net.run((50., 100.), inputs=(net.E, "input", 30.))


@pytest.mark.parametrize("layout", ["pre", "synapse"])
def test_restored_network_continues_bit_identically(bp, tmp_path, layout):
    a = _build(bp, layout)
    a.run(50., inputs=(a.E, "input", 30.))
    first_src = a.src.mon.spike.copy()
    _second_half(a)
    b = _build(bp, layout)
    b.run(50., inputs=(b.E, "input", 30.))
    path = tmp_path / "state.npz"
    b.save_state(path)
    c = _build(bp, layout)
    c.load_state(path)
    _second_half(c)
    for obj, var in (("E", "V"), ("E", "spike"), ("syn", "s"), ("src", "spike")):
        x, y = getattr(getattr(a, obj).mon, var), getattr(getattr(c, obj).mon, var)
        assert x.shape == y.shape == (500,) + x.shape[1:]
        assert np.array_equal(x, y), f"{obj}.{var} differs after restore"
    assert a.E.mon.spike.sum() > 10
    # The Poisson stream continues (it does not restart at step 0) ...
    assert not np.array_equal(a.src.mon.spike, first_src)
    # ... and the kick delivered after the restore comes from the saved delay line:
    # 49.6 ms + 3 ms → E.V jumps by 5 mV at 52.6 ms in both.
    jumps = np.diff(c.E.mon.V, axis=0).max(axis=1)
    assert np.argmax(jumps) + 1 == int(round((52.6 - 50.) / 0.1)) and jumps.max() > 4
    assert np.array_equal(c.ts, a.ts)


def test_without_restore_the_continuation_differs(bp, tmp_path):
    # Guards the test above: a fresh network does not reproduce the second half.
    a = _build(bp)
    a.run(50., inputs=(a.E, "input", 30.))
    _second_half(a)
    d = _build(bp)
    _second_half(d)
    assert not np.array_equal(a.E.mon.V, d.E.mon.V)
    assert not np.array_equal(a.src.mon.spike, d.src.mon.spike)


def test_file_holds_every_object_by_name(bp, tmp_path):
    net = _build(bp)
    net.run(5., inputs=(net.E, "input", 30.))
    net.save_state(tmp_path / "s.npz")
    f = np.load(tmp_path / "s.npz")
    for name in ("src", "kick", "syn", "rec", "late", "gap", "E"):
        assert f"state/{name}" in f.files
    assert np.array_equal(f["var/E/V"], net.E.V)
    assert np.array_equal(f["var/E/t_last_spike"], net.E.t_last_spike)


def test_load_checks_structure(bp, tmp_path):
    net = _build(bp)
    net.run(5., inputs=(net.E, "input", 30.))
    path = tmp_path / "s.npz"
    bp.save_state(net, path)
    other = _build(bp, n_e=11)
    with pytest.raises(bp.errors.BrainsynValueError, match=r"object 'syn' does not match.*size 99 vs 107"):
        bp.load_state(other, path)
    fewer = bp.Network(bp.neurons.LIF(3, name="E"))
    with pytest.raises(bp.errors.BrainsynValueError, match="the network has 1 objects"):
        fewer.load_state(path)
    bp.backend.set(dt=0.05)
    with pytest.raises(bp.errors.BrainsynValueError, match=r"saved with dt = 0.1 ms but dt is now 0.05"):
        _build(bp).load_state(path)
    bp.backend.set(dt=0.1)
    np.savez(tmp_path / "junk.npz", x=np.zeros(3))
    with pytest.raises(bp.errors.BrainsynValueError, match="not a brainsyn state file"):
        _build(bp).load_state(tmp_path / "junk.npz")


def test_a_file_that_cannot_be_loaded_leaves_the_network_as_it_was(bp, tmp_path):
    from brainsyn import _native
    a = _build(bp)
    a.run(20., inputs=(a.E, "input", 30.))
    path = tmp_path / "s.npz"
    bp.save_state(a, path)
    net = _build(bp)
    net.run(7., inputs=(net.E, "input", 30.))
    natives = [o for o in net._objs if o._is_native()]
    before = [_native.call("SaveState", o._native_handle()) for o in natives]
    ts = net.ts.copy()
    files = dict(np.load(path))
    # Objects are loaded in order: corrupt the last one's state, so that
    # the others are loaded first and must be put back.
    last = f"state/{natives[-1].name}"
    files[last] = files[last][:-3]
    np.savez(tmp_path / "bad.npz", **files)
    with pytest.raises(bp.errors.BrainsynValueError, match="truncated or corrupt"):
        net.load_state(tmp_path / "bad.npz")
    assert [_native.call("SaveState", o._native_handle()) for o in natives] == before
    assert net.ts.tobytes() == ts.tobytes()
    # Files that are not state files at all.
    (tmp_path / "text.npz").write_bytes(b"not an archive")
    with pytest.raises(bp.errors.BrainsynValueError, match="not a brainsyn state file \\(not an .npz archive\\)"):
        net.load_state(tmp_path / "text.npz")
    files = dict(np.load(path))
    files["__meta__"] = np.array("{not json")
    np.savez(tmp_path / "meta.npz", **files)
    with pytest.raises(bp.errors.BrainsynValueError, match="no readable __meta__ entry"):
        net.load_state(tmp_path / "meta.npz")


def test_engine_rejects_a_state_of_another_model(bp):
    from brainsyn import _native
    a = bp.neurons.LIF(3)
    h = bp.neurons.HH(3)
    blob = _native.call("SaveState", a._native_handle())
    with pytest.raises(bp.errors.BrainsynValueError, match='HH: saved state has "LIF" where "HH" was expected'):
        _native.call("LoadState", h._native_handle(), blob)
    b = bp.neurons.LIF(4)
    with pytest.raises(bp.errors.BrainsynValueError, match="has 3 elements, this object has 4"):
        _native.call("LoadState", b._native_handle(), blob)


def test_monitor_export_npz_and_dataframe(bp, tmp_path):
    pd = pytest.importorskip("pandas")
    neu = bp.neurons.LIF(3, monitors=["V", "spike"])
    net = bp.Network(neu)
    net.run(20., inputs=(neu, "input", 30.))
    neu.mon.save_npz(tmp_path / "mon.npz")
    f = np.load(tmp_path / "mon.npz")
    assert np.array_equal(f["V"], neu.mon.V) and np.array_equal(f["V_t"], net.ts)
    df = neu.mon.to_dataframe("V")
    assert isinstance(df, pd.DataFrame) and df.shape == (200, 3)
    assert np.array_equal(df.index.values, net.ts) and np.array_equal(df.values, neu.mon.V)
    assert df.loc[net.ts[-1], 2] == neu.mon.V[-1, 2]
    ev = bp.neurons.LIF(3, monitors=bp.Monitor(["spike"], events=["spike"]))
    bp.Network(ev).run(20., inputs=(ev, "input", 30.))
    dfe = ev.mon.to_dataframe("spike")
    t_idx, n_idx = np.nonzero(neu.mon.spike)  # same input, same spikes
    assert len(dfe) == len(t_idx) > 0
    assert np.allclose(np.sort(dfe["t"].values), np.sort(net.ts[t_idx]))
    assert sorted(dfe["index"].values) == sorted(n_idx)


def _py_net(bp):
    class PyExp(bp.TwoEndConn):
        """A chapter-style synapse written in Python, with a delayed output."""

        def __init__(self, pre, post, conn, delay=1.2, tau=5., **kw):
            self.conn = conn(pre.size, post.size)
            self.pre_ids, self.post_ids = self.conn.requires("pre_ids", "post_ids")
            self.num = len(self.pre_ids)
            self.tau = tau
            self.s = np.zeros(self.num)
            self.I_syn = self.register_constant_delay("I_syn", size=self.num, delay_time=delay)
            super().__init__(pre=pre, post=post, **kw)

        def update(self, _t, _dt):
            self.s -= self.s / self.tau * _dt
            self.s += self.pre.spike[self.pre_ids]
            self.I_syn.push(self.s * 4.)
            np.add.at(self.post.input, self.post_ids, self.I_syn.pull())

    pre = bp.neurons.LIF(2, name="pre", monitors=["spike"])
    post = bp.neurons.LIF(3, name="post", monitors=["V"])
    syn = PyExp(pre, post, bp.connect.All2All(), name="pysyn", monitors=["s"])
    return bp.Network(pre, syn, post)


def test_python_models_and_their_delays_are_restored(bp, tmp_path):
    a = _py_net(bp)
    a.run(30., inputs=(a.pre, "input", 35.))
    a.run((30., 60.), inputs=(a.pre, "input", 35.))
    b = _py_net(bp)
    b.run(30., inputs=(b.pre, "input", 35.))
    b.save_state(tmp_path / "py.npz")
    c = _py_net(bp)
    c.load_state(tmp_path / "py.npz")
    c.run((30., 60.), inputs=(c.pre, "input", 35.))
    assert a.pysyn.mon.s.max() > 0.5
    assert np.array_equal(a.pysyn.mon.s, c.pysyn.mon.s)
    assert np.array_equal(a.post.mon.V, c.post.mon.V)


def test_declared_native_synapse_is_restored(bp, tmp_path):
    class DeclAMPA(bp.NativeSynapse):
        state = {"s": 0.}
        params = dict(alpha=0.98, beta=0.18, T=0.5, T_duration=0.5)
        pulse = True
        method = "exponential_euler"

        @staticmethod
        def derivative(s, t, TT, alpha, beta):
            return alpha * TT * (1 - s) - beta * s

    def build():
        src = bp.inputs.PoissonInput(10, freqs=300., seed=5, name="src")
        e = bp.neurons.LIF(4, monitors=["V"], name="E")
        syn = DeclAMPA(src, e, bp.connect.All2All(), delay=1.5, monitors=["s"], name="decl",
                       output="conductance", g_max=0.05, E=60., T_duration=3.)
        return bp.Network(src, syn, e)

    a = build()
    a.run(20., inputs=(a.E, "input", 15.))
    a.run((20., 40.), inputs=(a.E, "input", 15.))
    b = build()
    b.run(20., inputs=(b.E, "input", 15.))
    b.save_state(tmp_path / "d.npz")
    c = build()
    c.load_state(tmp_path / "d.npz")
    c.run((20., 40.), inputs=(c.E, "input", 15.))
    assert a.decl.mon.s.max() > 0.1
    assert np.array_equal(a.decl.mon.s, c.decl.mon.s) and np.array_equal(a.E.mon.V, c.E.mon.V)


def _readme_net(bp, n_post=3):
    # The README's network, built the README's way: no names given, so each
    # build in this process names its objects anew (LIF0, LIF1, ... AMPA0,
    # AMPA1, ...). A Poisson drive and a delay make the step counter and
    # the spikes in flight part of the state.
    noise = bp.inputs.PoissonInput(2, freqs=100., seed=4)
    neu1 = bp.neurons.LIF(2, monitors=['V', 'spike'])
    neu2 = bp.neurons.LIF(n_post, monitors=['V'])
    drive = bp.synapses.AMPA(noise, neu1, bp.connect.One2One(), g_max=0.2, E=60.)
    syn = bp.synapses.AMPA(pre=neu1, post=neu2, conn=bp.connect.All2All(), monitors=['s'], T_duration=3.,
                           delay=1.5)
    net = bp.Network(noise, drive, neu1, syn, neu2)
    return net, neu1, neu2, syn


def test_readme_checkpoint_recipe_in_one_process(bp, tmp_path):
    # Unbroken: 40 ms, then 40 more.
    net, neu1, neu2, syn = _readme_net(bp)
    net.run(40., inputs=(neu1, 'input', 30.))
    net.run((40., 80.), inputs=(neu1, 'input', 30.))
    # The README: run, net.save_state('state.npz'), build again with the
    # same code, net2.load_state('state.npz'), continue.
    net1, neu1_1, _, _ = _readme_net(bp)
    net1.run(40., inputs=(neu1_1, 'input', 30.))
    net1.save_state(tmp_path / 'state.npz')
    net2, neu1_2, neu2_2, syn_2 = _readme_net(bp)
    assert neu1_2.name != neu1_1.name  # automatic names: matched by order and type, not by name
    net2.load_state(tmp_path / 'state.npz')
    net2.run((40., 80.), inputs=(neu1_2, 'input', 30.))
    assert neu1.mon.spike.sum() > 3 and syn.mon.s.max() > 0.1
    for x, y in ((neu1.mon.V, neu1_2.mon.V), (neu1.mon.spike, neu1_2.mon.spike), (neu2.mon.V, neu2_2.mon.V),
                 (syn.mon.s, syn_2.mon.s), (net.ts, net2.ts)):
        assert x.shape == y.shape and x.tobytes() == y.tobytes()


def test_automatic_names_match_by_order_and_type(bp, tmp_path):
    net, neu1, _, _ = _readme_net(bp)
    net.run(5., inputs=(neu1, 'input', 30.))
    net.save_state(tmp_path / 's.npz')
    # A group of another size is refused where the sizes first differ (the
    # synapse onto it), and the message says how automatic names match.
    other, _, _, _ = _readme_net(bp, n_post=4)
    with pytest.raises(bp.errors.BrainsynValueError,
                       match=r"object 'AMPA\d+' does not match the saved object 'AMPA\d+' at its place "
                             r"\(object 4 of 5; size 6 vs 8; .*automatic name.*order, class, kind and size"):
        other.load_state(tmp_path / 's.npz')


def test_names_given_by_the_user_still_must_match(bp, tmp_path):
    def build(pre_name):
        pre = bp.neurons.LIF(2, name=pre_name)
        post = bp.neurons.LIF(3, name="post")
        syn = bp.synapses.AMPA(pre, post, bp.connect.All2All())
        return bp.Network(pre, syn, post)

    a = build("pre")
    a.run(5., inputs=(a.pre, 'input', 30.))
    a.save_state(tmp_path / 's.npz')
    build("pre").load_state(tmp_path / 's.npz')  # the automatically named synapse is matched by place
    with pytest.raises(bp.errors.BrainsynValueError,
                       match=r"object 'other' does not match the saved object 'pre' \(name 'pre' vs 'other'; "
                             r"saved vs this network\): its name was given by the user"):
        build("other").load_state(tmp_path / 's.npz')
    # A name given by the user does not match an automatic one either.
    auto = bp.neurons.LIF(2)
    net = bp.Network(auto, bp.synapses.AMPA(auto, bp.neurons.LIF(3, name="post"), bp.connect.All2All()))
    named = bp.neurons.LIF(2, name="pre")
    b = bp.Network(named, bp.synapses.AMPA(named, bp.neurons.LIF(3, name="post"), bp.connect.All2All()))
    net.save_state(tmp_path / 'auto.npz')
    with pytest.raises(bp.errors.BrainsynValueError, match=r"object 'pre' does not match the saved object 'LIF\d+'"):
        b.load_state(tmp_path / 'auto.npz')


def test_saved_names_must_be_distinct_identifiers(bp, tmp_path):
    import json
    net, neu1, _, _ = _readme_net(bp)
    net.run(5., inputs=(neu1, 'input', 30.))
    net.save_state(tmp_path / 's.npz')
    files = dict(np.load(tmp_path / 's.npz'))
    meta = json.loads(str(files["__meta__"]))
    for i, name, pattern in ((3, meta["objects"][1]["name"], r"objects\[3\] has the name '\w+' of objects\[1\]"),
                             (0, "../x", r"objects\[0\] field 'name' must be a Python identifier")):
        bad = json.loads(str(files["__meta__"]))
        bad["objects"][i]["name"] = name
        np.savez(tmp_path / 'bad.npz', **{**files, "__meta__": np.array(json.dumps(bad))})
        with pytest.raises(bp.errors.BrainsynValueError, match=pattern):
            net.load_state(tmp_path / 'bad.npz')
