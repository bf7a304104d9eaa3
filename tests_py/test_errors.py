"""Errors name the object, the parameter and the value, and suggest a fix."""

import os
import select

import numpy as np
import pytest


def test_unknown_monitor_variable_lists_valid_names_at_construction(bp):
    import gc
    gc.collect()
    h0 = bp.live_objects()[0]
    with pytest.raises(bp.errors.BrainsynKeyError, match=r"E has no variable 'VV' to monitor; valid: V, input.*Did you mean 'V'\?"):
        bp.neurons.LIF(3, monitors=["VV"], name="E")
    pre, post = bp.neurons.LIF(2), bp.neurons.LIF(2)
    with pytest.raises(bp.errors.BrainsynKeyError, match=r"S has no variable 'ss' to monitor; valid: s, w\. Did you mean 's'\?"):
        bp.synapses.AMPA(pre=pre, post=post, conn=bp.connect.All2All(), monitors=[("ss", [0])], name="S")
    assert isinstance(bp.errors.BrainsynKeyError("x"), KeyError)
    del pre, post
    gc.collect()
    assert bp.live_objects()[0] == h0  # the refused objects' engine memory was freed


def test_unknown_monitor_variable_of_a_python_model_is_named_at_run(bp):
    class Rate(bp.NeuGroup):
        def __init__(self, size, **kw):
            super().__init__(size, **kw)
            self.r = np.zeros(size)

        def update(self, _t):
            self.r += 1.

    g = Rate(2, monitors=["rr"], name="R")
    with pytest.raises(bp.errors.BrainsynKeyError, match=r"R has no variable 'rr' to monitor; valid: r\. Did you mean 'r'\?"):
        bp.Network(g).run(1.)


def test_unknown_input_variable(bp):
    e = bp.neurons.LIF(3, name="E")
    with pytest.raises(KeyError, match=r"E has no variable 'inptu' to input; valid: .*Did you mean 'input'\?"):
        bp.Network(e).run(1., inputs=(e, "inptu", 1.))


def test_unknown_keyword_argument(bp):
    with pytest.raises(TypeError, match=r"LIF\(\) got an unexpected keyword argument 'tua'; did you mean 'tau'\?"):
        bp.neurons.LIF(2, tua=3.)
    e = bp.neurons.LIF(2)
    with pytest.raises(bp.errors.BrainsynTypeError, match=r"AMPA\(\) got an unexpected keyword argument 'g_mx'; did you mean 'g_max'\?.*Valid: E, T, T_duration"):
        bp.synapses.AMPA(e, e, bp.connect.All2All(), g_mx=1.)


def test_input_array_of_wrong_length(bp):
    e = bp.neurons.LIF(3, name="E")
    with pytest.raises(ValueError, match=r"input for E.input has shape \(7,\).*shape \(3,\).*\(100 rows\)"):
        bp.Network(e).run(10., inputs=(e, "input", np.ones(7)))


@pytest.mark.parametrize("bad", [-1., float("nan"), float("inf")])
def test_bad_duration(bp, bad):
    net = bp.Network(bp.neurons.LIF(1))
    with pytest.raises(bp.errors.BrainsynValueError, match=rf"duration must be (>= 0|finite) \[ms\], got {bad}"):
        net.run(bad)


@pytest.mark.parametrize("bad", [-0.1, 0, float("nan")])
def test_bad_dt(bp, bad):
    with pytest.raises(ValueError, match=rf"dt must be a finite number > 0 \[ms\], got {float(bad)}"):
        bp.backend.set(dt=bad)


@pytest.mark.parametrize("bad", [-1., float("nan")])
def test_bad_delay_names_the_synapse(bp, bad):
    e = bp.neurons.LIF(2)
    with pytest.raises(ValueError, match=rf"AMPA 'syn1': delay must be a finite number >= 0 \[ms\], got {bad}"):
        bp.synapses.AMPA(e, e, bp.connect.All2All(), delay=bad, name="syn1")
    with pytest.raises(ValueError, match=r"Gap_junction 'gj': delay must be a finite number >= 0"):
        bp.synapses.Gap_junction(e, e, bp.connect.All2All(), delay=bad, name="gj")


def test_one2one_size_mismatch(bp):
    a, b = bp.neurons.LIF(3, name="A"), bp.neurons.LIF(4, name="B")
    with pytest.raises(ValueError, match=r"AMPA 'syn2': One2One needs pre and post of the same size, got pre 3 and post 4 \(A → B\)"):
        bp.synapses.AMPA(a, b, bp.connect.One2One(), name="syn2")


def test_input_target_not_in_network(bp):
    e, other = bp.neurons.LIF(3, name="E"), bp.neurons.LIF(3, name="Other")
    with pytest.raises(ValueError, match="input target Other is not in this network.*add it to the Network"):
        bp.Network(e).run(1., inputs=(other, "input", 1.))


def test_monitor_of_object_not_in_network(bp):
    e, g = bp.neurons.LIF(2, name="E"), bp.neurons.LIF(2, monitors=["V"], name="G")
    bp.Network(e).run(1.)
    with pytest.raises(AttributeError, match="G.mon.V has no data yet: G has not been run; add it to the Network"):
        g.mon.V
    with pytest.raises(AttributeError, match=r"G.mon has no 'spike'; monitored: V"):
        g.mon.spike


def test_closed_network(bp):
    net = bp.Network(bp.neurons.LIF(2))
    net.run(1.)
    net.close()
    with pytest.raises(bp.errors.ClosedError, match="this network was closed; create a new Network"):
        net.run(1.)
    with pytest.raises(RuntimeError):
        net.save_state("x.npz")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_gets_fork_error(bp):
    bp.Network(bp.neurons.LIF(2)).run(1.)  # the Go runtime is running
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report through the pipe and exit code, never return to pytest
        code = 3
        try:
            os.close(r)
            try:
                bp.neurons.LIF(2)
                msg, code = b"no error", 1
            except bp.errors.ForkError as e:
                msg, code = str(e).encode()[:500], 0
            except BaseException as e:
                msg, code = repr(e).encode()[:500], 2
            os.write(w, msg)
        finally:
            os._exit(code)
    os.close(w)
    try:
        ready, _, _ = select.select([r], [], [], 20)
        msg = os.read(r, 1000).decode() if ready else "timeout"
    finally:
        os.close(r)
    for _ in range(200):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        import time
        time.sleep(0.05)
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail("the forked child hung")
    assert os.waitstatus_to_exitcode(status) == 0, msg
    assert "forked after its Go runtime started" in msg and "spawn" in msg


def test_synapse_whose_group_is_not_in_the_network_warns(bp):
    a, b = bp.neurons.LIF(2, name="A"), bp.neurons.LIF(2, name="B")
    syn = bp.synapses.AMPA(a, b, bp.connect.All2All(), name="S")
    net = bp.Network(syn, b)
    with pytest.warns(bp.errors.LeftOutWarning, match=r"S's pre group A is not in this network, so it is never updated"):
        net.run(1.)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.run(1.)                       # warned once per network and object
        bp.Network(a, syn, b).run(1.)     # complete network: no warning


@pytest.mark.parametrize("call, match", [
    (lambda bp: bp.inputs.constant_current([(1., 1e308)]), "total duration of 1e\\+308 ms .* too long"),
    (lambda bp: bp.inputs.spike_current([1.], 1., 1., 1e300), "duration of 1e\\+300 ms .* too long"),
    (lambda bp: bp.inputs.spike_current([float("nan")], 1., 1., 10.), "points must be finite times >= 0"),
    (lambda bp: bp.inputs.spike_current([-1.], 1., 1., 10.), "points must be finite times >= 0"),
    (lambda bp: bp.inputs.spike_current(["a"], 1., 1., 10.), "points must be finite times >= 0"),
    (lambda bp: bp.inputs.spike_current([1.], -1., 1., 10.), "lengths must be finite times >= 0"),
    (lambda bp: bp.inputs.spike_current([1., 2.], [1., 2., 3.], 1., 10.), "one number or one per point \\(2\\)"),
    (lambda bp: bp.inputs.spike_current([1.], 1., float("nan"), 10.), "sizes must be finite"),
    (lambda bp: bp.inputs.ramp_current(0., 1., 1e308), "duration of 1e\\+308 ms .* too long"),
    (lambda bp: bp.inputs.ramp_current(0., 1., 10., t_start=-1.), "t_start must be a finite duration >= 0"),
    (lambda bp: bp.inputs.ramp_current(0., 1., 10., t_start=5., t_end=2.), "t_start <= t_end <= duration"),
    (lambda bp: bp.inputs.ramp_current(0., 1., 10., t_end=20.), "t_start <= t_end <= duration"),
])
def test_input_arrays_refuse_bad_times(bp, call, match):
    """Times that BrainPy 1.0 turned into a wrapped-around index, an
    OverflowError or a broadcast error are refused by name."""
    with pytest.raises(bp.errors.BrainsynValueError, match=match):
        call(bp)


@pytest.mark.parametrize("make, match", [
    (lambda bp: bp.neurons.LIF(2, V_th=float("nan")), r"LIF: V_th must be a finite number, got nan"),
    (lambda bp: bp.neurons.HH(2, gNa=float("inf")), r"HH: gNa must be a finite number, got inf"),
    (lambda bp: bp.synapses.AMPA(bp.neurons.LIF(2), bp.neurons.LIF(2), bp.connect.All2All(), g_max=float("nan")),
     r"AMPA: g_max must be a finite number, got nan"),
    (lambda bp: bp.synapses.Gap_junction(bp.neurons.LIF(2), bp.neurons.LIF(2), bp.connect.All2All(),
                                         weight=-float("inf")), r"Gap_junction: weight must be a finite number, got -inf"),
])
def test_non_finite_parameters_are_named(bp, make, match):
    """JSON carries no NaN or infinity: the engine used to report a parse
    error ("invalid character 'N'") instead of the parameter."""
    with pytest.raises(bp.errors.BrainsynValueError, match=match):
        obj = make(bp)
        bp.Network(obj).run(0.1)


def test_thread_count_is_an_int_in_range(bp):
    """1.5 used to become one thread and '2' two, silently."""
    for bad in (1.5, "2", None, True):
        with pytest.raises(bp.errors.BrainsynTypeError, match="number of threads must be an int"):
            bp.set_num_threads(bad)
    for bad in (0, -3, 10**6):
        with pytest.raises(bp.errors.BrainsynValueError, match="between 1 and 1024"):
            bp.set_num_threads(bad)
    bp.set_num_threads(np.int64(2))
    assert bp.get_num_threads() == 2
    bp.set_num_threads(1)


def test_monitor_spec_of_the_wrong_type(bp):
    with pytest.raises(bp.errors.BrainsynTypeError, match="monitor variables must be a name or a list of names, got 3"):
        bp.Monitor(3)
    with pytest.raises(bp.errors.BrainsynTypeError, match="events must be a name or a list of names"):
        bp.Monitor(['spike'], events=3)
    # One name is one name, as for the variables (it was split into letters).
    n = bp.neurons.LIF(2, monitors=bp.Monitor(['spike'], events='spike'))
    bp.Network(n).run(20., inputs=(n, 'input', 30.))
    assert n.mon.spike.dtype.names is not None and len(n.mon.spike) > 0


def test_a_run_stopped_by_an_error_keeps_the_finished_steps(bp):
    """As after Ctrl-C: monitors and net.ts hold the steps before the error
    (they used to be lost), and the network runs again."""
    class Breaks(bp.NeuGroup):
        target_backend = 'general'

        def __init__(self, size, **kw):
            self.V, self.spike, self.input = np.zeros(size), np.zeros(size, bool), np.zeros(size)
            super().__init__(size=size, **kw)

        def update(self, _t, _i):
            if _i == 5:
                raise RuntimeError("breaks at step 5")
            self.V += 1

    b = Breaks(3, monitors=['V'])
    n = bp.neurons.LIF(2, monitors=['V'])
    net = bp.Network(n, b)
    with pytest.raises(RuntimeError, match="breaks at step 5"):
        net.run(1.)
    assert len(net.ts) == 5 and n.mon.V.shape == (5, 2)
    assert b.mon.V[:, 0].tolist() == [1., 2., 3., 4., 5.]
    bp.check_nan = True
    h = bp.neurons.HH(3, monitors=['V'])
    net2 = bp.Network(h)
    with pytest.raises(bp.errors.NaNError, match="at step 3"):
        net2.run(5., inputs=(h, 'input', np.array([0., 0., 1e308])))
    assert h.mon.V.shape == (3, 3) and not np.isnan(h.mon.V).any() and len(net2.ts) == 3
    bp.check_nan = False
    Breaks.update = lambda self, _t, _i: None
    net.run(1.)
    assert n.mon.V.shape == (10, 2)


def test_neuron_parameters_set_after_building_change_the_model(bp, tmp_path):
    """Setting tau on a built LIF changed the attribute but not the engine's
    model (the run was the same for tau = 10, 5 or -1). Now the run equals
    one of a group built with the new value."""
    def run(tau, set_to=None):
        a = bp.neurons.LIF(2, tau=tau, monitors=['V'], name="A")
        net = bp.Network(a)
        if set_to is not None:
            a.tau = set_to
        net.run(5., inputs=(a, 'input', 5.))
        return net, a
    assert run(10., 5.)[1].mon.V.tobytes() == run(5.)[1].mon.V.tobytes()
    assert run(10.)[1].mon.V.tobytes() != run(5.)[1].mon.V.tobytes()
    h = bp.neurons.HH(2)
    h.gNa = 100.
    assert h.gNa == 100.
    a = run(10.)[1]
    with pytest.raises(bp.errors.BrainsynValueError, match="^A: tau must be > 0, got -1"):
        a.tau = -1.
    with pytest.raises(bp.errors.BrainsynValueError, match="^A: tau must be a finite number, got nan"):
        a.tau = float("nan")
    with pytest.raises(bp.errors.BrainsynTypeError, match="tau must be a number"):
        a.tau = "5"
    assert a.tau == 10.  # a refused value changes nothing
    # A state file records the parameters: loading it into a group with
    # other values is refused by name.
    net, a = run(10., 5.)
    bp.save_state(net, tmp_path / "s.npz")
    with pytest.raises(bp.errors.BrainsynValueError, match="parameter tau 5.0 vs 10.0"):
        bp.load_state(run(10.)[0], tmp_path / "s.npz")
    bp.load_state(run(5.)[0], tmp_path / "s.npz")


def test_spike_time_input_shows_and_keeps_its_times(bp):
    """Assigning .times created a Python attribute the engine never saw."""
    s = bp.neurons.SpikeTimeInput(3, times=[2., 1., 2.], indices=[0, 2, 1], monitors=['spike'])
    assert s.times.tolist() == [1., 2., 2.] and s.indices.tolist() == [2, 0, 1]  # sorted together, stably
    with pytest.raises(bp.errors.BrainsynValueError, match="times is fixed when the object is built"):
        s.times = [5.]
    p = bp.neurons.PoissonInput(3, freqs=10., seed=1)
    for name, value in (("seed", 2), ("sources", 4)):
        with pytest.raises(bp.errors.BrainsynValueError, match=f"{name} is fixed when the object is built"):
            setattr(p, name, value)
    bp.Network(s).run(3.)
    fired = np.argwhere(s.mon.spike)
    assert fired.tolist() == [[10, 2], [20, 0], [20, 1]]  # step ceil(t/dt)


def test_structure_of_a_built_object_cannot_be_reassigned(bp):
    """syn.output = 'current' or neu.size = 5 changed the Python attribute
    and nothing in the engine."""
    a, b = bp.neurons.LIF(3), bp.neurons.LIF(3)
    s = bp.synapses.AMPA(a, b, bp.connect.All2All(), name="syn")
    for name, value in (("output", "current"), ("layout", "synapse"), ("method", "rk4"), ("pre", b), ("size", 3)):
        with pytest.raises(bp.errors.BrainsynValueError, match=rf"syn.{name} is fixed when the object is built"):
            setattr(s, name, value)
    assert s.pre is a and s.size == 9
    with pytest.raises(bp.errors.BrainsynValueError, match="size is fixed"):
        a.size = 5
    a.label = "kept"  # other attributes are the user's
    assert a.label == "kept"


def _gap_run(bp, built_with, **after):
    """post V after 5 ms through a One2One gap junction built with weight
    built_with, the attributes in after set once it is built; and the
    junction."""
    a, b = bp.neurons.LIF(2), bp.neurons.LIF(2)
    g = bp.synapses.Gap_junction(a, b, bp.connect.One2One(), weight=built_with)
    for k, v in after.items():
        setattr(g, k, v)
    bp.Network(a, g, b).run(5., inputs=(a, 'input', 10.))
    return b.V.tolist(), g


def test_gap_junction_weight_set_after_building_is_used(bp):
    """g.weight = 3 was ignored: the run equalled one with weight 1."""
    (V, g), (V3, g3) = _gap_run(bp, 1.0, weight=3.0), _gap_run(bp, 3.0)
    assert V == V3 and g.weight == g3.weight == 3.0 and g.w.tolist() == g3.w.tolist() == [3.0, 3.0]
    assert _gap_run(bp, 1.0)[0] != V3


@pytest.mark.parametrize("model, param", [("AMPA", "alpha"), ("GABAa2", "alpha"), ("NMDA", "cc_Mg"), ("NMDA", "a"),
                                          ("GABAb1", "k1"), ("GABAb1", "k4"), ("GABAb2", "k6")])
def test_negative_rate_constants_are_refused(bp, model, param):
    """A negative rate drives the gating variables out of [0, 1]; GABAb1's
    k1 = -1 was accepted."""
    a, b = bp.neurons.LIF(2), bp.neurons.LIF(2)
    cls = getattr(bp.synapses, model)
    with pytest.raises(bp.errors.BrainsynValueError, match=f"{model}: {param} must be >= 0, got -0.1"):
        cls(a, b, bp.connect.All2All(), **{param: -0.1})
    cls(a, b, bp.connect.All2All(), **{param: 0.})  # a rate of zero switches a transition off


def test_nmda_block_slope_may_be_negative(bp):
    """NMDA's alpha is the slope of the Mg block, not a rate."""
    bp.synapses.NMDA(bp.neurons.LIF(2), bp.neurons.LIF(2), bp.connect.All2All(), alpha=-0.062)


def test_gap_junction_takes_one_weight_per_junction(bp):
    """An array of weights was a numpy TypeError; it now sets each junction's
    w, as the same values set after building do."""
    V, g = _gap_run(bp, [1., 3.])
    assert V == _gap_run(bp, 1., w=[1., 3.])[0] and g.w.tolist() == [1., 3.]
    assert V != _gap_run(bp, 1.)[0]
    a, b = bp.neurons.LIF(2), bp.neurons.LIF(2)
    with pytest.raises(bp.errors.BrainsynValueError, match="weight has 3 values for 2 junctions"):
        bp.synapses.Gap_junction(a, b, bp.connect.One2One(), weight=[1., 2., 3.])
    with pytest.raises(bp.errors.BrainsynTypeError, match="weight must be a number or one number per junction"):
        bp.synapses.Gap_junction(a, b, bp.connect.One2One(), weight="x")
    with pytest.raises(bp.errors.BrainsynTypeError, match="k_spikelet must be a number, got 'x'"):
        bp.synapses.Gap_junction(a, b, bp.connect.One2One(), k_spikelet="x")
