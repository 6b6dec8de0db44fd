#!/usr/bin/env node
// Mutation test (`pnpm test:mutants`): deliberate semantic faults, injected into the sources one at a time,
// each of which the test files listed for it must catch. For every mutant of MUTANTS the script
//   1. applies its edits (each edit's pattern must match its expected number of times — once unless `count`
//      says otherwise — in the file or folder `in`, or the run fails naming the mutant: nothing is skipped);
//   2. rebuilds what the tests import (`tsc -b tsconfig.build.json`; the WebAssembly build first when a
//      generator under packages/systems/wasm/ changed, and once more after such a mutant, to restore it);
//   3. runs its test files one by one (`node test/run.mjs test '^PATH\.test\.ts$' --bail`, PATH under test/)
//      until a test fails: the mutant is killed; if all pass it SURVIVED;
//   4. restores the files byte for byte.
// It prints one line per mutant and `N of N mutants killed`, and exits non-zero when a mutant survived, did not
// apply or did not build, or when the listed test files fail on the unmutated sources (checked first, once).
// Files are restored on failure, on an exception and on SIGINT/SIGTERM/SIGHUP; a journal in
// node_modules/.cache/spikecs-mutants/ lets the next run restore them after a hard kill. At the end the sources
// are rebuilt once (dist matches them again) and every touched file is checked unchanged (`git diff --quiet`
// for those that were clean before the run).
//
// Options: --list (check that every mutant applies and print where, run nothing), --only ID[,ID…],
// --no-baseline (skip the run on unmutated sources), --all-tests (run every listed test file of a mutant, to
// see which of them catch it), --verbose (print the output of every test run).
//
// Updating a mutant when the code it targets moves. A mutant is defined by what it breaks (`breaks`), not by
// where the code was: the count of mutants and each one's fault must stay. When a refactor moves or rewrites
// the code, the run stops with "mutant ID no longer applies: pattern … matched 0 times in …":
//   - find the code that now implements what `breaks` describes (`pnpm test:mutants --list` shows where every
//     other mutant applies);
//   - point `in` at its file or at a folder that contains it (a folder is searched recursively: .ts, .mjs and
//     .js sources, not dist/, *.gen.ts or *.d.ts), and rewrite `from` (a string, or a RegExp for a multi-line
//     anchor) so that it matches the new text exactly `count` times, and `to` so that it injects the same fault;
//   - if the tests moved, update `tests` (paths under test/ without `.test.ts`, e.g. `systems/comm/jit`; the
//     fastest exact ones first, since the first failure ends the mutant's run);
//   - run `pnpm test:mutants --only ID`: it must be killed. If it survives, the tests have lost the check:
//     restore it with a test of the behaviour (an exact expectation), not one that recognises the mutant's text.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const SYSTEMS = 'packages/systems/src'
const WASM_GEN = 'packages/systems/wasm'

/**
 * The mutants. `edits` (or a single edit given inline as `in`, `from`, `to`, `count`): `in` a file or folder
 * relative to the repository root, `from` a string or RegExp, `to` its replacement (for a RegExp, `$1`… refer
 * to its groups), `count` how many matches there must be (default 1); all matches are replaced.
 */
const MUTANTS = [
  // --- synapse states: the Mg and non-Mg orders (docs/semantics.md, "Synapse states: Mg and non-Mg")
  {
    id: 'mg-order-expon-fused',
    breaks: 'fused Expon kernel: Mg and non-Mg orders swapped (merged states bind g before decay, own states after)',
    in: `${SYSTEMS}/codegen/js.ts`,
    from: 'emitSynapse(sr, k, s.merged,',
    to: "emitSynapse(sr, k, s.kind === 'Expon' ? !s.merged : s.merged,",
    tests: ['systems/systems/latency', 'systems/reference'],
  },
  {
    id: 'mg-order-expon-unfused',
    breaks: 'AlignPostSystem (unfused) Expon: Mg and non-Mg orders swapped',
    in: `${SYSTEMS}/codegen/js.ts`,
    from: 'unfusedSynapseSource(rec, s.merged, alias,',
    to: "unfusedSynapseSource(rec, rec.kind === 'Expon' ? !s.merged : s.merged, alias,",
    tests: ['systems/reference', 'systems/models/flush'],
  },
  {
    id: 'mg-order-rise',
    breaks: 'fused Alpha/DualExpon kernel: Mg and non-Mg orders swapped',
    in: `${SYSTEMS}/codegen/js.ts`,
    from: 'emitSynapse(sr, k, s.merged,',
    to: "emitSynapse(sr, k, s.kind === 'Alpha' || s.kind === 'DualExpon' ? !s.merged : s.merged,",
    tests: ['systems/models/synapses-rise', 'systems/reference'],
  },
  {
    id: 'wasm-expon-cond-after-decay',
    breaks: 'WebAssembly neuron kernel, non-Mg Expon: the conductance is taken after the decay instead of before',
    in: `${WASM_GEN}/lif-kernels.mjs`,
    from: "else if (mg === 'n') out.push(set(`c${k}`, get(`x${k}`))",
    to: "else if (mg === 'n') out.push(set(`c${k}`, get(`y${k}`))",
    tests: ['systems/wasm/wasm', 'systems/models/flush'],
  },
  {
    id: 'wasm-expon-mg-cond-before-decay',
    breaks: 'WebAssembly neuron kernel, Mg Expon: the conductance is the state before the decay (add-then-decay lost)',
    in: `${WASM_GEN}/lif-kernels.mjs`,
    from: "if (mg === 'm') out.push(set(`c${k}`, get(`y${k}`)))",
    to: "if (mg === 'm') out.push(set(`c${k}`, get(`x${k}`)))",
    tests: ['systems/wasm/wasm'],
  },
  {
    id: 'dualexpon-A-dropped',
    breaks: "DualExpon: the amplitude A left out of the propagator's coupling c (peak no longer A-normalised)",
    in: `${SYSTEMS}/models`,
    from: 'p.A * (Math.exp(-dt / p.tauDecay) - Math.exp(-dt / p.tauRise))',
    to: '(Math.exp(-dt / p.tauDecay) - Math.exp(-dt / p.tauRise))',
    tests: ['systems/models/synapses-rise'],
  },
  {
    id: 'alpha-coupling',
    breaks: 'Alpha: the coupling c of h into g is e^(−dt/τ) instead of (dt/τ)·e^(−dt/τ) (peak no longer 1/e at τ)',
    in: `${SYSTEMS}/models`,
    from: 'f: (p, dt) => (dt / p.tauDecay) * Math.exp(-dt / p.tauDecay)',
    to: 'f: (p, dt) => Math.exp(-dt / p.tauDecay)',
    tests: ['systems/models/synapses-rise'],
  },
  // --- latencies (docs/semantics.md, "Spike transport and latency")
  {
    id: 'delay-floor',
    breaks: 'ms → ticks rounds down (floor) instead of to the nearest tick: roundDelay 0.25 ms gives 2 ticks, not 3',
    in: 'packages/ecs-core/src',
    from: 'const ticks = Math.round(exact)',
    to: 'const ticks = Math.floor(exact)',
    tests: ['systems/systems/latency'],
  },
  {
    id: 'delay-off-by-one',
    breaks: 'a full projection delivers one tick early (max(1, round(D/dt) − 1), BrainPy issue #709)',
    in: `${SYSTEMS}/builders`,
    from: "latency = Math.max(1, msToTicks(obj, 'delay', d.delay, world.dtMs, d.roundDelay === true))",
    to: "latency = Math.max(1, msToTicks(obj, 'delay', d.delay, world.dtMs, d.roundDelay === true) - 1)",
    tests: ['systems/systems/latency'],
  },
  {
    id: 'queue-slot-off-by-one',
    breaks: 'a delay entry of latency L reads the spikes of tick k − L − 1 (one ring slot too old)',
    in: 'packages/ecs-core/src',
    from: 'let s = q.head - (latency - 1)',
    to: 'let s = q.head - latency',
    tests: ['systems/systems/latency'],
  },
  {
    id: 'slice-default-latency',
    breaks: "fromQueue's default latency is 2 ticks instead of 1 (the previous tick's spikes)",
    in: `${SYSTEMS}/builders`,
    from: 'latency: opts.latency ?? 1',
    to: 'latency: opts.latency ?? 2',
    tests: ['systems/systems/latency'],
  },
  {
    id: 'spike-buffer-latency',
    breaks: 'a spike buffer filled by a system inserted before CommSystem is delivered one tick late',
    in: SYSTEMS,
    from: "list.splice('before' in where ? k : k + 1, 0, system)",
    to: 'list.splice(k + 1, 0, system)',
    tests: ['systems/systems/latency'],
  },
  // --- neurons (docs/semantics.md, "Neurons")
  {
    id: 'threshold-ts-fused',
    breaks: 'fused TypeScript LIF kernel spikes at V > V_th instead of V ≥ V_th',
    in: `${SYSTEMS}/codegen/js.ts`,
    from: '    ...outBody,\n    n.body,\n',
    to: "    ...outBody,\n    n.body.replace('if ((n_V >= p_vTh))', 'if ((n_V > p_vTh))'),\n",
    tests: ['systems/models/neuron'],
  },
  {
    id: 'threshold-ts-unfused',
    breaks: 'unfused TypeScript LIF kernels (LTC and non-LTC) spike at V > V_th instead of V ≥ V_th',
    in: `${SYSTEMS}/codegen/js.ts`,
    from: "'$1\\nG[i] = 0; GE[i] = 0; I[i] = 0;')",
    to: "'$1\\nG[i] = 0; GE[i] = 0; I[i] = 0;').replace('if ((n_V >= p_vTh))', 'if ((n_V > p_vTh))')",
    tests: ['systems/models/neuron'],
  },
  {
    id: 'threshold-wasm',
    breaks: 'WebAssembly LIF kernel spikes at V > V_th instead of V ≥ V_th',
    in: `${WASM_GEN}/lif-kernels.mjs`,
    from: "(f32x4.ge ${get('vn')} ${get('vTh')})",
    to: "(f32x4.gt ${get('vn')} ${get('vTh')})",
    count: 2,
    tests: ['systems/wasm/wasm'],
  },
  {
    id: 'refractory-short',
    breaks: 'fused TypeScript LIF kernel holds a neuron n_ref − 1 ticks after a spike instead of n_ref',
    in: `${SYSTEMS}/codegen/js.ts`,
    from: '    ...outBody,\n    n.body,\n',
    to: "    ...outBody,\n    n.body.replace('tick - c_last[i] <= p_nRef', 'tick - c_last[i] < p_nRef'),\n",
    tests: ['systems/models/neuron'],
  },
  {
    id: 'refractory-long',
    breaks: 'LIF refractory period is round(τ_ref/dt) + 1 ticks (every kernel reads the derived n_ref)',
    in: `${SYSTEMS}/models`,
    from: "msToTicks('refractory period', 'tauRef', p.tauRef, dt, true)",
    to: "msToTicks('refractory period', 'tauRef', p.tauRef, dt, true) + 1",
    tests: ['systems/models/neuron'],
  },
  {
    id: 'refractory-wasm-short',
    breaks: 'WebAssembly LIF kernel holds a neuron n_ref − 1 ticks after a spike',
    in: `${WASM_GEN}/lif-kernels.mjs`,
    from: "(i32x4.gt_s (i32x4.sub ${get('tickv')} ${get('lastv')}) ${get('nRef')})",
    to: "(i32x4.ge_s (i32x4.sub ${get('tickv')} ${get('lastv')}) ${get('nRef')})",
    tests: ['systems/wasm/wasm'],
  },
  {
    id: 'ltc-factor-dropped',
    breaks:
      'LTC LIF record (its fused and unfused TypeScript kernels): the exponent −dt/τ lacks its factor ' +
      '1 + R·G (conductances leave the step)',
    in: `${SYSTEMS}/models/lif.ts`,
    from: 'exp(negDtOverTau * g1)',
    to: 'exp(negDtOverTau)',
    tests: ['systems/reference'],
  },
  {
    id: 'ltc-factor-dropped-wasm',
    breaks: 'WebAssembly LTC LIF kernel: the exponent lacks its R·G term',
    in: `${WASM_GEN}/lif-kernels.mjs`,
    from: "...exp4(`(f32x4.add ${get('rA')} (f32x4.mul ${get('rB')} ${get('G')}))`)",
    to: "...exp4(get('rA'))",
    tests: ['systems/wasm/wasm'],
  },
  {
    id: 'coba-sign-unfused',
    breaks: 'non-LTC LIF record (its unfused and fused TypeScript kernels): COBA current g·(V − E) instead of g·(E − V)',
    in: `${SYSTEMS}/models/lif.ts`,
    from: 'let vInf = vRest + R * (ii + GE - G * V)',
    to: 'let vInf = vRest + R * (ii - GE + G * V)',
    tests: ['systems/reference'],
  },
  {
    id: 'coba-sign-wasm',
    breaks: 'WebAssembly non-LTC LIF kernel: COBA current g·(V − E) instead of g·(E − V)',
    in: `${WASM_GEN}/lif-kernels.mjs`,
    from: "(f32x4.sub (f32x4.add ${get('ii')} ${get('GE')}) (f32x4.mul ${get('G')} ${get('v')}))",
    to: "(f32x4.add (f32x4.sub ${get('ii')} ${get('GE')}) (f32x4.mul ${get('G')} ${get('v')}))",
    tests: ['systems/wasm/wasm'],
  },
  {
    id: 'fused-skips-rounding',
    breaks: 'the fused kernel uses conductances and states unrounded to float32 where the unfused kernels store them',
    in: `${SYSTEMS}/codegen/js.ts`,
    from: 'const round = roundFor(dtype)\n  const pro',
    to: 'const round = (x: string) => `(${x})`\n  const pro',
    tests: ['systems/reference'],
  },
  // --- outputs (docs/semantics.md, "Outputs and the sums a neuron receives")
  {
    id: 'mgblock-new-v',
    breaks: "MgBlock's B(V) evaluated at the tick's new V (one corrector step) instead of the previous V",
    edits: [
      { in: `${SYSTEMS}/codegen/js.ts`, from: "emitOutput(outs[k], k, 'c_V[i]')", to: "emitOutput(outs[k], k, 'vB')" },
      {
        in: `${SYSTEMS}/codegen/js.ts`,
        from: '    ...outBody,\n    n.body,\n',
        to:
          "    'let vB = c_V[i]; const vS = c_V[i], nS = ns, lS = c_last[i];', 'for (let it = 0; it < 2; it++) {',\n" +
          "    'if (it === 1) { vB = c_V[i]; c_V[i] = vS; ns = nS; c_last[i] = lS; }', ...outBody, n.body, '}',\n",
      },
    ],
    tests: ['systems/reference'],
  },
  // --- merging (docs/semantics.md, "Merging")
  {
    id: 'merge-key-ignores-params',
    breaks: 'merge key ignores the parameter values (Expon τ 5 and τ 6 share a state)',
    in: 'packages/ecs-core/src',
    from: '`${k}=${String(d.params[k])}`',
    to: '`${k}`',
    tests: ['systems/builders/merge'],
  },
  {
    id: 'merge-key-ignores-kind',
    breaks: 'merge key ignores the model kind (Alpha τ 5 and Expon τ 5, COBA and MgBlock(ccMg 0) merge)',
    in: 'packages/ecs-core/src',
    from: 'return `${d.kind}(${keys',
    to: 'return `(${keys',
    tests: ['systems/builders/merge'],
  },
  {
    id: 'merge-key-ignores-label',
    breaks: 'merge key ignores the output label',
    in: 'packages/ecs-core/src',
    from: "${label === null ? '' : `label:${label}`}",
    to: '',
    tests: ['systems/builders/merge'],
  },
  // --- connectivity (docs/semantics.md, "Comm layers and connectivity")
  {
    id: 'gap-table-last-threshold',
    breaks: 'table-mode gap sampler one threshold short: a row whose first gap is ≥ nPost gets target nPost − 1',
    in: `${SYSTEMS}/comm`,
    from: 'for (let g = 1; g <= nPost; g++) {',
    to: 'for (let g = 1; g < nPost; g++) {',
    tests: ['systems/comm/jit'],
  },
  {
    id: 'gap-log-cap',
    breaks: 'log-mode gap sampler capped at nPost − 1: an empty row gets target nPost − 1',
    in: `${SYSTEMS}/comm`,
    from: 'Math.floor(lnUniformI(r | 0) * t.invLog1mp), t.cap)',
    to: 'Math.floor(lnUniformI(r | 0) * t.invLog1mp), t.cap - 1)',
    tests: ['systems/comm/jit'],
  },
  {
    id: 'csr-key',
    breaks: 'FixedProb stored rows keyed by another seed than the on-the-fly rows of the same projection',
    in: `${SYSTEMS}/comm`,
    from: 'rowGenerator(ctx, cObj, conn.prob, conn.includeSelf, conn.seed,',
    to: 'rowGenerator(ctx, cObj, conn.prob, conn.includeSelf, (conn.seed ?? ctx.world.seed) + 1,',
    tests: ['systems/comm/jit'],
  },
  {
    id: 'include-self-ignored',
    breaks: 'includeSelf: false ignored by the on-the-fly rows (the pair (i, i) is delivered)',
    in: `${SYSTEMS}/comm`,
    from: 'const skipSelf = gen.includeSelf ? -1 : self',
    to: 'const skipSelf = -1',
    tests: ['systems/comm/include-self'],
  },
  {
    id: 'all2all-include-self-ignored',
    breaks: 'All2All with includeSelf: false gives a spiking post w·n instead of w·(n − 1) (its own spike counted)',
    in: `${SYSTEMS}/comm`,
    from: 'g[j] += w * (sum - (vals === null ? 1 : vals[q]))',
    to: 'g[j] += w * sum',
    count: 2, // the kernel and its thread-range form (comm/all2all.ts)
    tests: ['systems/comm/include-self'],
  },
  {
    id: 'nonevent-value-ignored',
    breaks: 'non-event layers with one weight add w instead of w·x for a value buffer (graded input ignored)',
    edits: [
      { in: `${SYSTEMS}/comm/jit.ts`, from: 'const wx = w * x', to: 'const wx = w' },
      // The kernel and its thread-range form.
      { in: `${SYSTEMS}/comm/csr.ts`, from: 'const wx = vals === null ? w : w * vals[q]', to: 'const wx = w', count: 2 },
    ],
    tests: ['systems/comm/comm-nonevent'],
  },
  {
    id: 'csrlinear-event-count',
    breaks: 'CSRLinear with a value buffer counts one event per value instead of one per synapse reached',
    in: `${SYSTEMS}/comm`,
    from: 'events += ptr[i + 1] - ptr[i]',
    to: 'events += 1',
    tests: ['systems/events'],
  },
  // --- precision (docs/semantics.md, "Flush of tiny synapse states")
  {
    id: 'flush-limit-float32',
    breaks: 'float32 flush limit 2^−100 instead of the midpoint below it: a value that rounds to 2^−100 is flushed',
    in: `${SYSTEMS}/models`,
    from: "return dtype === 'float32' ? 2 ** -100 - 2 ** -125 : 2 ** -100",
    to: 'return 2 ** -100',
    tests: ['systems/models/flush'],
  },
  // --- plasticity: STDP_Song2000 (docs/semantics.md, "Plasticity")
  {
    id: 'stdp-depression-sign',
    breaks: 'STDP_Song2000: an arriving pre spike potentiates by A2·Apost instead of depressing',
    in: `${SYSTEMS}/plasticity/stdp.ts`,
    from: 'let w = W[k] - A2 * Ap[j]',
    to: 'let w = W[k] + A2 * Ap[j]',
    tests: ['systems/plasticity/stdp'],
  },
  {
    id: 'stdp-pre-trace-early',
    breaks: 'STDP_Song2000: the pre trace takes the arrivals of tick k before the rule reads it (Apre_k, not Apre_{k−1})',
    edits: [
      {
        in: `${SYSTEMS}/systems/CommSystem.ts`,
        from: '      stdpPotentiate(stdp, c, spikes, nSpikes, 0, n)\n',
        to: '      stdpPreTrace(stdp, idx, from, to, offset)\n      stdpPotentiate(stdp, c, spikes, nSpikes, 0, n)\n',
      },
      {
        in: `${SYSTEMS}/systems/CommSystem.ts`,
        from: '      }\n      stdpPreTrace(stdp, idx, from, to, offset)\n      continue',
        to: '      }\n      continue',
      },
    ],
    tests: ['systems/plasticity/stdp'],
  },
  {
    id: 'stdp-clip-once',
    breaks: 'STDP_Song2000: depression not clipped on its own (only the potentiation of the same tick clips)',
    in: `${SYSTEMS}/plasticity/stdp.ts`,
    from: '      let w = W[k] - A2 * Ap[j]\n      if (w < lo) w = lo\n      else if (w > hi) w = hi\n',
    to: '      const w = W[k] - A2 * Ap[j]\n',
    tests: ['systems/plasticity/stdp'],
  },
  // --- threads (docs/architecture.md, "Threads")
  {
    id: 'threads-bucket-order',
    breaks: 'with threads, an owner adds the on-the-fly buckets in reverse generator order (not spike order)',
    in: `${SYSTEMS}/threads/runner.ts`,
    from: 'for (let gt = 0; gt < T; gt++) {',
    to: 'for (let gt = T - 1; gt >= 0; gt--) {',
    tests: ['systems/threads/threads'],
  },
  {
    id: 'threads-spike-order',
    breaks: "with threads, a population's spike list is concatenated in reverse thread order (not ascending)",
    in: `${SYSTEMS}/threads/phase.ts`,
    from: '    for (let t = 0; t < T; t++) {\n      const e = I32[base + k * T + t]',
    to: '    for (let t = T - 1; t >= 0; t--) {\n      const e = I32[base + k * T + t]',
    tests: ['systems/threads/threads'],
  },
  // --- the PyNN export of STDP_Song2000 (docs/pynn.md, "Plasticity")
  {
    id: 'pynn-stdp-a-absolute',
    breaks: "PyNN export: A_plus, A_minus written as STDP_Song2000's A1, A2 instead of relative to w_max",
    in: 'packages/presets/src/pynn/connect.ts',
    from: 'aPlus: tidy(A1 / wMax), aMinus: tidy(A2 / wMax)',
    to: 'aPlus: tidy(A1), aMinus: tidy(A2)',
    tests: ['presets/pynn/pynn'],
  },
  {
    id: 'pynn-stdp-bounds-unscaled',
    breaks: "PyNN export: a plastic projection's w_min, w_max left in spikecs's units while its weights are converted",
    in: 'packages/presets/src/pynn/connect.ts',
    from: 'wMin: w(d.wMin), wMax: w(d.wMax)',
    to: 'wMin: d.wMin, wMax: d.wMax',
    tests: ['presets/pynn/pynn'],
  },
]

// ---------------------------------------------------------------------------------------------------------

const args = process.argv.slice(2)
const opt = {
  list: args.includes('--list'),
  verbose: args.includes('--verbose'),
  baseline: !args.includes('--no-baseline'),
  allTests: args.includes('--all-tests'),
  only: (() => {
    const k = args.indexOf('--only')
    return k < 0 ? null : (args[k + 1] ?? '').split(',').filter(Boolean)
  })(),
}
for (const a of args) {
  if (a.startsWith('--') && !['--list', '--verbose', '--no-baseline', '--all-tests', '--only'].includes(a)) fail(`unknown option ${a}`)
}

function fail(msg) {
  console.error(`test:mutants: ${msg}`)
  process.exit(2)
}

const JOURNAL_DIR = join(root, 'node_modules/.cache/spikecs-mutants')
const JOURNAL = join(JOURNAL_DIR, 'journal.json')

/** Original contents of every file touched so far, and whether git saw it clean before the run. */
const originals = new Map()
/** The mutated contents currently on disk (file → text), for the journal. */
const mutated = new Map()
let child = null

function writeJournal() {
  mkdirSync(JOURNAL_DIR, { recursive: true })
  const entries = [...mutated].map(([file, text]) => ({ file, original: originals.get(file).text, mutated: text }))
  writeFileSync(JOURNAL, JSON.stringify(entries))
}

function restoreAll() {
  for (const file of mutated.keys()) writeFileSync(join(root, file), originals.get(file).text)
  mutated.clear()
  if (existsSync(JOURNAL)) rmSync(JOURNAL)
}

/** After a hard kill: put back what the journal says was mutated (only where the file still holds the mutant). */
function recoverJournal() {
  if (!existsSync(JOURNAL)) return
  const entries = JSON.parse(readFileSync(JOURNAL, 'utf8'))
  for (const e of entries) {
    const path = join(root, e.file)
    const now = readFileSync(path, 'utf8')
    if (now === e.mutated) {
      writeFileSync(path, e.original)
      console.log(`restored ${e.file} from the journal of an interrupted run`)
    } else if (now !== e.original) {
      fail(
        `${e.file} changed since an interrupted run left it mutated; compare it with ` +
          `${relative(root, JOURNAL)} by hand, then delete that file`,
      )
    }
  }
  rmSync(JOURNAL)
  if (!rebuildSync()) fail('the restored sources do not build')
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (child !== null) {
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {
        /* already gone */
      }
    }
    restoreAll()
    const built = rebuildSync() // dist back to the sources, before the process ends
    console.error(`\ntest:mutants: ${sig}: sources restored${built ? ' and rebuilt' : '; the rebuild failed: run pnpm build'}`)
    process.exit(sig === 'SIGINT' ? 130 : 143)
  })
}
process.on('exit', () => restoreAll())

/** Source files under `path` (a file or a folder) that patterns are searched in. */
function sourceFiles(path) {
  const abs = join(root, path)
  if (!existsSync(abs)) return null
  if (statSync(abs).isFile()) return [path]
  const out = []
  const walk = (dir) => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const rel = `${dir}/${name}`
      if (name === 'node_modules' || name === 'dist') continue
      if (statSync(join(root, rel)).isDirectory()) walk(rel)
      else if (/\.(ts|mjs|js)$/.test(name) && !/\.(gen|d)\.ts$/.test(name)) out.push(rel)
    }
  }
  walk(path)
  return out
}

function editsOf(m) {
  return m.edits ?? [{ in: m.in, from: m.from, to: m.to, count: m.count }]
}

const globalRe = (re) => new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`)

function countIn(text, from) {
  if (typeof from === 'string') return text.split(from).length - 1
  return [...text.matchAll(globalRe(from))].length
}

function replaceIn(text, from, to) {
  return typeof from === 'string' ? text.split(from).join(to) : text.replace(globalRe(from), to)
}

/** Offset of the first match of `from` in `text` (−1 when none). */
function firstIndex(text, from) {
  return typeof from === 'string' ? text.indexOf(from) : text.search(new RegExp(from.source, from.flags.replace('g', '')))
}

function show(from) {
  const s = typeof from === 'string' ? JSON.stringify(from) : String(from)
  return s.length > 90 ? `${s.slice(0, 87)}…` : s
}

/**
 * The files a mutant changes and their mutated texts, computed in memory from the current (original) texts.
 * Throws, naming the mutant, when an edit does not match its count.
 */
function planMutant(m, read) {
  const texts = new Map()
  const where = []
  for (const e of editsOf(m)) {
    const files = sourceFiles(e.in)
    if (files === null) throw new Error(`mutant ${m.id} no longer applies: ${e.in} does not exist`)
    const want = e.count ?? 1
    const hits = []
    for (const f of files) {
      const text = texts.get(f) ?? read(f)
      const n = countIn(text, e.from)
      if (n > 0) hits.push([f, n, text])
    }
    const total = hits.reduce((a, h) => a + h[1], 0)
    if (total !== want) {
      throw new Error(
        `mutant ${m.id} no longer applies: pattern ${show(e.from)} matched ${total} times in ${e.in}` +
          `${hits.length ? ` (${hits.map((h) => `${h[0]}: ${h[1]}`).join(', ')})` : ''}, expected ${want}`,
      )
    }
    for (const [f, , text] of hits) {
      where.push(`${f}:${text.slice(0, firstIndex(text, e.from)).split('\n').length}`)
      texts.set(f, replaceIn(text, e.from, e.to))
    }
  }
  return { texts, where }
}

function readOriginal(file) {
  if (!originals.has(file)) {
    const clean = spawnSync('git', ['diff', '--quiet', '--', file], { cwd: root }).status === 0
    originals.set(file, { text: readFileSync(join(root, file), 'utf8'), clean })
  }
  return originals.get(file).text
}

/** Runs a command; resolves to { code, out, timedOut }. The child gets its own process group, killed as one. */
function runCmd(cmd, argv, timeoutMs = 0) {
  return new Promise((resolve) => {
    let out = ''
    let timedOut = false
    child = spawn(cmd, argv, { cwd: root, detached: true, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } })
    const me = child
    child.stdout.on('data', (d) => {
      out += d
    })
    child.stderr.on('data', (d) => {
      out += d
    })
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true
            try {
              process.kill(-me.pid, 'SIGKILL')
            } catch {
              /* gone */
            }
          }, timeoutMs)
        : null
    child.on('close', (code) => {
      if (timer) clearTimeout(timer)
      child = null
      resolve({ code: code ?? 1, out, timedOut })
    })
  })
}

const TSC = join(root, 'node_modules/.bin/tsc')
/** What the tests import, rebuilt: the WebAssembly module (when asked) then `tsc -b` (only changed projects). */
function buildSteps(wasm) {
  const steps = []
  if (wasm) steps.push([process.execPath, ['--import', 'tsx', 'packages/systems/scripts/build-wasm.ts']])
  steps.push([TSC, ['-b', 'tsconfig.build.json']])
  return steps
}
/** The whole rebuild, synchronously (after an interruption); true when it succeeded. */
function rebuildSync() {
  return buildSteps(true).every(([cmd, argv]) => spawnSync(cmd, argv, { cwd: root, stdio: 'ignore' }).status === 0)
}
async function build(wasm) {
  for (const [cmd, argv] of buildSteps(wasm)) {
    const r = await runCmd(cmd, argv)
    if (r.code !== 0) return r.out
  }
  return null
}

const TEST_TIMEOUT_MS = 180_000
/**
 * Runs the test files in order until one fails (with --all-tests: every one); returns the failing ones
 * (null when all pass).
 */
async function runTests(tests) {
  let failed = null
  for (const t of tests) {
    const r = await runCmd(
      process.execPath,
      ['test/run.mjs', 'test', `^${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.test\\.ts$`, '--bail'],
      TEST_TIMEOUT_MS,
    )
    if (opt.verbose) process.stdout.write(r.out)
    if (r.code === 0) continue
    failed ??= { tests: [], timedOut: false, out: '' }
    failed.tests.push(t + (r.timedOut ? ' (timeout)' : ''))
    failed.out += r.out
    if (!opt.allTests) break
  }
  return failed
}

const sec = (t0) => ((performance.now() - t0) / 1000).toFixed(1).padStart(5)

async function main() {
  recoverJournal()
  const ids = new Set(MUTANTS.map((m) => m.id))
  if (ids.size !== MUTANTS.length) fail('two mutants share an id')
  for (const id of opt.only ?? []) if (!ids.has(id)) fail(`no mutant ${id} (see --list)`)
  const chosen = MUTANTS.filter((m) => opt.only === null || opt.only.includes(m.id))
  for (const m of chosen) {
    for (const t of m.tests) if (!existsSync(join(root, 'test', `${t}.test.ts`))) fail(`mutant ${m.id}: no test file test/${t}.test.ts`)
  }
  // Every mutant must apply before anything runs (so a moved pattern fails at once, naming the mutant).
  const plans = new Map()
  try {
    for (const m of chosen) plans.set(m.id, planMutant(m, readOriginal))
  } catch (e) {
    fail(e.message)
  }
  if (opt.list) {
    for (const m of chosen)
      console.log(`${m.id}\n  breaks: ${m.breaks}\n  at:     ${plans.get(m.id).where.join(', ')}\n  tests:  ${m.tests.join(', ')}`)
    console.log(`${chosen.length} mutants, all apply`)
    return 0
  }

  const t0 = performance.now()
  const isWasm = (m) => [...plans.get(m.id).texts.keys()].some((f) => f.startsWith(WASM_GEN))
  let err = await build(true)
  if (err !== null) fail(`the unmutated sources do not build:\n${err}`)
  if (opt.baseline) {
    const union = [...new Set(chosen.flatMap((m) => m.tests))]
    const tb = performance.now()
    const bad = await runTests(union)
    if (bad !== null) {
      process.stdout.write(bad.out)
      fail(`${bad.tests.map((t) => `test/${t}.test.ts`).join(', ')} fail(s) on the unmutated sources: the mutants cannot be judged`)
    }
    console.log(`baseline: ${union.length} test files pass on the unmutated sources (${sec(tb).trim()} s)`)
  }

  let killed = 0
  const problems = []
  let wasmDirty = false // the WebAssembly module was last built from a mutated generator
  for (const m of chosen) {
    const tm = performance.now()
    const { texts } = plans.get(m.id)
    let verdict
    try {
      for (const [file, text] of texts) mutated.set(file, text)
      writeJournal()
      for (const [file, text] of texts) writeFileSync(join(root, file), text)
      const wasm = isWasm(m)
      const buildErr = await build(wasm || wasmDirty)
      wasmDirty = wasm
      if (buildErr !== null) {
        verdict = 'NO BUILD'
        problems.push(`${m.id}: the mutated sources do not build (a mutant must be a semantic change):\n${buildErr.slice(0, 2000)}`)
      } else {
        const by = await runTests(m.tests)
        if (by === null) {
          verdict = 'SURVIVED'
          problems.push(`${m.id} survived ${m.tests.join(', ')}: ${m.breaks}`)
        } else {
          verdict = `killed    by ${by.tests.join(', ')}`
          killed++
        }
      }
    } finally {
      restoreAll()
    }
    console.log(
      `${verdict.startsWith('killed') ? 'killed  ' : verdict.padEnd(8)}  ${m.id.padEnd(32)} ${sec(tm)} ` +
        `s  ${verdict.startsWith('killed') ? verdict.slice(10) : ''}`,
    )
  }

  // dist back to the sources, and every touched file exactly as before the run.
  err = await build(true)
  if (err !== null) problems.push(`the restored sources do not build:\n${err}`)
  for (const [file, { text, clean }] of originals) {
    if (readFileSync(join(root, file), 'utf8') !== text) problems.push(`${file} was not restored`)
    else if (clean && spawnSync('git', ['diff', '--quiet', '--', file], { cwd: root }).status !== 0)
      problems.push(`${file} differs from git after the run`)
  }
  for (const p of problems) console.log(`\n${p}`)
  console.log(`\n${killed} of ${chosen.length} mutants killed (${sec(t0).trim()} s)`)
  return problems.length === 0 && killed === chosen.length ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (e) => {
    restoreAll()
    console.error(e)
    process.exit(2)
  },
)
