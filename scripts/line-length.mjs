#!/usr/bin/env node
// The house line limit, which the formatter cannot enforce on strings and comments: every line of the tracked
// TypeScript and JavaScript sources (generated *.gen.ts aside) is at most 140 characters. Part of `pnpm lint`.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const LIMIT = 140
const files = execFileSync('git', ['ls-files', '-z', '*.ts', '*.mjs', '*.js'], { encoding: 'utf8' })
  .split('\0')
  .filter((f) => f !== '' && !f.endsWith('.gen.ts'))
let long = 0
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    // Characters, not UTF-16 units: the limit is what a reader sees.
    const n = [...lines[i]].length
    if (n > LIMIT) {
      console.log(`${file}:${i + 1}: ${n} characters (limit ${LIMIT})`)
      long++
    }
  }
}
if (long > 0) {
  console.log(`${long} line${long === 1 ? '' : 's'} over ${LIMIT} characters`)
  process.exit(1)
}
