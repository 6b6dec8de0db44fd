import { createWorld } from '@spikecs/ecs-core'
import { addPopulation, addInput, addSpikeMonitor, addStateProbe, spikeData, probeData, run, Izhikevich, AdExIF, ExpIF, QuaIF, HH, HHLTC, ExpIFRef } from '@spikecs/systems'
function isi(desc: any, I: number, ms: number) {
  const w = createWorld({ dtype: 'float64' })
  const p = addPopulation(w, 'n', desc)
  if (I) addInput(w, p, I)
  const m = addSpikeMonitor(w, p)
  const pr = addStateProbe(w, p, 'V', [0])
  run(w, ms)
  const t = Array.from(spikeData(m).ticks)
  const d = t.slice(1).map((x, k) => x - t[k])
  const V = probeData(pr).values
  return { n: t.length, first: t[0], isis: d.slice(0, 12), vEnd: V[V.length - 1] }
}
console.log('RS', isi(Izhikevich({ size: 1 }), 10, 500))
console.log('FS', isi(Izhikevich({ size: 1, a: 0.1, b: 0.2, c: -65, d: 2 }), 10, 500))
console.log('Izh rest', isi(Izhikevich({ size: 1 }), 0, 1000))
console.log('AdEx', isi(AdExIF({ size: 1 }), 10, 500))
console.log('AdEx b5', isi(AdExIF({ size: 1, a: 0, b: 5, tauW: 100 }), 10, 500))
console.log('ExpIF', isi(ExpIF({ size: 1 }), 10, 200))
console.log('ExpIFRef', isi(ExpIFRef({ size: 1, tauRef: 2 }), 10, 200))
console.log('ExpIF rest', isi(ExpIF({ size: 1 }), 0, 1000))
console.log('QuaIF', isi(QuaIF({ size: 1 }), 10, 200))
console.log('QuaIF rest', isi(QuaIF({ size: 1 }), 0, 1000))
for (const I of [0, 50, 100, 150, 200, 300, 500, 1000]) console.log('HH', I, isi(HH({ size: 1 }), I, 300))
for (const I of [0, 200, 1000]) console.log('HHLTC', I, isi(HHLTC({ size: 1 }), I, 300))
