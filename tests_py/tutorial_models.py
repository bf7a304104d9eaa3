"""The chapter's own synapse classes, written as the BrainPy handbook writes
them (reference §4.1, §5), with ``import brainsyn as bp; bm = bp``.

Imported by test_tutorial_classes.py; kept apart so the class bodies read
exactly like the tutorial's.
"""

import matplotlib
matplotlib.use("Agg")  # run_syn calls show=True, as the tutorial does
import matplotlib.pyplot as plt  # noqa: E402

import brainsyn as bp  # noqa: E402

bm = bp
bp.backend.set(backend='numba', dt=0.1)
bm.set_backend(backend='numba')  # the appendix calls it; the chapter's picture omits it


class AMPA(bp.TwoEndConn):
    target_backend = ['numpy', 'numba']

    @staticmethod
    def derivative(s, t, TT, alpha, beta):
        ds = alpha * TT * (1 - s) - beta * s
        return ds

    def __init__(self, pre, post, conn, alpha=0.98, beta=0.18, T=0.5, T_duration=0.5, **kwargs):
        # parameters
        self.alpha = alpha
        self.beta = beta
        self.T = T
        self.T_duration = T_duration

        # connections
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.post_ids = conn.requires('pre_ids', 'post_ids')
        self.size = len(self.pre_ids)

        # variables
        self.s = bp.ops.zeros(self.size)
        self.t_last_pre_spike = -1e7 * bp.ops.ones(self.size)

        self.int_s = bp.odeint(f=self.derivative, method='exponential_euler')
        super(AMPA, self).__init__(pre=pre, post=post, **kwargs)

    def update(self, _t):
        for i in range(self.size):
            pre_id = self.pre_ids[i]
            if self.pre.spike[pre_id]:
                self.t_last_pre_spike[pre_id] = _t
            TT = ((_t - self.t_last_pre_spike[pre_id]) < self.T_duration) * self.T
            self.s[i] = self.int_s(self.s[i], _t, TT, self.alpha, self.beta)


class NMDA(bp.TwoEndConn):
    target_backend = ['numpy', 'numba']

    def __init__(self, pre, post, conn, delay=0., g_max=0.15, E=0., cc_Mg=1.2,
                 alpha=0.062, beta=3.57, tau=100, a=0.5, tau_rise=2., **kwargs):
        # parameters
        self.g_max = g_max
        self.E = E
        self.alpha = alpha
        self.beta = beta
        self.cc_Mg = cc_Mg
        self.tau = tau
        self.tau_rise = tau_rise
        self.a = a
        self.delay = delay

        # connections
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.post_ids = conn.requires('pre_ids', 'post_ids')
        self.size = len(self.pre_ids)

        # variables
        self.s = bp.ops.zeros(self.size)
        self.x = bp.ops.zeros(self.size)
        self.g = self.register_constant_delay('g', size=self.size, delay_time=delay)

        self.integral = bp.odeint(f=self.derivative, method='rk4')
        super(NMDA, self).__init__(pre=pre, post=post, **kwargs)

    @staticmethod
    def derivative(s, x, t, tau_rise, tau_decay, a):
        dsdt = -s / tau_decay + a * x * (1 - s)
        dxdt = -x / tau_rise
        return dsdt, dxdt

    def update(self, _t):
        for i in range(self.size):
            pre_id = self.pre_ids[i]
            post_id = self.post_ids[i]

            self.x[i] += self.pre.spike[pre_id]
            self.s[i], self.x[i] = self.integral(self.s[i], self.x[i], _t,
                                                 self.tau_rise, self.tau, self.a)

            # output
            g_inf_exp = bp.ops.exp(-self.alpha * self.post.V[post_id])
            g_inf = 1 + g_inf_exp * self.cc_Mg / self.beta

            self.g.push(i, self.g_max * self.s[i] / g_inf)

            I_syn = self.g.pull(i) * (self.post.V[post_id] - self.E)
            self.post.input[post_id] -= I_syn


class GABAb(bp.TwoEndConn):
    target_backend = ['numpy', 'numba']

    def __init__(self, pre, post, conn, delay=0., g_max=0.02, E=-95.,
                 k1=0.18, k2=0.034, k3=0.09, k4=0.0012, kd=100.,
                 T=0.5, T_duration=0.3, **kwargs):
        # params
        self.g_max = g_max
        self.E = E
        self.k1 = k1
        self.k2 = k2
        self.k3 = k3
        self.k4 = k4
        self.kd = kd
        self.T = T
        self.T_duration = T_duration

        # conn
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.post_ids = conn.requires('pre_ids', 'post_ids')
        self.size = len(self.pre_ids)

        # vars
        self.R = bp.ops.zeros(self.size)
        self.G = bp.ops.zeros(self.size)
        self.t_last_pre_spike = bp.ops.ones(self.size) * -1e7
        self.s = bp.ops.zeros(self.size)
        self.g = self.register_constant_delay('g', size=self.size, delay_time=delay)

        self.integral = bp.odeint(f=self.derivative, method='rk4')
        super(GABAb, self).__init__(pre=pre, post=post, **kwargs)

    @staticmethod
    def derivative(R, G, t, k3, TT, k4, k1, k2):
        dRdt = k3 * TT * (1 - R) - k4 * R
        dGdt = k1 * R - k2 * G
        return dRdt, dGdt

    def update(self, _t):
        for i in range(self.size):
            pre_id = self.pre_ids[i]
            post_id = self.post_ids[i]

            if self.pre.spike[pre_id]:
                self.t_last_pre_spike[i] = _t
            TT = ((_t - self.t_last_pre_spike[i]) < self.T_duration) * self.T

            self.R[i], self.G[i] = self.integral(self.R[i], self.G[i], _t,
                                                 self.k3, TT, self.k4, self.k1, self.k2)
            self.s[i] = self.G[i] ** 4 / (self.G[i] ** 4 + self.kd)

            self.g.push(i, self.g_max * self.s[i])
            I_syn = self.g.pull(i) * (self.post.V[post_id] - self.E)
            self.post.input[post_id] -= I_syn


class Two_exponentials(bp.TwoEndConn):
    target_backend = ['numpy', 'numba']

    def __init__(self, pre, post, conn, tau1=1.0, tau2=3.0, **kwargs):
        # parameters
        self.tau1 = tau1
        self.tau2 = tau2

        # connections
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.post_ids = conn.requires('pre_ids', 'post_ids')
        self.size = len(self.pre_ids)

        # variables
        self.s = bp.ops.zeros(self.size)
        self.x = bp.ops.zeros(self.size)

        self.integral = bp.odeint(f=self.derivative, method='rk4')
        super(Two_exponentials, self).__init__(pre=pre, post=post, **kwargs)

    @staticmethod
    def derivative(s, x, t, tau1, tau2):
        dxdt = (-(tau1 + tau2) * x - s) / (tau1 * tau2)
        dsdt = x
        return dsdt, dxdt

    def update(self, _t):
        for i in range(self.size):
            pre_id = self.pre_ids[i]

            self.s[i], self.x[i] = self.integral(self.s[i], self.x[i], _t, self.tau1, self.tau2)
            self.x[i] += self.pre.spike[pre_id]


class Alpha(bp.TwoEndConn):
    target_backend = ['numpy', 'numba']

    def __init__(self, pre, post, conn, tau=3.0, **kwargs):
        # parameters
        self.tau = tau

        # connections
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.post_ids = conn.requires('pre_ids', 'post_ids')
        self.size = len(self.pre_ids)

        # variables
        self.s = bp.ops.zeros(self.size)
        self.x = bp.ops.zeros(self.size)

        self.integral = bp.odeint(f=self.derivative, method='rk4')
        super(Alpha, self).__init__(pre=pre, post=post, **kwargs)

    @staticmethod
    def derivative(s, x, t, tau):
        dxdt = (-2 * tau * x - s) / (tau ** 2)
        dsdt = x
        return dsdt, dxdt

    def update(self, _t):
        for i in range(self.size):
            pre_id = self.pre_ids[i]

            self.s[i], self.x[i] = self.integral(self.s[i], self.x[i], _t, self.tau)
            self.x[i] += self.pre.spike[pre_id]


class Exponential(bp.TwoEndConn):
    target_backend = ['numpy', 'numba']

    def __init__(self, pre, post, conn, tau=8.0, **kwargs):
        # parameters
        self.tau = tau

        # connections
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.post_ids = conn.requires('pre_ids', 'post_ids')
        self.size = len(self.pre_ids)

        # variables
        self.s = bp.ops.zeros(self.size)

        self.integral = bp.odeint(f=self.derivative, method='exponential_euler')
        super(Exponential, self).__init__(pre=pre, post=post, **kwargs)

    @staticmethod
    def derivative(s, t, tau):
        ds = -s / tau
        return ds

    def update(self, _t):
        for i in range(self.size):
            pre_id = self.pre_ids[i]

            self.s[i] = self.integral(self.s[i], _t, self.tau)
            self.s[i] += self.pre.spike[pre_id]


class Voltage_jump(bp.TwoEndConn):
    """The chapter's version (v1): s is the presynaptic spike."""
    target_backend = ['numpy', 'numba']

    def __init__(self, pre, post, conn, **kwargs):
        # connections
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.post_ids = conn.requires('pre_ids', 'post_ids')
        self.size = len(self.pre_ids)

        # variables
        self.s = bp.ops.zeros(self.size)

        super(Voltage_jump, self).__init__(pre=pre, post=post, **kwargs)

    def update(self, _t):
        for i in range(self.size):
            pre_id = self.pre_ids[i]

            self.s[i] = self.pre.spike[pre_id]


class Voltage_jump_v2(bp.TwoEndConn):
    """The "update V" version (v2, syn.py): it adds to the whole post.V
    array, as the tutorial does (reference §7.1)."""
    target_backend = ['numpy', 'numba']

    def __init__(self, pre, post, conn, delay=0., post_refractory=False, weight=1., **kwargs):
        # parameters
        self.delay = delay
        self.post_refractory = post_refractory

        # connections
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.post_ids = conn.requires('pre_ids', 'post_ids')
        self.size = len(self.pre_ids)

        # variables
        self.s = bp.ops.zeros(self.size)
        self.w = bp.ops.ones(self.size) * weight
        self.I_syn = self.register_constant_delay('I_syn', size=self.size, delay_time=delay)

        super(Voltage_jump_v2, self).__init__(pre=pre, post=post, **kwargs)

    def update(self, _t):
        for i in range(self.size):
            pre_id = self.pre_ids[i]
            post_id = self.post_ids[i]

            self.s[i] = self.pre.spike[pre_id]

            # output
            self.I_syn.push(i, self.s[i] * self.w[i])
            if self.post_refractory:
                refra_post = 1. - self.post.refractory[post_id]
                self.post.V += self.I_syn.pull(i) * refra_post
            else:
                self.post.V += self.I_syn.pull(i)


class Gap_junction(bp.TwoEndConn):
    target_backend = ['numpy', 'numba']

    def __init__(self, pre, post, conn, delay=0., k_spikelet=0.1, post_refractory=False, **kwargs):
        self.delay = delay
        self.k_spikelet = k_spikelet
        self.post_has_refractory = post_refractory

        # connections
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.post_ids = conn.requires('pre_ids', 'post_ids')
        self.size = len(self.pre_ids)

        # variables
        self.w = bp.ops.ones(self.size)
        self.spikelet = self.register_constant_delay('spikelet', size=self.size, delay_time=delay)

        super(Gap_junction, self).__init__(pre=pre, post=post, **kwargs)

    def update(self, _t):
        for i in range(self.size):
            pre_id = self.pre_ids[i]
            post_id = self.post_ids[i]

            self.post.input[post_id] += self.w[i] * (self.pre.V[pre_id] - self.post.V[post_id])

            self.spikelet.push(i, self.w[i] * self.k_spikelet * self.pre.spike[pre_id])

            out = self.spikelet.pull(i)
            if self.post_has_refractory:
                self.post.V[post_id] += out * (1. - self.post.refractory[post_id])
            else:
                self.post.V[post_id] += out


def run_syn(syn_model, **kwargs):
    neu1 = bm.neurons.LIF(2, monitors=['V'])
    neu2 = bm.neurons.LIF(3, monitors=['V'])
    syn = syn_model(pre=neu1, post=neu2, conn=bp.connect.All2All(), monitors=['s'], **kwargs)
    net = bp.Network(neu1, syn, neu2)
    net.run(30., inputs=(neu1, 'input', 35.))
    bp.visualize.line_plot(net.ts, syn.mon.s, ylabel='s', show=True)
    plt.close('all')
    # (the tutorial returns nothing; the tests need the objects)
    return neu1, syn, neu2, net


def run_gabab(syn_model=GABAb, **kwargs):
    neu1 = bm.neurons.LIF(2, monitors=['V'])
    neu2 = bm.neurons.LIF(3, monitors=['V'])
    syn = syn_model(pre=neu1, post=neu2, conn=bp.connect.All2All(), monitors=['s'], **kwargs)
    net = bp.Network(neu1, syn, neu2)

    # input
    I, dur = bp.inputs.constant_current([(25, 20), (0, 1000)])
    net.run(dur, inputs=(neu1, 'input', I))

    bp.visualize.line_plot(net.ts, syn.mon.s, ylabel='s', show=True)
    plt.close('all')
    return neu1, syn, neu2, net


def run_gap(syn_model=Gap_junction):
    neu0 = bm.neurons.LIF(1, monitors=['V'], t_refractory=0)
    neu0.V = bp.ops.ones(neu0.V.shape) * -10.
    neu1 = bm.neurons.LIF(1, monitors=['V'], t_refractory=0)
    neu1.V = bp.ops.ones(neu1.V.shape) * -10.
    syn = syn_model(pre=neu0, post=neu1, conn=bp.connect.All2All(),
                    k_spikelet=5.)
    syn.w = bp.ops.ones(syn.w.shape) * .5

    net = bp.Network(neu0, neu1, syn)
    net.run(100., inputs=(neu0, 'input', 30.))

    fig, gs = bp.visualize.get_figure(row_num=2, col_num=1, )

    fig.add_subplot(gs[1, 0])
    plt.plot(net.ts, neu0.mon.V[:, 0], label='V0')
    plt.legend()

    fig.add_subplot(gs[0, 0])
    plt.plot(net.ts, neu1.mon.V[:, 0], label='V1')
    plt.legend()
    plt.show()
    plt.close('all')
    return neu0, neu1, syn, net
