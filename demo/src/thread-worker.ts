/**
 * The entry of a threaded world's workers in the demo: the thread runtime's entry (`@spikecs/systems/worker`),
 * reached through a MessagePort. A browser sends what a worker posts with `Worker.postMessage` only once the
 * posting thread returns to its event loop, and it starts a new worker's thread only then too, while the
 * thread runtime posts a world's plan to its workers and waits for them synchronously. So the simulation worker
 * starts these ahead (worker.ts, `startThreadWorkers`): each says it has loaded, receives a port, answers on
 * it, and from then on takes the runtime's messages from the port — messages on a port are delivered while the
 * sender blocks.
 */
import '@spikecs/systems/worker'

type Handler = ((e: { data: unknown }) => void) | null
const scope = self as unknown as { postMessage(m: 'loaded'): void; onmessage: Handler }
// The runtime's entry listens through `onmessage`; it is handed the port's messages instead.
const entry: Handler = scope.onmessage
scope.onmessage = (e) => {
  const port = e.data as MessagePort
  scope.onmessage = null
  port.onmessage = (m) => entry?.({ data: m.data })
  port.postMessage('ready')
}
scope.postMessage('loaded')
