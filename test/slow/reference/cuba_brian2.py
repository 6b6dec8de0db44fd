"""Brette et al. 2007 CUBA in Brian2 (the model of Brian2's CUBA example), for the reference statistics of
spikecs's `cuba` preset. Run with Debian's Brian2 (apt-get install python3-brian):

    /usr/bin/python3 cuba_brian2.py --seed 1 --outdir "$TMP/cuba"

Prints one JSON line: rate_E, rate_I (Hz, spikes / (neurons x 1 s)) and cv_isi (mean over neurons with at
least 3 spikes of std/mean of their ISIs, population std), as in the performance anchors.
"""
import argparse, json
import numpy as np
import brian2 as b2

ap = argparse.ArgumentParser()
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--T', type=float, default=1000.0, help='ms')
ap.add_argument('--outdir', default='build/cuba_brian2')
args = ap.parse_args()

b2.set_device('cpp_standalone', directory=args.outdir, build_on_run=False)
b2.defaultclock.dt = 0.1 * b2.ms
b2.seed(args.seed)
N, NE = 4000, 3200
ms, mV = b2.ms, b2.mV
ns = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, Vt=-50 * mV, Vr=-60 * mV, El=-49 * mV,
          we=(60 * 0.27 / 10) * mV, wi=(-20 * 4.5 / 10) * mV)
# Synaptic variables are voltages; v is clamped while refractory, ge and gi keep decaying.
model = '''
dv/dt = (ge + gi - (v - El)) / taum : volt (unless refractory)
dge/dt = -ge / taue : volt
dgi/dt = -gi / taui : volt
'''
P = b2.NeuronGroup(N, model, threshold='v > Vt', reset='v = Vr', refractory=5 * ms, method='exact', namespace=ns)
P.v = 'Vr + rand() * (Vt - Vr)'
Ce = b2.Synapses(P, P, on_pre='ge += we', namespace=ns)
Ci = b2.Synapses(P, P, on_pre='gi += wi', namespace=ns)
Ce.connect('i < 3200', p=0.02)  # self-pairs allowed, delay 0: one-tick latency
Ci.connect('i >= 3200', p=0.02)
M = b2.SpikeMonitor(P)
b2.run(args.T * ms)
b2.device.build(directory=args.outdir, compile=True, run=True)

idx = np.asarray(M.i[:])
t = np.asarray(M.t[:] / ms)
order = np.lexsort((t, idx))
idx, t = idx[order], t[order]
bounds = np.searchsorted(idx, np.arange(N + 1))
cvs = []
for k in range(N):
    tk = t[bounds[k]:bounds[k + 1]]
    if len(tk) >= 3:
        isi = np.diff(tk)
        cvs.append(isi.std() / isi.mean())
sec = args.T / 1000.0
print(json.dumps(dict(seed=args.seed, rate_E=float(np.sum(idx < NE) / (NE * sec)),
                      rate_I=float(np.sum(idx >= NE) / ((N - NE) * sec)),
                      cv_isi=float(np.mean(cvs)), n_cv=len(cvs))))
