#!/usr/bin/env node
// A small static file server for the built demo (`pnpm demo`, tests, measurements), on loopback only.
//   node static-server.mjs [DIR] [--port N] [--not-isolated]
// By default it sends the headers that make the page cross-origin isolated — Cross-Origin-Opener-Policy:
// same-origin and Cross-Origin-Embedder-Policy: require-corp, and Cross-Origin-Resource-Policy: same-origin on
// every file — so the world's columns live in a shared WebAssembly.Memory and the simulation runs on 2 threads;
// --not-isolated leaves them out (non-shared memory, 1 thread). startStaticServer sends them with
// `isolated: true`.
import { createServer } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { dirname, extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
}

/** Serves `dir` on 127.0.0.1 (port 0 = a free one); resolves with its URL and a close function. */
export function startStaticServer(dir, { port = 0, isolated = false } = {}) {
  const root = resolve(dir)
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
      let file = normalize(join(root, path))
      if (file !== root && !file.startsWith(root + sep)) throw Object.assign(new Error('outside'), { code: 'ENOENT' })
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html')
      const body = await readFile(file)
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }
      if (isolated) {
        headers['cross-origin-opener-policy'] = 'same-origin'
        headers['cross-origin-embedder-policy'] = 'require-corp'
        headers['cross-origin-resource-policy'] = 'same-origin'
      }
      res.writeHead(200, headers)
      res.end(body)
    } catch (err) {
      res.writeHead(err?.code === 'ENOENT' ? 404 : 500, { 'content-type': 'text/plain' })
      res.end(err?.code === 'ENOENT' ? 'not found' : String(err))
    }
  })
  return new Promise((ok, fail) => {
    server.once('error', fail)
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address()
      ok({ url: `http://127.0.0.1:${addr.port}/`, close: () => new Promise((done) => server.close(() => done())) })
    })
  })
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const k = args.indexOf('--port')
  const port = k >= 0 ? Number(args[k + 1]) : 4173
  const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--port') ?? join(dirname(fileURLToPath(import.meta.url)), 'dist')
  const isolated = !args.includes('--not-isolated')
  const { url } = await startStaticServer(dir, { port, isolated })
  console.log(`serving ${dir} on ${url} (${isolated ? 'cross-origin isolated' : 'not cross-origin isolated'})`)
}
