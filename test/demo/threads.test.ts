// How the demo page chooses its simulation's threads (demo/src/threads.ts): 2 on a cross-origin isolated page
// of a host with 2 cores or more, else 1, and `?threads=N` overrides it where the page allows it.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { chooseThreads } from '../../demo/src/threads.js'

test('without ?threads: 2 when cross-origin isolated on 2 cores or more, else 1, with the reason', () => {
  assert.equal(chooseThreads(null, true, 2), { threads: 2, label: '2 threads (cross-origin isolated)', problem: null })
  assert.equal(chooseThreads(null, true, 8), { threads: 2, label: '2 threads (cross-origin isolated)', problem: null })
  assert.equal(chooseThreads(null, false, 8), { threads: 1, label: '1 thread: page not cross-origin isolated', problem: null })
  assert.equal(chooseThreads(null, true, 1), { threads: 1, label: '1 thread: the host has 1 core', problem: null })
})

test('?threads=N overrides the choice; above 1 only on an isolated page', () => {
  assert.equal(chooseThreads('1', true, 2), { threads: 1, label: '1 thread (?threads=1)', problem: null })
  assert.equal(chooseThreads('2', true, 1), { threads: 2, label: '2 threads (?threads=2, cross-origin isolated)', problem: null })
  assert.equal(chooseThreads('3', true, 2), { threads: 3, label: '3 threads (?threads=3, cross-origin isolated)', problem: null })
  assert.equal(chooseThreads('2', false, 2), {
    threads: 1,
    label: '1 thread: page not cross-origin isolated',
    problem: '?threads=2 needs a cross-origin isolated page (COOP/COEP)',
  })
})

test('a ?threads that is not a whole number from 1 to 16 is reported and ignored', () => {
  for (const bad of ['0', '17', '1.5', 'two', '']) {
    const c = chooseThreads(bad, true, 2)
    assert.is(c.threads, 2, bad)
    assert.is(c.label, '2 threads (cross-origin isolated)')
    assert.is(c.problem, `?threads must be a whole number from 1 to 16 (got '${bad}'): chosen as without it`)
  }
  assert.is(chooseThreads('x', false, 2).threads, 1)
})

test.run()
