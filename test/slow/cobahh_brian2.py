"""COBAHH (Brette et al. 2007, benchmark 3) in Brian2, as Brian2's own example runs it, for comparing statistics
with spikecs's `cobahh` preset. Run with the Debian interpreter that has python3-brian (2.5.1):

    /usr/bin/python3 test/slow/cobahh_brian2.py [--T 1000] [--seed 1] [--mode cython|numpy] [--crossing]

Prints one JSON line: E and I rates (Hz) and mean CV of ISIs (per neuron std/mean, ddof 0, neurons with >= 3
spikes). `--crossing` replaces Brian2's threshold (v > -20 mV with 3 ms refractoriness) by an upward crossing of
-20 mV, which is spikecs's spike definition for HH neurons.
"""
import argparse, json, time
import numpy as np
from brian2 import (NeuronGroup, Synapses, SpikeMonitor, Network, prefs, seed, defaultclock, ms, mV, nS, umetre,
                    ufarad, siemens, msiemens, cm, Equations)

ap = argparse.ArgumentParser()
ap.add_argument('--T', type=float, default=1000.0)
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--mode', default='cython', choices=['cython', 'numpy'])
ap.add_argument('--crossing', action='store_true')
args = ap.parse_args()
prefs.codegen.target = args.mode
defaultclock.dt = 0.1 * ms
seed(args.seed)

area = 20000 * umetre ** 2
Cm = (1 * ufarad * cm ** -2) * area
gl = (5e-5 * siemens * cm ** -2) * area
El, EK, ENa, VT = -60 * mV, -90 * mV, 50 * mV, -63 * mV
g_na = (100 * msiemens * cm ** -2) * area
g_kd = (30 * msiemens * cm ** -2) * area
taue, taui, Ee, Ei = 5 * ms, 10 * ms, 0 * mV, -80 * mV
we, wi = 6 * nS, 67 * nS

eqs = Equations('''
dv/dt = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v)-g_na*(m*m*m)*h*(v-ENa)-g_kd*(n*n*n*n)*(v-EK))/Cm : volt
dm/dt = alpha_m*(1-m)-beta_m*m : 1
dn/dt = alpha_n*(1-n)-beta_n*n : 1
dh/dt = alpha_h*(1-h)-beta_h*h : 1
dge/dt = -ge*(1./taue) : siemens
dgi/dt = -gi*(1./taui) : siemens
alpha_m = 0.32*(mV**-1)*4*mV/exprel((13*mV-v+VT)/(4*mV))/ms : Hz
beta_m = 0.28*(mV**-1)*5*mV/exprel((v-VT-40*mV)/(5*mV))/ms : Hz
alpha_h = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
beta_h = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
alpha_n = 0.032*(mV**-1)*5*mV/exprel((15*mV-v+VT)/(5*mV))/ms : Hz
beta_n = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
''')
if args.crossing:
    eqs += Equations('vprev : volt')
    P = NeuronGroup(4000, model=eqs, threshold='vprev < -20*mV and v >= -20*mV', method='exponential_euler')
    P.run_regularly('vprev = v', when='after_thresholds')
else:
    P = NeuronGroup(4000, model=eqs, threshold='v>-20*mV', refractory=3 * ms, method='exponential_euler')
Pe, Pi = P[:3200], P[3200:]
Ce = Synapses(Pe, P, on_pre='ge+=we')
Ci = Synapses(Pi, P, on_pre='gi+=wi')
Ce.connect(p=0.02)
Ci.connect(p=0.02)
P.v = 'El + (randn() * 5 - 5)*mV'
P.ge = '(randn() * 1.5 + 4) * 10.*nS'
P.gi = '(randn() * 12 + 20) * 10.*nS'
if args.crossing:
    P.vprev = P.v
mon = SpikeMonitor(P)
net = Network(P, Ce, Ci, mon)
t0 = time.perf_counter()
net.run(args.T * ms)
t_run = time.perf_counter() - t0

i, t = np.asarray(mon.i), np.asarray(mon.t / ms)

def stats(lo, hi):
    sel = (i >= lo) & (i < hi)
    cvs = []
    for k in range(lo, hi):
        tk = np.sort(t[i == k])
        if len(tk) >= 3:
            d = np.diff(tk)
            cvs.append(d.std() / d.mean())
    return {'rateHz': float(sel.sum() / (hi - lo) / (args.T / 1000)), 'cv': float(np.mean(cvs)), 'cvNeurons': len(cvs)}

print(json.dumps({'seed': args.seed, 'T': args.T, 'mode': args.mode, 'crossing': args.crossing, 't_run': round(t_run, 1),
                  'E': stats(0, 3200), 'I': stats(3200, 4000)}))
