"""examples/synaptic_models.ipynb runs headless without errors and prints
the chapter's reference numbers (brainpy1_reference §5.6)."""


def test_notebook_runs_and_reproduces_the_chapter(run_notebook):
    nb, text = run_notebook("synaptic_models.ipynb")
    assert "max s = 0.6542 at t = 22.1 ms; final s = 0.1607" in text       # AMPA
    assert "max s = 0.8033; final s = 0.7731" in text                      # NMDA, rk4
    assert "max s = 1.5569e-07 at t = 118.0 ms" in text                    # GABA_B, rk4
    assert "neu1.V at 13.7 ms: 2.491, at 13.8 ms: 4.904" in text           # gap junction spikelet
    diff = float(text.split("largest difference to the closed form: ")[1].split()[0])
    assert diff < 1e-6                                                      # two exponentials, rk4
    # STP: the first release of a train is U (u jumps from 0 to U, x = 1).
    assert "depressing: release at spikes 1-3 = 0.500," in text
    assert "facilitating: release at spikes 1-3 = 0.150," in text
    # STDP: a pair 5 ms apart changes w by ΔA_s·exp(−5/τ_s).
    got, want = text.split("dw at +5 ms = ")[1].split(" (0.01·exp(-5/16.8) = ")
    assert float(got) == float(want.split(")")[0])
    # Oja: w → the unit principal eigenvector; BCM: r_th is the mean output
    # rate and the stronger group wins.
    w = [float(x) for x in text.split("final w = [")[1].split("]")[0].split()]
    v = [float(x) for x in text.split("principal eigenvector = [")[1].split("]")[0].split()]
    assert max(abs(a - b) for a, b in zip(w, v)) < 0.01
    assert "r_th equals the mean output rate: True; mean w: group 1 2.000" in text
    assert "kappa (2 ms bins) = " in text and "chi^2 = " in text
