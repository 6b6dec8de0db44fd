#!/usr/bin/env node
// Builds the demo page with esbuild: two ES modules (the page and its worker) and index.html in one folder.
// Every URL is relative, so the folder works from any static host and any sub-path.
//   node build.mjs                 -> dist/
//   node build.mjs --out DIR       -> DIR/
//   node build.mjs --serve [PORT]  -> rebuilds on change and serves on http://localhost:PORT (default 5173)
// The workspace packages are bundled from their built dist/ (run `pnpm build` at the root first).
import * as esbuild from 'esbuild'
import { copyFile, mkdir } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

function options(outdir, minify) {
  return {
    absWorkingDir: here,
    entryPoints: { main: 'src/main.ts', worker: 'src/worker.ts' },
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

async function serve(port) {
  const out = join(here, 'dist')
  await mkdir(out, { recursive: true })
  await copyFile(join(here, 'index.html'), join(out, 'index.html'))
  const ctx = await esbuild.context(options(out, false))
  await ctx.watch()
  const { port: p } = await ctx.serve({ servedir: out, port, host: '127.0.0.1' })
  console.log(`spikecs demo: http://localhost:${p}/ (rebuilds on change; Ctrl-C stops)`)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  if (args[0] === '--serve') {
    await serve(Number(args[1] ?? process.env.PORT ?? 5173))
  } else {
    const k = args.indexOf('--out')
    const out = await buildDemo({ outdir: k >= 0 ? args[k + 1] : undefined })
    console.log(`spikecs demo built in ${out} (serve the folder with any static server)`)
  }
}
