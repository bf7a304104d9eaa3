"""The C ABI survives hostile calls: bad handles, NULL pointers, negative
lengths, tiny error buffers. Each call runs in a child process, so a crash
fails this test instead of killing pytest."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(r'''
    import ctypes, gc
    import numpy as np
    import brainsyn as bp
    from brainsyn import _native
    L = _native._lib
    i64, vp = ctypes.c_int64, ctypes.c_void_p
    NULL = None

    neu = bp.neurons.LIF(3, monitors=['V'])
    syn = bp.synapses.AMPA(pre=neu, post=neu, conn=bp.connect.All2All())
    net = bp.Network(neu, syn)
    net.run(1.)
    h, s, n = neu._handle, syn._handle, net._handle
    gc.collect()
    base = bp.live_objects()

    def err(size=256):
        return ctypes.create_string_buffer(size), size

    P, N, K, S = vp(), i64(), ctypes.c_int(), i64()
    R = ctypes.byref
    failures = []

    def expect_fail(name, *args, buf=None):
        b, sz = buf if buf is not None else err()
        rc = getattr(L, name)(*args, b, sz)
        if rc != 1:
            failures.append((name, args, rc))
        elif sz > 1 and b is not None and not b.value:
            failures.append((name, "empty message"))
        elif b is not None and b"internal error" in (b.value or b""):
            failures.append((name, b.value[:200]))

    for bad in (0, -1, 2**62, s if False else 999999):
        expect_fail("bs_var", bad, b"V", R(P), R(N), R(K), R(S))
        expect_fail("bs_monitor", bad, 0, R(P), R(N), R(N), R(K), R(S))
        expect_fail("bs_monitor_events", bad, 0, R(P), R(N), R(S))
        expect_fail("bs_set_array", bad, b"w", NULL, 0)
        expect_fail("bs_conn_ids", bad, 0, R(P), R(N), R(S))
        expect_fail("bs_net_input", bad, 0, b"input", b"+", 0, 1, NULL, 0)
    # Wrong kinds of handle.
    expect_fail("bs_monitor", h, 0, R(P), R(N), R(N), R(K), R(S))
    expect_fail("bs_conn_ids", h, 0, R(P), R(N), R(S))
    expect_fail("bs_net_input", h, 0, b"input", b"+", 0, 1, NULL, 0)
    expect_fail("bs_set_array", n, b"w", NULL, 0)
    # NULL names and NULL result pointers.
    expect_fail("bs_var", h, NULL, R(P), R(N), R(K), R(S))
    expect_fail("bs_var", h, b"V", NULL, NULL, NULL, NULL)
    expect_fail("bs_monitor", n, 0, NULL, NULL, NULL, NULL, NULL)
    expect_fail("bs_monitor", n, 0, R(P), R(N), R(N), R(K), NULL)
    expect_fail("bs_monitor", n, -5, R(P), R(N), R(N), R(K), R(S))
    expect_fail("bs_monitor_events", n, 0, R(P), R(N), R(S))  # a row monitor
    expect_fail("bs_conn_ids", s, 1, NULL, NULL, NULL)
    # Negative lengths, NULL data with a length, huge widths.
    x = np.zeros(6)
    expect_fail("bs_set_array", s, b"w", NULL, 5)
    expect_fail("bs_set_array", s, b"w", x.ctypes.data, -1)
    expect_fail("bs_set_array", s, b"w", x.ctypes.data, 4)  # wrong length for 9 synapses
    expect_fail("bs_set_array", s, NULL, x.ctypes.data, 6)
    expect_fail("bs_net_input", n, 0, b"input", b"+", 0, 1, NULL, 3)
    expect_fail("bs_net_input", n, 0, b"input", b"+", 0, 0, x.ctypes.data, 1)
    expect_fail("bs_net_input", n, 0, b"input", b"+", 1, 2**62, x.ctypes.data, 1)
    expect_fail("bs_net_input", n, 0, NULL, b"+", 0, -3, x.ctypes.data, 1)
    ij = np.zeros(3, dtype=np.int32)
    expect_fail("bs_conn_from_ij", 3, 3, NULL, ij.ctypes.data, 3, R(N))
    expect_fail("bs_conn_from_ij", 3, 3, ij.ctypes.data, ij.ctypes.data, -2, R(N))
    expect_fail("bs_conn_from_ij", 2**40, 3, ij.ctypes.data, ij.ctypes.data, 3, R(N))
    expect_fail("bs_conn_from_ij", -1, 3, ij.ctypes.data, ij.ctypes.data, 3, R(N))
    expect_fail("bs_conn_from_ij", 3, 3, ij.ctypes.data, ij.ctypes.data, 3, NULL)
    # Error buffers of size 0 and 1, and a NULL buffer.
    expect_fail("bs_var", 0, b"V", R(P), R(N), R(K), R(S), buf=(ctypes.create_string_buffer(1), 1))
    expect_fail("bs_var", 0, b"V", R(P), R(N), R(K), R(S), buf=(ctypes.create_string_buffer(1), 0))
    expect_fail("bs_var", 0, b"V", R(P), R(N), R(K), R(S), buf=(None, 100))
    b = ctypes.create_string_buffer(8)
    L.bs_var(0, b"V", R(P), R(N), R(K), R(S), b, 8)
    assert b.raw[7] == 0 and len(b.value) == 7, b.raw  # truncated and terminated
    # Stores: releasing what does not exist fails; nothing else changes.
    for sid in (0, -1, 2**62):
        assert L.bs_store_release(sid) == 1
    assert L.bs_live(NULL, NULL, NULL) == 1
    # gopy-bound calls with bad handles raise Python errors.
    for f, args in [("Free", (0,)), ("Vars", (-1,)), ("Info", (2**62,)), ("Begin", (h, 10, 0.1, 0., False, "[]")),
                    ("Run", (n, 5)), ("End", (h,)), ("StepRange", (n, 0, 0, 1)), ("Advance", (n, -4)),
                    ("SetSteps", (n, -1)), ("SetThreads", (0,)), ("NewNetwork", ("[1,1]", '["a","b"]')),
                    ("NewNeuron", ("LIF", '{"shape":[1099511627776]}')), ("NewConn", ('{"kind":"GridN","N":1e9}',)),
                    ("Begin", (n, 10, float("nan"), 0., False, "[]")), ("Begin", (n, -1, 0.1, 0., False, "[]")),
                    ("Begin", (n, 10, 0.1, 0., False, '[{"node":0,"var":"V","idx":[3]}]')),
                    ("SetParams", (0, '{"tau": 5}')), ("SetParams", (h, '{"tau": -1}')), ("SetParams", (h, "[1]")),
                    ("SetParams", (h, '{"taux": 5}')), ("SetParams", (n, '{"tau": 5}'))]:
        try:
            _native.call(f, *args)
            failures.append((f, args, "no error"))
        except bp.errors.BrainsynError as e:
            if "internal error" in str(e):
                failures.append((f, args, str(e)[:200]))
    gc.collect()
    assert bp.live_objects() == base, (bp.live_objects(), base)
    # The objects still work after all that.
    net.run(1.)
    assert neu.mon.V.shape == (10, 3)
    assert not failures, failures
    print("OK")
''')


def test_hostile_c_abi_calls_fail_cleanly():
    p = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and p.stdout.strip().endswith("OK"), (p.returncode, p.stdout[-2000:], p.stderr[-4000:])
