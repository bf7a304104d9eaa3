"""brainsyn's neuron models against Brian2 (a peer simulator).

``reference/brian2_neurons.npz`` was made by
``reference/make_brian2_neurons.py``: one neuron of each registered model
with the BrainModels defaults written out as Brian2 equations, a constant
input, dt = 0.1 ms and brainsyn's default integrator (forward Euler; HH:
exponential Euler per variable), with brainsyn's spike and refractory rules
expressed in Brian2. Brian2 is not needed here.

Tolerances: the integration is the same arithmetic up to rounding (Brian2
keeps time in seconds, so its dt·f/ms rounds differently from brainsyn's
dt·f; the refractory test is written in brainsyn's ms, see the generator).
Seen: V agrees to 1e-9 of the trace's range (AdExIF, whose exponential term
amplifies rounding near a spike; the others to 1e-12) and every spike falls
in the same step. The test asks for
* V within 1e-6 of the trace's range over the whole run: a step's shift of
  one spike would move V by a large part of the range, and a difference in
  the equations (a parameter, a sign) by far more than 1e-6;
* every spike in the same step (|Δt| < dt/2) and the same number of spikes:
  rounding can move a spike only when the threshold is crossed within
  ~1e-9 of a step's end, which these runs do not come near.
"""

import json
import os

import numpy as np
import pytest

import brainsyn as bp

HERE = os.path.dirname(os.path.abspath(__file__))
REF = np.load(os.path.join(HERE, "reference", "brian2_neurons.npz"))
with open(os.path.join(HERE, "reference", "brian2_neurons.json")) as f:
    META = json.load(f)
DT, T_RUN, EVERY = META["dt_ms"], META["t_run_ms"], META["record_every_steps"]


def run_brainsyn(name):
    g = getattr(bp.neurons, name)(1, monitors=["V", "spike"])
    net = bp.Network(g)
    bp.backend.set_dt(DT)  # conftest restores the default after the test
    net.run(T_RUN, inputs=(g, "input", META["models"][name]["drive"]))
    ts = np.asarray(net.ts)
    v = np.asarray(g.mon.V).reshape(len(ts), -1)[:, 0]
    spikes = ts[np.asarray(g.mon.spike).reshape(len(ts), -1)[:, 0].astype(bool)]
    return v, spikes


def test_reference_covers_every_registered_model():
    assert set(META["models"]) == set(bp.neurons.REGISTRY)


@pytest.mark.parametrize("name", sorted(META["models"]))
def test_neuron_matches_brian2(name):
    v, spikes = run_brainsyn(name)
    ref_v, ref_spikes = REF[f"{name}__V"], REF[f"{name}__spikes"]
    assert len(ref_spikes) >= 3, name
    # Brian2's sample k is the state after the step at t = k·EVERY·dt,
    # brainsyn's monitor row i the state after step i.
    got = v[::EVERY][:len(ref_v)]
    assert len(got) == len(ref_v)
    np.testing.assert_allclose(got, ref_v, rtol=0, atol=1e-6 * np.ptp(ref_v), err_msg=name)
    assert len(spikes) == len(ref_spikes), (name, spikes, ref_spikes)
    np.testing.assert_allclose(spikes, ref_spikes, rtol=0, atol=DT / 2, err_msg=name)
