#!/usr/bin/env node
// Builds the demo page with esbuild: two ES modules (the page and its worker) and index.html in one folder.
// Every URL is relative, so the folder works from any static host and any sub-path.
//   node build.mjs                 -> dist/
//   node build.mjs --out DIR       -> DIR/
//   node build.mjs --serve [PORT] [--not-isolated]
//                                  -> rebuilds on change and serves on http://localhost:PORT (default 5173), with
//                                     the COOP/COEP headers that make the page cross-origin isolated (so the
//                                     simulation runs on 2 threads); --not-isolated serves without them
// The workspace packages are bundled from their built dist/ (run `pnpm build` at the root first).
import * as esbuild from 'esbuild'
import { copyFile, mkdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startStaticServer } from './static-server.mjs'

const here = dirname(fileURLToPath(import.meta.url))

function options(outdir, minify) {
  return {
    absWorkingDir: here,
    // The page, its simulation worker, and the workers of a threaded world (the thread runtime's entry,
    // @spikecs/systems/worker; src/worker.ts points setThreadWorkerFactory at it).
    entryPoints: { main: 'src/main.ts', worker: 'src/worker.ts', 'thread-worker': '@spikecs/systems/worker' },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    sourcemap: true,
    logLevel: 'warning',
  }
}

/** Builds the page into `outdir` (created if needed); returns the folder. */
export async function buildDemo({ outdir = join(here, 'dist'), minify = true } = {}) {
  const out = resolve(outdir)
  await mkdir(out, { recursive: true })
  await esbuild.build(options(out, minify))
  await copyFile(join(here, 'index.html'), join(out, 'index.html'))
  return out
}

// esbuild's own server cannot send the COOP/COEP headers: it writes the bundles, static-server.mjs serves them.
async function serve(port, isolated) {
  const out = join(here, 'dist')
  await mkdir(out, { recursive: true })
  await copyFile(join(here, 'index.html'), join(out, 'index.html'))
  const ctx = await esbuild.context(options(out, false))
  await ctx.rebuild()
  await ctx.watch()
  const { url } = await startStaticServer(out, { port, isolated })
  const how = isolated ? 'cross-origin isolated' : 'not cross-origin isolated: 1 thread'
  console.log(`spikecs demo: ${url.replace('127.0.0.1', 'localhost')} (${how}; rebuilds on change; Ctrl-C stops)`)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  if (args[0] === '--serve') {
    const port = args[1] !== undefined && !args[1].startsWith('--') ? args[1] : (process.env.PORT ?? 5173)
    await serve(Number(port), !args.includes('--not-isolated'))
  } else {
    const k = args.indexOf('--out')
    const out = await buildDemo({ outdir: k >= 0 ? args[k + 1] : undefined })
    console.log(`spikecs demo built in ${out} (serve the folder with any static server)`)
  }
}
