/** How many threads the page's simulation runs on (imports nothing from the DOM, so Node can test it). */

/** Most threads `?threads=N` may ask for (the worlds' own limit is higher; a page gains nothing from more). */
const MAX_PAGE_THREADS = 16

/**
 * The simulation's threads and why: `?threads=N` when given; otherwise 2 when the page is cross-origin
 * isolated (shared memory, which threads need) and the host has 2 cores or more, else 1. A count above 1 on a
 * page that is not isolated runs on 1 thread and says so.
 */
export function chooseThreads(
  asked: string | null,
  isolated: boolean,
  cores: number,
): { threads: number; label: string; problem: string | null } {
  const one = (why: string) => ({ threads: 1, label: `1 thread: ${why}`, problem: null })
  if (asked !== null) {
    const n = Number(asked)
    if (!(Number.isInteger(n) && n >= 1 && n <= MAX_PAGE_THREADS)) {
      const auto = chooseThreads(null, isolated, cores)
      return { ...auto, problem: `?threads must be a whole number from 1 to ${MAX_PAGE_THREADS} (got '${asked}'): chosen as without it` }
    }
    if (n === 1) return { threads: 1, label: '1 thread (?threads=1)', problem: null }
    if (!isolated)
      return { ...one('page not cross-origin isolated'), problem: `?threads=${n} needs a cross-origin isolated page (COOP/COEP)` }
    return { threads: n, label: `${n} threads (?threads=${n}, cross-origin isolated)`, problem: null }
  }
  if (!isolated) return one('page not cross-origin isolated')
  if (cores < 2) return one(`the host has ${cores} core`)
  return { threads: 2, label: '2 threads (cross-origin isolated)', problem: null }
}
