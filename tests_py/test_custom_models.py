"""Writing models in Python: odeint methods, delays, user NeuGroups and
TwoEndConns mixed with built-in objects, inputs, monitors, repeated runs.

Expected values are closed forms or worked out by hand from the step
order of reference §1.2.
"""

import numpy as np
import pytest

import brainsyn as bp

bm = bp


# -- integrators --------------------------------------------------------------------

ORDERS = {"euler": 1, "midpoint": 2, "heun2": 2, "ralston2": 2, "rk2": 2, "rk3": 3, "heun3": 3,
          "ralston3": 3, "ssprk3": 3, "rk4": 4, "rk4_38rule": 4, "ralston4": 4}


def _solve(method, h, T=1.0):
    # dy/dt = −2y + t (t-dependent, so the stage times c_i are tested too)
    def f(y, t, a):
        return -a * y + t
    integ = bp.odeint(f=f, method=method, dt=h)
    y, t = 1.0, 0.0
    for i in range(int(round(T / h))):
        y = integ(y, i * h, 2.0)
    return y


def _exact(T=1.0):
    # y = t/2 − 1/4 + (y0 + 1/4) e^{−2t}
    return T / 2 - 0.25 + 1.25 * np.exp(-2 * T)


@pytest.mark.parametrize("method", sorted(ORDERS))
def test_odeint_order(method):
    e1 = abs(_solve(method, 0.1) - _exact())
    e2 = abs(_solve(method, 0.05) - _exact())
    order = np.log2(e1 / e2)
    assert order == pytest.approx(ORDERS[method], abs=0.25)


def test_exponential_euler_exact_on_linear():
    # dy/dt = a − b·y is solved exactly whatever the step: y∞ + (y0 − y∞)e^{−bT}
    integ = bp.odeint(f=lambda y, t, a, b: a - b * y, method='exponential_euler', dt=0.5)
    y = 3.0
    for i in range(8):
        y = integ(y, i * 0.5, 2.0, 0.7)
    assert y == pytest.approx(2 / 0.7 + (3 - 2 / 0.7) * np.exp(-0.7 * 4.0), rel=1e-10)
    # the same on arrays (numpy path), with b = 0 in one element (plain Euler there, also exact)
    b = np.array([0.7, 0.0, 2.0])
    y = np.full(3, 3.0)
    for i in range(8):
        y = integ(y, i * 0.5, 2.0, b)
    np.testing.assert_allclose(y, [2 / 0.7 + (3 - 2 / 0.7) * np.exp(-0.7 * 4.0), 3 + 2 * 4.0,
                                   1 + 2 * np.exp(-8.0)], rtol=1e-10)


def test_exponential_euler_per_variable():
    """BrainPy updates each variable alone, the others held at their old
    values: x' = x + (e^{−h} − 1)/(−1)·(−x + y0), y' = y·e^{−2h}."""
    @bp.odeint(method='exponential_euler')
    def integ(x, y, t):
        return -x + y, -2 * y
    h = 0.3
    x1, y1 = integ(1.0, 2.0, 0.0, dt=h)
    assert x1 == pytest.approx(1.0 + (np.exp(-h) - 1) / -1 * (-1.0 + 2.0), rel=1e-10)
    assert y1 == pytest.approx(2.0 * np.exp(-2 * h), rel=1e-10)


def test_exponential_euler_nonlinear_in_own_variable():
    # ds/dt = a·x(1−s) − s/τ: linear part −(a·x + 1/τ), evaluated at the old values
    a, tau, x, s, h = 0.5, 100.0, 1.0, 0.2, 0.1
    integ = bp.odeint(f=lambda s, t, x: a * x * (1 - s) - s / tau, method='exponential_euler', dt=h)
    A = -(a * x + 1 / tau)
    f0 = a * x * (1 - s) - s / tau
    assert integ(s, 0.0, x) == pytest.approx(s + (np.exp(A * h) - 1) / A * f0, rel=1e-9)


def test_rk4_system_one_step_by_hand():
    # harmonic oscillator: one classical RK4 step from (1, 0) is the Taylor
    # polynomial of the rotation to 4th order: x = 1 − h²/2 + h⁴/24, v = −h + h³/6
    @bp.odeint(method='rk4')
    def integ(x, v, t):
        return v, -x
    h = 0.2
    x, v = integ(1.0, 0.0, 0.0, dt=h)
    assert x == pytest.approx(1 - h ** 2 / 2 + h ** 4 / 24, abs=1e-14)
    assert v == pytest.approx(-h + h ** 3 / 6, abs=1e-14)


def test_odeint_forms_in_a_class():
    """f=self.derivative (a staticmethod or a method), the decorator under
    @staticmethod, and a decorated function taking self."""
    class Model:
        tau = 2.0

        @staticmethod
        def derivative(s, t, tau):
            return -s / tau

        def method_derivative(self, s, t):
            return -s / self.tau

        @staticmethod
        @bp.odeint(method='exponential_euler')
        def int_static(s, t, tau):
            return -s / tau

        @bp.odeint(method='exponential_euler')
        def int_self(self, s, t):
            return -s / self.tau

        def __init__(self):
            self.int_a = bp.odeint(f=self.derivative, method='exponential_euler')
            self.int_b = bp.odeint(f=self.method_derivative, method='exponential_euler')

    m = Model()
    expect = np.exp(-0.1 / 2.0)
    assert m.int_a(1.0, 0.0, 2.0) == pytest.approx(expect, rel=1e-12)
    assert m.int_b(1.0, 0.0) == pytest.approx(expect, rel=1e-12)
    assert m.int_static(1.0, 0.0, 2.0) == pytest.approx(expect, rel=1e-12)
    assert m.int_self(1.0, 0.0) == pytest.approx(expect, rel=1e-12)


def test_odeint_vectorised_and_keywords():
    integ = bp.odeint(f=lambda V, t, I, tau: (-V + I) / tau, method='euler')
    V = np.array([0.0, 10.0])
    out = integ(V, 0.0, I=np.array([5.0, 0.0]), tau=10.0)
    np.testing.assert_allclose(out, V + 0.1 * (-V + [5.0, 0.0]) / 10.0)


def test_odeint_rejects_bad_signatures():
    with pytest.raises(TypeError):
        bp.odeint(f=lambda x, y: x)  # no t
    with pytest.raises(ValueError):
        bp.odeint(f=lambda x, t: -x, method='rk99')
    with pytest.raises(ValueError):
        bp.odeint(f=lambda x, y, t: (x,), method='rk4')(1.0, 2.0, 0.0)  # one derivative for two variables


def test_odeint_checks_its_dt():
    f = lambda V, t, a: -a * V  # noqa: E731
    for bad in (float("nan"), -1.0, 0.0, float("inf")):
        with pytest.raises(bp.errors.BrainsynValueError, match="dt must be a finite number > 0"):
            bp.odeint(f, dt=bad)
        with pytest.raises(bp.errors.BrainsynValueError, match="dt must be a finite number > 0"):
            bp.odeint(f)(1.0, 0.0, 2.0, dt=bad)
    # Numpy scalars are numbers too; euler: V + dt·(−a·V).
    assert bp.odeint(f, dt=np.float32(0.5), method='euler')(1.0, 0.0, 1.0) == 0.5


# -- delays -------------------------------------------------------------------------

class DelayProbe(bp.TwoEndConn):
    """Pushes the pre spike, records what it pulls (delay registered before or after super)."""
    target_backend = 'general'

    def __init__(self, pre, post, conn, delay=0., late=False, **kwargs):
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.post_ids = conn.requires('pre_ids', 'post_ids')
        self.size = len(self.pre_ids)
        self.out = bp.ops.zeros(self.size)
        if not late:
            self.buf = self.register_constant_delay('buf', size=self.size, delay_time=delay)
        super(DelayProbe, self).__init__(pre=pre, post=post, **kwargs)
        if late:
            self.buf = self.register_constant_delay('buf', size=self.size, delay_time=delay)

    def update(self, _t):
        for i in range(self.size):
            self.buf.push(i, self.pre.spike[self.pre_ids[i]])
            self.out[i] = self.buf.pull(i)


@pytest.mark.parametrize("late", [False, True])
@pytest.mark.parametrize("delay, lag", [(0., 0), (1.0, 10), (0.25, 3)])
def test_constant_delay_push_pull(delay, lag, late):
    # a value pushed at step k is pulled at step k + ceil(d/dt) (reference §2.3)
    pre = bm.neurons.LIF(1, monitors=['spike'])
    post = bm.neurons.LIF(1)
    syn = DelayProbe(pre, post, bp.connect.All2All(), delay=delay, late=late, monitors=['out'])
    net = bp.Network(pre, syn, post)
    net.run(30., inputs=(pre, 'input', 35.))
    spikes = np.nonzero(pre.mon.spike[:, 0])[0]
    np.testing.assert_array_equal(spikes, [84, 192])
    np.testing.assert_array_equal(np.nonzero(syn.mon.out[:, 0])[0], spikes + lag)
    assert syn.schedule() == ['update', 'buf_delay_update']


def test_constant_delay_alone():
    d = bp.ConstantDelay(size=2, delay_time=0.3)
    assert d.num == 4
    seen = []
    for k in range(6):
        d.push(0, k + 1.0)
        d.push(1, -(k + 1.0))
        seen.append((d.pull(0), d.pull(1)))
        d.update()
    assert seen == [(0, 0), (0, 0), (0, 0), (1, -1), (2, -2), (3, -3)]


def test_constant_delay_refuses_bad_sizes_delays_and_values():
    for size in (-1, 2.5, (3, -1), "ab"):
        with pytest.raises(bp.errors.BrainsynValueError, match="delay size must be an int >= 0"):
            bp.ConstantDelay(size=size, delay_time=1.)
    with pytest.raises(bp.errors.BrainsynTypeError, match="delay_time must be a number"):
        bp.ConstantDelay(size=2, delay_time="1 ms")
    # 1e300 ms used to become a negative array size.
    with pytest.raises(bp.errors.BrainsynValueError, match="1e\\+301 steps of 0.1 ms: too long"):
        bp.ConstantDelay(size=2, delay_time=1e300)
    for d in (bp.ConstantDelay(size=(2, 2), delay_time=0.2), bp.ConstantDelay(size=4, delay_time=[0., .1, .2, .3])):
        with pytest.raises(bp.errors.BrainsynValueError, match=r"values of shape \(9,\) do not fit a delay line"):
            d.push(np.ones(9))


# -- step functions, order, native neighbours ---------------------------------------------

class Recorder(bp.TwoEndConn):
    target_backend = 'general'

    def __init__(self, pre, post, **kwargs):
        self.calls = []
        self.seen_pre_V = []
        super().__init__(pre=pre, post=post, **kwargs)

    def update(self, _t, _i, _dt):
        self.calls.append((_t, _i, _dt))
        self.seen_pre_V.append(float(self.pre.V[0]))
        self.post.input[0] += 1.0


def test_update_gets_t_i_dt_and_runs_in_network_order():
    pre = bm.neurons.LIF(1, monitors=['V'])
    post = bm.neurons.LIF(1, monitors=['V'])
    rec = Recorder(pre, post)
    bp.Network(pre, rec, post).run(0.5, inputs=(pre, 'input', 10.))
    assert [c[1] for c in rec.calls] == [0, 1, 2, 3, 4]
    np.testing.assert_allclose([c[0] for c in rec.calls], [0.0, 0.1, 0.2, 0.3, 0.4], atol=1e-12)
    assert all(c[2] == 0.1 for c in rec.calls)
    # pre runs first: the synapse sees pre's V of the same step
    np.testing.assert_array_equal(rec.seen_pre_V, pre.mon.V[:, 0])
    # the synapse runs before post: its +1 acts in the same step, V_n = 1 − 0.99^n
    np.testing.assert_allclose(post.mon.V[:, 0], 1 - 0.99 ** np.arange(1, 6), rtol=1e-12)


def test_synapse_after_post_acts_next_step():
    pre = bm.neurons.LIF(1)
    post = bm.neurons.LIF(1, monitors=['V'])
    rec = Recorder(pre, post)
    bp.Network(pre, post, rec).run(0.5)
    # input written after post's update (which zeroes it) is used at the next step
    np.testing.assert_allclose(post.mon.V[:, 0], 1 - 0.99 ** np.arange(0, 5), rtol=1e-12, atol=1e-15)


def test_step_function_with_unknown_argument():
    class Bad(bp.NeuGroup):
        target_backend = 'general'

        def update(self, _t, nonsense):
            pass
    with pytest.raises(TypeError):
        Bad(1).run(1.)


# -- user NeuGroups ---------------------------------------------------------------------

class RateNeuron(bp.NeuGroup):
    """The rate neuron of the plasticity chapter (§5.4): r is set by an '=' input."""
    target_backend = ['numpy']

    def __init__(self, size, **kwargs):
        self.r = bp.ops.zeros(size)
        super(RateNeuron, self).__init__(size=size, **kwargs)

    def update(self, _t):
        self.r = self.r  # nothing to integrate; r comes from the input


class Oja(bp.TwoEndConn):
    target_backend = ['numpy']

    def __init__(self, pre, post, conn, gamma=.005, w_max=1., w_min=0., **kwargs):
        self.gamma = gamma
        self.w_max = w_max
        self.w_min = w_min
        self.conn = conn(pre.size, post.size)
        self.conn_mat = conn.requires('conn_mat')
        self.size = bp.ops.shape(self.conn_mat)
        self.w = bp.ops.ones(self.size) * .05
        self.integral = bp.odeint(f=self.derivative)
        super(Oja, self).__init__(pre=pre, post=post, **kwargs)

    def derivative(self, w, t, gamma, r_pre, r_post):
        dwdt = gamma * (r_post * r_pre - r_post * r_post * w)
        return dwdt

    def update(self, _t):
        post_r = bp.ops.sum(self.pre.r.reshape((-1, 1)) * self.w, axis=0)
        self.post.r = post_r
        add = self.w * self.conn_mat
        self.w = self.integral(add, _t, self.gamma, self.pre.r.reshape((-1, 1)), self.post.r)


def test_rate_neurons_with_assign_input_and_matrix_monitor():
    n_pre, n_post, steps = 3, 2, 50
    pre = RateNeuron(n_pre, monitors=['r'])
    post = RateNeuron(n_post, monitors=['r'])
    syn = Oja(pre, post, bp.connect.All2All(), monitors=['w'])
    net = bp.Network(pre, syn, post)
    current = np.tile(np.array([[1.0], [2.0], [0.5]]), (1, steps))  # (n_pre, steps), as the chapter builds it
    net.run(steps * 0.1, inputs=[(pre, 'r', current.T, '=')])
    assert pre.mon.r.shape == (steps, n_pre)
    np.testing.assert_array_equal(pre.mon.r, current.T)
    assert syn.mon.w.shape == (steps, n_pre, n_post)  # full shape: mon.w[:, i, j] works
    # by hand, Euler: r_post = Σ r_pre·w, then w += dt·γ(r_post r_pre − r_post² w)
    w = np.full((n_pre, n_post), 0.05)
    rp = np.array([1.0, 2.0, 0.5])[:, None]
    for k in range(steps):
        r_post = (rp * w).sum(0)
        w = w + 0.1 * 0.005 * (r_post * rp - r_post ** 2 * w)
        np.testing.assert_allclose(syn.mon.w[k], w, rtol=1e-12)
    np.testing.assert_allclose(post.mon.r[-1], (rp * syn.mon.w[-2]).sum(0), rtol=1e-12)


class SpikeAt(bp.NeuGroup):
    """A Python group with V/input/spike, spiking at given steps."""
    target_backend = 'general'

    def __init__(self, size, steps, **kwargs):
        self.V = bp.ops.zeros(size)
        self.input = bp.ops.zeros(size)
        self.spike = bp.ops.zeros(size, dtype=bool)
        self.got = []
        self.at = set(steps)
        super().__init__(size, **kwargs)

    def update(self, _t, _i):
        self.got.append(self.input.copy())
        self.spike[:] = _i in self.at
        self.V[:] = 1.0 * self.spike
        self.input[:] = 0.


def test_python_group_as_pre_of_builtin_synapse():
    """NeuGroup._native_handle adopts V/spike/input into engine memory; the
    built-in Exponential then reads the Python group's spikes directly."""
    pre = SpikeAt(2, steps=[5, 20])
    post = bm.neurons.LIF(2, monitors=['V'])
    syn = bp.synapses.Exponential(pre, post, bp.connect.One2One(), monitors=['s'])
    net = bp.Network(pre, syn, post)
    net.run(4.0)
    i = np.arange(40)
    # exponential Euler is exact: s = Σ e^{−(i−k)dt/8} over spike steps k ≤ i
    expect = sum(np.where(i >= k, np.exp(-(i - k) * 0.1 / 8), 0.0) for k in (5, 20))
    np.testing.assert_allclose(syn.mon.s[:, 0], expect, rtol=1e-12)
    np.testing.assert_allclose(syn.mon.s[:, 1], expect, rtol=1e-12)
    # writing the arrays later still writes engine memory
    before = pre.spike
    pre.spike = np.zeros(2, dtype=bool)
    assert pre.spike is before


def test_python_group_as_post_of_builtin_synapse():
    pre = bm.neurons.LIF(1)
    post = SpikeAt(1, steps=[])
    syn = bp.synapses.Exponential(pre, post, bp.connect.All2All(), w=0.5)
    net = bp.Network(pre, syn, post)
    net.run(10.0, inputs=(pre, 'input', 35.))
    got = np.array(post.got)[:, 0]
    # pre spikes at step 84; current output w·s acts on post in the same step
    assert np.all(got[:84] == 0)
    np.testing.assert_allclose(got[84:], 0.5 * np.exp(-np.arange(16) * 0.1 / 8), rtol=1e-12)


# -- inputs, monitors, repeated runs, obj.run ------------------------------------------------

class Counter(bp.NeuGroup):
    target_backend = 'general'

    def __init__(self, size, **kwargs):
        self.x = bp.ops.zeros(size)
        self.flag = bp.ops.zeros(size, dtype=bool)
        self.seen = []
        super().__init__(size, **kwargs)

    def update(self, _t):
        self.seen.append(self.x.copy())
        self.flag[:] = self.x > 2


@pytest.mark.parametrize("op, start, value, expect", [
    ('+', 1.0, 2.0, 3.0), ('-', 1.0, 2.0, -1.0), ('*', 3.0, 2.0, 6.0), ('x', 3.0, 2.0, 6.0),
    ('/', 3.0, 2.0, 1.5), ('=', 3.0, 2.0, 2.0)])
def test_python_input_ops(op, start, value, expect):
    c = Counter(3)
    c.x = bp.ops.ones(3) * start
    c.run(0.1, inputs=('x', value, op))  # one step, applied before update
    np.testing.assert_allclose(c.seen[0], expect)
    assert isinstance(c.x, np.ndarray) and c.x.shape == (3,)  # '=' assigns element-wise


def test_iter_vs_fix_inputs():
    # 10 steps. An array with one row per step is 'iter'; an array of the
    # variable's shape is 'fix' even when its length equals the step count.
    c = Counter(10, monitors=['x'])
    c.run(1.0, inputs=('x', np.arange(10.), '='))
    np.testing.assert_array_equal(c.mon.x, np.tile(np.arange(10.), (10, 1)))
    c3 = Counter(3, monitors=['x'])
    c3.run(1.0, inputs=('x', np.arange(10.), '='))  # shape[0] == steps: row k at step k
    np.testing.assert_array_equal(c3.mon.x, np.repeat(np.arange(10.)[:, None], 3, axis=1))
    c2 = Counter(2, monitors=['x'])
    rows = np.arange(20.).reshape(10, 2)
    c2.run(1.0, inputs=[('x', rows, '='), ('x', 1.0)])  # several inputs to one object, in order
    np.testing.assert_array_equal(c2.mon.x, rows + 1)


def test_python_monitors_shape_dtype_and_indices():
    c = Counter((2, 3), monitors=['x', 'flag'])
    c.run(0.5, inputs=('x', 1.0))
    assert c.mon.x.shape == (5, 2, 3) and c.mon.flag.shape == (5, 2, 3)
    assert c.mon.flag.dtype == np.bool_
    np.testing.assert_array_equal(c.mon.x[:, 0, 0], [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(c.mon.flag[:, 1, 2], [False, False, True, True, True])
    np.testing.assert_allclose(c.mon.ts, np.arange(5) * 0.1)
    d = Counter(4, monitors=[('x', [1, 3])])
    d.run(0.3, inputs=('x', np.array([1., 2., 3., 4.])))
    np.testing.assert_array_equal(d.mon.x, [[2, 4], [4, 8], [6, 12]])


def test_repeated_runs_continue_state_and_restart_time():
    neu = bm.neurons.LIF(1, monitors=['V'])
    c = Counter(1, monitors=['x'])
    net = bp.Network(neu, c)
    net.run(0.5, inputs=[(neu, 'input', 10.), (c, 'x', 1.0)])
    net.run(0.3, inputs=[(neu, 'input', 10.), (c, 'x', 1.0)])
    np.testing.assert_allclose(net.ts, [0.0, 0.1, 0.2], atol=1e-12)  # times restart at 0
    np.testing.assert_array_equal(c.mon.x[:, 0], [6, 7, 8])  # state continues; only the last run kept
    np.testing.assert_allclose(neu.mon.V[:, 0], 10 * (1 - 0.99 ** np.arange(6, 9)), rtol=1e-12)


def test_single_object_run():
    neu = bm.neurons.LIF(2, monitors=['V'])
    neu.run(1.0, inputs=('input', 10.))
    np.testing.assert_allclose(neu.mon.V[:, 0], 10 * (1 - 0.99 ** np.arange(1, 11)), rtol=1e-12)
    c = Counter(2, monitors=['x'])
    c.run(0.3, inputs=[('x', 2.0), ('x', 3.0, '*')])
    np.testing.assert_array_equal(c.mon.x[:, 0], [6, 24, 78])


def test_ops_used_in_the_tutorial():
    neu = bm.neurons.LIF(1)
    v = bp.ops.ones(neu.V.shape) * -10.
    assert v.shape == (1,) and v.dtype == np.float64
    assert bp.ops.zeros(3).dtype == np.float64
    assert bp.ops.exp(0.0) == 1.0
    assert bp.ops.shape(np.zeros((2, 3))) == (2, 3)
    assert bp.ops.zeros(2, dtype=bp.ops.bool).dtype == np.bool_


# -- the documentation's snippets run as written ------------------------------------------

def test_custom_models_doc_snippets_run():
    import pathlib
    import re
    doc = pathlib.Path(__file__).resolve().parents[1] / "docs" / "custom_models.md"
    blocks = re.findall(r"```python\n(.*?)```", doc.read_text(), flags=re.S)
    assert len(blocks) == 2
    for code in blocks:
        exec(compile(code, str(doc), "exec"), {"__name__": "doc_snippet"})  # their asserts check the results


# -- constructor semantics (reference §2.1) ---------------------------------------------

def test_custom_steps_and_constructor_checks():
    class TwoSteps(bp.NeuGroup):
        target_backend = 'general'

        def __init__(self, size, **kwargs):
            self.log = []
            self.v = bp.ops.zeros(size)
            super().__init__(size, steps=[self.first, self.second], **kwargs)

        def first(self, _t):
            self.log.append(('first', _t))
            self.v += 1

        def second(self, _i, v):  # an argument named after an attribute gets its value
            self.log.append(('second', _i, float(v[0])))

    g = TwoSteps(3, monitors=['v'], name='steps_demo')
    assert g.size == (3,) and g.num == 3 and g.name == 'steps_demo'
    net = bp.Network(g)
    assert net.steps_demo is g
    net.run(0.2)
    assert g.log == [('first', 0.0), ('second', 0, 1.0), ('first', 0.1), ('second', 1, 2.0)]
    assert TwoSteps((2, 5)).num == 10
    with pytest.raises(TypeError):
        bp.TwoEndConn(pre=g, post=object())
    # a bare DynamicSystem with plain step functions, in a network with a group
    seen = []

    def tick(_t, _i):
        seen.append((_i, float(g.v[0])))
    ds = bp.DynamicSystem(steps=tick)
    bp.Network(g, ds).run(0.2)
    assert seen == [(0, 3.0), (1, 4.0)]
