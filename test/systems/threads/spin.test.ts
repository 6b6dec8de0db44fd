// The adaptive spin budget of the threads' waits (threads/control.ts): expectations worked out by hand from
// the rule — a spin that saw its value doubles the budget up to the most, one that ran out quarters it down to
// MIN_SPIN, and every 64th wait spins for the most.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { MIN_SPIN, budget, spinState, spun, waitFor, waitWhile } from '../../../packages/systems/src/threads/control.js'

test('failed spins quarter the budget down to MIN_SPIN; successful ones double it up to the most', () => {
  const s = spinState(50_000)
  assert.is(MIN_SPIN, 256)
  const seen: number[] = []
  for (let k = 0; k < 5; k++) {
    const n = budget(s)
    spun(s, n, false)
    seen.push(s.reads)
  }
  assert.equal(seen, [12_500, 3125, 781, 256, 256])
  const up: number[] = []
  for (let k = 0; k < 9; k++) {
    const n = budget(s)
    spun(s, n, true)
    up.push(s.reads)
  }
  assert.equal(up, [512, 1024, 2048, 4096, 8192, 16_384, 32_768, 50_000, 50_000])
})

test('every 64th wait spins for the whole budget, whatever it shrank to', () => {
  const s = spinState(10_000)
  const n: number[] = []
  for (let k = 1; k <= 128; k++) {
    const b = budget(s)
    n.push(b)
    spun(s, b, false)
  }
  assert.is(n[62], MIN_SPIN, 'wait 63: shrunk')
  assert.is(n[63], 10_000, 'wait 64: the whole budget')
  assert.is(n[64], 2500, 'wait 65: the quarter of the failed whole budget')
  assert.is(n[127], 10_000, 'wait 128')
})

test('a budget of 0 never spins; MIN_SPIN is capped by a smaller most', () => {
  const zero = spinState(0)
  assert.is(budget(zero), 0)
  const small = spinState(100)
  spun(small, budget(small), false)
  assert.is(small.reads, 100, 'the floor is min(MIN_SPIN, most)')
})

test('waits return at once when the value is already there, and count as successful spins', () => {
  const ctrl = new Int32Array(new SharedArrayBuffer(64))
  ctrl[3] = 7
  const s = spinState(1000)
  s.reads = 300
  waitWhile(ctrl, 3, 6, s, true)
  assert.is(s.reads, 600)
  waitFor(ctrl, 3, 7, s, true)
  assert.is(s.reads, 1000)
})

test.run()
