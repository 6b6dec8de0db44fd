/**
 * The snippet language of model records: a model's update is written once in it, and every kernel
 * (unfused TypeScript, fused TypeScript, WebAssembly SIMD) is generated from the parsed form.
 *
 *   statement  := `let` name `=` expr  |  name `=` expr          (separated by newlines or `;`; `#` comments)
 *   expr       := or (`?` expr `:` expr)?
 *   or         := and (`||` and)*        and := cmp (`&&` cmp)*
 *   cmp        := sum ((`<` | `<=` | `>` | `>=` | `==` | `!=`) sum)?
 *   sum        := prod ((`+` | `-`) prod)*      prod := unary ((`*` | `/`) unary)*
 *   unary      := `-` unary | atom              atom := number | name | name `(` expr (`,` expr)* `)` | `(` expr `)`
 *
 * Functions: `exp`, `expm1`, `abs`, `select(c, a, b)` (= `c ? a : b`), `old(X)` (the start-of-tick value of
 * state variable X, in spike conditions and resets), `expc(r)` (e^(r − 0.175) by a float32 series around −0.175:
 * WebAssembly-specific forms only). Operators keep their written grouping and order: the
 * generators parenthesise every node, so `a + b + c` is evaluated as `(a + b) + c` by every target, and a
 * snippet fixes the floating-point operations exactly. A `let` name is a temporary of one neuron's update;
 * an assignment to a state variable gives its new value (reads of the variable in the same snippet still see
 * the old one).
 */
import { SpikecsError } from '@spikecs/ecs-core'

export type Expr =
  | { readonly t: 'num'; readonly v: number }
  | { readonly t: 'id'; readonly name: string }
  | { readonly t: 'neg'; readonly a: Expr }
  | { readonly t: 'bin'; readonly op: BinOp; readonly a: Expr; readonly b: Expr }
  | { readonly t: 'call'; readonly f: string; readonly args: readonly Expr[] }
  | { readonly t: 'sel'; readonly c: Expr; readonly a: Expr; readonly b: Expr }

export type BinOp = '+' | '-' | '*' | '/' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||'

export interface Stmt {
  /** True for a `let` temporary, false for an assignment to a state variable. */
  readonly temp: boolean
  readonly name: string
  readonly e: Expr
}

const FUNCTIONS: Record<string, number> = { exp: 1, expm1: 1, abs: 1, select: 3, old: 1, expc: 1 }

function tokenize(src: string): string[] {
  const out: string[] = []
  // Blanks, then one of: a comment, a number, a name, an operator or punctuation.
  const re = new RegExp(
    String.raw`[ \t\r]*(?:(#[^\n]*)|(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|` +
      String.raw`(<=|>=|==|!=|&&|\|\||[-+*/()<>=?:,;\n]))`,
    'y',
  )
  let pos = 0
  while (pos < src.length) {
    re.lastIndex = pos
    const m = re.exec(src)
    if (m === null) {
      if (/^\s*$/.test(src.slice(pos))) break
      throw new SpikecsError('model snippet', 'text', src.slice(pos, pos + 20), 'has a character the snippet language does not know')
    }
    pos = re.lastIndex
    if (m[1] !== undefined) continue
    out.push(m[2] ?? m[3] ?? m[4])
  }
  return out
}

class Parser {
  private k = 0
  constructor(
    private readonly toks: string[],
    private readonly src: string,
  ) {}
  peek(): string | undefined {
    return this.toks[this.k]
  }
  next(): string {
    const t = this.toks[this.k++]
    if (t === undefined) this.fail('ends too early')
    return t
  }
  expect(t: string): void {
    const got = this.next()
    if (got !== t) this.fail(`expected '${t}', found '${got}'`)
  }
  fail(why: string): never {
    throw new SpikecsError('model snippet', 'text', this.src, why)
  }
  skipSeparators(): void {
    while (this.peek() === '\n' || this.peek() === ';') this.k++
  }
  done(): boolean {
    this.skipSeparators()
    return this.k >= this.toks.length
  }
  statement(): Stmt {
    let temp = false
    if (this.peek() === 'let') {
      this.k++
      temp = true
    }
    const name = this.next()
    if (!/^[A-Za-z_]/.test(name)) this.fail(`expected a name, found '${name}'`)
    this.expect('=')
    const e = this.expr()
    const end = this.peek()
    if (end !== undefined && end !== '\n' && end !== ';') this.fail(`unexpected '${end}' after the statement`)
    return { temp, name, e }
  }
  expr(): Expr {
    const c = this.binary(0)
    if (this.peek() !== '?') return c
    this.k++
    const a = this.expr()
    this.expect(':')
    const b = this.expr()
    return { t: 'sel', c, a, b }
  }
  private static readonly LEVELS: readonly (readonly string[])[] = [
    ['||'],
    ['&&'],
    ['<', '<=', '>', '>=', '==', '!='],
    ['+', '-'],
    ['*', '/'],
  ]
  binary(level: number): Expr {
    if (level === Parser.LEVELS.length) return this.unary()
    let a = this.binary(level + 1)
    while (Parser.LEVELS[level].includes(this.peek() ?? '')) {
      const op = this.next() as BinOp
      const b = this.binary(level + 1)
      a = { t: 'bin', op, a, b }
      if (level === 2) break // comparisons do not chain
    }
    return a
  }
  unary(): Expr {
    if (this.peek() === '-') {
      this.k++
      return { t: 'neg', a: this.unary() }
    }
    return this.atom()
  }
  atom(): Expr {
    const t = this.next()
    if (t === '(') {
      const e = this.expr()
      this.expect(')')
      return e
    }
    if (/^[\d.]/.test(t)) return { t: 'num', v: Number(t) }
    if (!/^[A-Za-z_]/.test(t)) this.fail(`unexpected '${t}'`)
    if (this.peek() !== '(') return { t: 'id', name: t }
    const arity = FUNCTIONS[t]
    if (arity === undefined) this.fail(`'${t}' is not a function of the snippet language (${Object.keys(FUNCTIONS).join(', ')})`)
    this.k++
    const args: Expr[] = [this.expr()]
    while (this.peek() === ',') {
      this.k++
      args.push(this.expr())
    }
    this.expect(')')
    if (args.length !== arity) this.fail(`${t} takes ${arity} argument(s)`)
    if (t === 'select') return { t: 'sel', c: args[0], a: args[1], b: args[2] }
    if (t === 'old' && args[0].t !== 'id') this.fail('old() takes a state variable')
    return { t: 'call', f: t, args }
  }
}

/** Parses a snippet into statements. */
export function parseSnippet(src: string): Stmt[] {
  const p = new Parser(tokenize(src), src.trim())
  const out: Stmt[] = []
  while (!p.done()) out.push(p.statement())
  return out
}

/** Parses one expression. */
export function parseExpr(src: string): Expr {
  const p = new Parser(tokenize(src), src.trim())
  p.skipSeparators()
  const e = p.expr()
  if (!p.done()) p.fail('has text after the expression')
  return e
}

/** Every name an expression reads (`old(X)` reads X). */
export function namesOf(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.t) {
    case 'num':
      break
    case 'id':
      out.add(e.name)
      break
    case 'neg':
      namesOf(e.a, out)
      break
    case 'bin':
      namesOf(e.a, out)
      namesOf(e.b, out)
      break
    case 'call':
      for (const a of e.args) namesOf(a, out)
      break
    case 'sel':
      namesOf(e.c, out)
      namesOf(e.a, out)
      namesOf(e.b, out)
      break
  }
  return out
}

/** Source text of an expression with every node parenthesised; `name` maps each identifier. */
export function jsText(e: Expr, name: (id: string, old: boolean) => string): string {
  switch (e.t) {
    case 'num':
      return Object.is(e.v, -0) ? '(-0)' : String(e.v)
    case 'id':
      return name(e.name, false)
    case 'neg':
      return `(-${jsText(e.a, name)})`
    case 'bin':
      return `(${jsText(e.a, name)} ${e.op === '==' ? '===' : e.op === '!=' ? '!==' : e.op} ${jsText(e.b, name)})`
    case 'sel':
      return `(${jsText(e.c, name)} ? ${jsText(e.a, name)} : ${jsText(e.b, name)})`
    case 'call':
      if (e.f === 'old') return name((e.args[0] as { name: string }).name, true)
      return `Math.${e.f}(${e.args.map((a) => jsText(a, name)).join(', ')})`
  }
}
