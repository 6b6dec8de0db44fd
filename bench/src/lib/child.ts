/**
 * Child processes: each measured program runs in its own process (fresh JIT state, its own peak RSS, no
 * garbage left by another case), with a timeout, and reports one JSON line on stdout. A failing or hanging
 * child yields a record with `error` instead of throwing, so one broken case never aborts a suite.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import type { Readable } from 'node:stream'

export interface ChildResult {
  /** The last stdout line that parsed as a JSON object, or null. */
  readonly json: Record<string, unknown> | null
  /** Wall-clock seconds from spawn to exit, as the parent saw them (the whole-process time). */
  readonly wallSeconds: number
  /**
   * CPU seconds (user + system) of the whole process tree, from bash's `times` for its waited-for children
   * (only with `cpu: true`; null otherwise or when it could not be read). On a shared machine this is the
   * figure that other processes disturb least: wall time also counts the time spent waiting for a core.
   */
  readonly cpuSeconds: number | null
  readonly code: number | null
  readonly error: string | null
  readonly stderr: string
}

export interface ChildOptions {
  readonly timeoutMs: number
  readonly cwd?: string
  readonly env?: NodeJS.ProcessEnv
  /** Run the command under `bash -c` to read its CPU time with `times` (adds ~2 ms of wall time). */
  readonly cpu?: boolean
}

// Runs "$@", then prints the shell's and its children's user/system times on stderr (two lines).
const TIMES_SCRIPT = '"$@"; rc=$?; times 1>&2; exit $rc'

/** Children's user + system seconds from the last line of bash's `times` output ("0m1.234s 0m0.010s"). */
function parseTimes(stderr: string): number | null {
  const lines = stderr.trim().split('\n')
  const m = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(lines[lines.length - 1]?.trim() ?? '')
  return m ? Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]) : null
}

// Each child leads its own process group, so that a timeout (or the end of the parent) can stop the program
// it started too (bash → node, python → the compiled binary), not only the direct child.
const running = new Set<number>()
function stopGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // already gone
  }
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const pid of running) stopGroup(pid)
    process.exit(130)
  })
}

/** Runs `cmd args…`, returning its last JSON line; never rejects. */
export function runChild(cmd: string, args: readonly string[], o: ChildOptions): Promise<ChildResult> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint()
    let out = ''
    let err = ''
    let timedOut = false
    let child: ChildProcessByStdio<null, Readable, Readable>
    try {
      const [c, a] = o.cpu ? ['bash', ['-c', TIMES_SCRIPT, 'times', cmd, ...args]] : [cmd, args]
      child = spawn(c, a, { cwd: o.cwd, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    } catch (e) {
      resolve({
        json: null,
        wallSeconds: 0,
        cpuSeconds: null,
        code: null,
        error: `cannot start ${cmd}: ${(e as Error).message}`,
        stderr: '',
      })
      return
    }
    const pid = child.pid
    if (pid !== undefined) running.add(pid)
    const timer = setTimeout(() => {
      timedOut = true
      if (pid !== undefined) stopGroup(pid)
    }, o.timeoutMs)
    child.stdout.on('data', (d: Buffer) => {
      out += d
    })
    child.stderr.on('data', (d: Buffer) => {
      err += d
    })
    const finish = (code: number | null, startError: string | null) => {
      clearTimeout(timer)
      if (pid !== undefined) running.delete(pid)
      const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9
      const json = lastJsonLine(out)
      let error = startError
      if (error === null && timedOut) error = `timed out after ${o.timeoutMs / 1000} s`
      else if (error === null && code !== 0) error = `exit code ${code}: ${tail(err)}`
      else if (error === null && json === null) error = `no JSON line on stdout: ${tail(out + err)}`
      else if (error === null && typeof json?.error === 'string') error = json.error
      resolve({ json, wallSeconds, cpuSeconds: o.cpu ? parseTimes(err) : null, code, error, stderr: err })
    }
    child.on('error', (e) => finish(null, `cannot start ${cmd}: ${e.message}`))
    child.on('close', (code) => finish(code, null))
  })
}

function lastJsonLine(text: string): Record<string, unknown> | null {
  const lines = text.split('\n')
  for (let k = lines.length - 1; k >= 0; k--) {
    const s = lines[k].trim()
    if (!s.startsWith('{')) continue
    try {
      const v = JSON.parse(s)
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
    } catch {
      // not JSON: keep looking upwards
    }
  }
  return null
}

function tail(s: string): string {
  const t = s.trim().split('\n').slice(-3).join(' / ')
  return t.length > 300 ? t.slice(-300) : t
}

/** Prints one JSON line (the protocol between children and their parent). */
export function emit(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(record)}\n`)
}
