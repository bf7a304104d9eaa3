"""The chapter's AMPA, NMDA and dual exponential declared for the engine
(bp.NativeSynapse), shared by the tests of declared models."""

import brainsyn as bp


class AMPA(bp.NativeSynapse):
    state = {'s': 0.}
    params = dict(alpha=0.98, beta=0.18, T=0.5, T_duration=0.5)
    pulse = True
    method = 'exponential_euler'

    @staticmethod
    def derivative(s, t, TT, alpha, beta):
        return alpha * TT * (1 - s) - beta * s


class NMDA(bp.NativeSynapse):
    state = {'s': 0., 'x': 0.}
    params = dict(tau=100., a=0.5, tau_rise=2.)
    spike_var = 'x'
    spike_first = True
    method = 'rk4'

    @staticmethod
    def derivative(s, x, t, tau, a, tau_rise):
        return -s / tau + a * x * (1 - s), -x / tau_rise


class TwoExp(bp.NativeSynapse):
    state = {'s': 0., 'x': 0.}
    params = dict(tau1=1., tau2=3.)
    spike_var = 'x'
    method = 'rk4'

    @staticmethod
    def derivative(s, x, t, tau1, tau2):
        return x, -(tau1 + tau2) / (tau1 * tau2) * x - s / (tau1 * tau2)
