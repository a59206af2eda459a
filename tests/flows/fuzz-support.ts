import fc from 'fast-check'

/*
 * Requests generated from the API's own OpenAPI document: each operation's parameters and
 * body come from their JSON Schemas, mostly valid (so requests reach the code behind the
 * validation), sometimes hostile — NUL bytes, lone surrogates, huge or negative numbers,
 * unknown fields, wrong types, missing required fields, other ids.
 */

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema is untyped here
export type JsonSchema = any

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, JsonSchema> }
}

export interface Operation {
  operationId?: string
  parameters?: {
    name: string
    in: 'path' | 'query' | 'header' | 'cookie'
    required?: boolean
    schema?: JsonSchema
  }[]
  requestBody?: { content?: Record<string, { schema?: JsonSchema }>; required?: boolean }
  security?: Record<string, string[]>[]
}

export interface FuzzRequest {
  method: string
  path: string
  query: string
  /** JSON text, or undefined for no body. */
  body: string | undefined
  contentType: string | undefined
}

/** Real ids found in the seeded world, by prefix (`prod`, `agr`, …), to aim requests at. */
export type IdPool = Map<string, string[]>

const idPattern = /^\^([a-z]+)_/

/** Strings that have broken servers: NUL, lone surrogates, control and odd Unicode. */
export const hostileStrings = [
  'a\u0000b',
  '\u0000',
  '\ud800x',
  'x\udfff',
  '\ud83d',
  '',
  ' ',
  '\u202e\u0644',
  'ﷺ😀',
  "'; drop table orders; --",
  '../../etc/passwd',
  '%00',
  'x'.repeat(10_000),
  '1e400',
  'null',
]

export const hostileNumbers = [
  -1,
  0,
  -(2 ** 31),
  2 ** 31,
  2 ** 31 - 1,
  2 ** 53 - 1,
  -(2 ** 53 - 1),
  2 ** 53 + 2,
  1e21,
  0.5,
  -0.0001,
  1e308,
]

export function resolveRef(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  let current = schema
  for (let hops = 0; current?.$ref !== undefined && hops < 20; hops++) {
    const name = String(current.$ref).replace('#/components/schemas/', '')
    current = doc.components?.schemas?.[name]
  }
  return current ?? {}
}

/** What the `(1 - hostility)` share of values look like: valid for the schema. */
export function arbitraryFor(
  doc: OpenApiDocument,
  rawSchema: JsonSchema,
  pool: IdPool,
  hostility: number,
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = resolveRef(doc, rawSchema)
  const valid = validValueOf(doc, schema, pool, hostility, depth)
  if (hostility === 0) return valid
  const weight = Math.max(1, Math.round(hostility * 100))
  return fc.oneof(
    { arbitrary: valid, weight: 100 - weight },
    { arbitrary: hostileValueOf(schema), weight },
  )
}

function hostileValueOf(schema: JsonSchema): fc.Arbitrary<unknown> {
  const type = typeOf(schema)
  const wrongType = fc.constantFrom<unknown>(null, true, [], {}, 'x', 7)
  if (type === 'string') return fc.oneof(fc.constantFrom(...hostileStrings), wrongType)
  if (type === 'integer' || type === 'number') {
    return fc.oneof(fc.constantFrom(...hostileNumbers), wrongType)
  }
  return wrongType
}

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t: string) => t !== 'null')
  if (schema.type !== undefined) return schema.type
  if (schema.properties !== undefined) return 'object'
  if (schema.enum !== undefined) return typeof schema.enum[0]
  return undefined
}

function validValueOf(
  doc: OpenApiDocument,
  schema: JsonSchema,
  pool: IdPool,
  hostility: number,
  depth: number,
): fc.Arbitrary<unknown> {
  const nested = (s: JsonSchema) => arbitraryFor(doc, s, pool, hostility, depth + 1)
  const nullable =
    schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null'))
  const withNull = (arb: fc.Arbitrary<unknown>) =>
    nullable
      ? fc.oneof({ arbitrary: arb, weight: 4 }, { arbitrary: fc.constant(null), weight: 1 })
      : arb
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (schema.enum !== undefined) return withNull(fc.constantFrom(...schema.enum))
  const alternatives = schema.anyOf ?? schema.oneOf
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    return withNull(fc.oneof(...alternatives.map((s: JsonSchema) => nested(s))))
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const merged = Object.assign({}, ...schema.allOf.map((s: JsonSchema) => resolveRef(doc, s)))
    return validValueOf(doc, merged, pool, hostility, depth)
  }
  switch (typeOf(schema)) {
    case 'string':
      return withNull(stringOf(schema, pool))
    case 'integer':
    case 'number': {
      const min =
        schema.minimum ??
        (schema.exclusiveMinimum === undefined ? -1000 : schema.exclusiveMinimum + 1)
      const max =
        schema.maximum ??
        (schema.exclusiveMaximum === undefined ? 1_000_000 : schema.exclusiveMaximum - 1)
      const small = fc.integer({
        min: Math.max(min, -1000),
        max: Math.max(Math.min(max, 1000), Math.max(min, -1000)),
      })
      const edges = fc.constantFrom(min, max).filter((n) => Number.isSafeInteger(n))
      return withNull(fc.oneof({ arbitrary: small, weight: 4 }, { arbitrary: edges, weight: 1 }))
    }
    case 'boolean':
      return withNull(fc.boolean())
    case 'array': {
      if (depth > 5) return fc.constant([])
      const minLength = schema.minItems ?? 0
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 3, 3))
      return withNull(fc.array(nested(schema.items ?? {}), { minLength, maxLength }))
    }
    case 'object': {
      if (depth > 5) return fc.constant({})
      return withNull(objectOf(doc, schema, pool, hostility, depth))
    }
    default:
      return fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null))
  }
}

function objectOf(
  doc: OpenApiDocument,
  schema: JsonSchema,
  pool: IdPool,
  hostility: number,
  depth: number,
): fc.Arbitrary<unknown> {
  const properties: Record<string, JsonSchema> = schema.properties ?? {}
  const required = new Set<string>(schema.required ?? [])
  const record: Record<string, fc.Arbitrary<unknown>> = {}
  for (const [name, property] of Object.entries(properties)) {
    record[name] = arbitraryFor(doc, property, pool, hostility, depth + 1)
  }
  const base = fc.record(record, { requiredKeys: [...required].filter((k) => k in record) })
  if (hostility === 0) return base
  // Hostile shapes: an unknown field, a required field left out.
  return fc
    .tuple(base, fc.nat(99), fc.constantFrom(...Object.keys(properties), 'unknown_field'))
    .map(([value, roll, key]) => {
      const copy = { ...(value as Record<string, unknown>) }
      if (roll < hostility * 30) copy[`${key}_x`] = 'surprise'
      else if (roll < hostility * 60 && required.has(key)) delete copy[key]
      return copy
    })
}

function stringOf(schema: JsonSchema, pool: IdPool): fc.Arbitrary<string> {
  const pattern: string | undefined = schema.pattern
  const prefix = pattern === undefined ? undefined : idPattern.exec(pattern)?.[1]
  if (prefix !== undefined) {
    const known = pool.get(prefix) ?? []
    const fake = fc.constant(`${prefix}_${'0'.repeat(26)}`)
    return known.length === 0
      ? fake
      : fc.oneof(
          { arbitrary: fc.constantFrom(...known), weight: 5 },
          { arbitrary: fake, weight: 1 },
        )
  }
  if (schema.format === 'date-time') {
    return fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString())
  }
  if (schema.format === 'date') {
    return fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10))
  }
  if (schema.format === 'uri' || schema.format === 'url') return fc.webUrl()
  if (schema.format === 'email') return fc.emailAddress()
  if (pattern !== undefined) {
    try {
      return fc
        .stringMatching(new RegExp(pattern))
        .filter((s) => s.length <= (schema.maxLength ?? 200))
    } catch {
      // A pattern JavaScript cannot read: fall through to plain text.
    }
  }
  const minLength = schema.minLength ?? 0
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 24, 24))
  return fc.string({ minLength, maxLength, unit: 'grapheme' })
}

/** Every operation of the document, with its method and path template. */
export function operationsOf(doc: OpenApiDocument) {
  const operations: { method: string; template: string; operation: Operation }[] = []
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) {
        operations.push({ method: method.toUpperCase(), template, operation })
      }
    }
  }
  return operations
}

/** A request for one operation: parameters and body drawn from their schemas. */
export function requestOf(
  doc: OpenApiDocument,
  method: string,
  template: string,
  operation: Operation,
  pool: IdPool,
  hostility: number,
): fc.Arbitrary<FuzzRequest> {
  const parameters = operation.parameters ?? []
  const pathParams = parameters.filter((p) => p.in === 'path')
  const queryParams = parameters.filter((p) => p.in === 'query')
  const pathValues = fc.tuple(
    ...pathParams.map((p) =>
      fc.oneof(
        { arbitrary: arbitraryFor(doc, p.schema ?? { type: 'string' }, pool, 0), weight: 9 },
        {
          arbitrary: fc.constantFrom(...hostileStrings.slice(0, 12)),
          weight: Math.round(hostility * 10) + 1,
        },
      ),
    ),
  )
  const queryValues = fc.tuple(
    ...queryParams.map((p) =>
      fc.option(arbitraryFor(doc, p.schema ?? { type: 'string' }, pool, hostility), {
        nil: undefined,
        freq: p.required ? 20 : 2,
      }),
    ),
  )
  const json = operation.requestBody?.content?.['application/json']?.schema
  const body: fc.Arbitrary<string | undefined> =
    json === undefined
      ? fc.constant(undefined)
      : fc.oneof(
          {
            arbitrary: arbitraryFor(doc, json, pool, hostility).map((v) => JSON.stringify(v)),
            weight: 30,
          },
          // Not JSON at all, or JSON of the wrong shape.
          { arbitrary: fc.constantFrom('{', '[]', 'null', '"x"', '{"a":'), weight: 1 },
        )
  return fc.tuple(pathValues, queryValues, body).map(([pathVals, queryVals, bodyText]) => {
    let path = template
    pathParams.forEach((p, i) => {
      path = path.replace(`{${p.name}}`, encodeHostile(String(pathVals[i])))
    })
    const query: string[] = []
    queryParams.forEach((p, i) => {
      const value = queryVals[i]
      if (value === undefined) return
      const text = typeof value === 'string' ? value : JSON.stringify(value)
      query.push(`${encodeURIComponent(p.name)}=${encodeHostile(text)}`)
    })
    return {
      method,
      path,
      query: query.join('&'),
      body: bodyText,
      contentType: bodyText === undefined ? undefined : 'application/json',
    }
  })
}

/**
 * Percent-encodes text as a client would send it, a lone surrogate included: its three
 * bytes (`%ED%A0%80`), which are not valid UTF-8.
 */
export function encodeHostile(text: string): string {
  return text.replace(/[\s\S]/gu, (char) => {
    const code = char.codePointAt(0) as number
    if (code < 0xd800 || code > 0xdfff) return encodeURIComponent(char)
    return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
      .map((byte) => `%${byte.toString(16).toUpperCase()}`)
      .join('')
  })
}

const idInText = /\b([a-z]+)_[0-9a-hjkmnp-tv-z]{26}\b/g

/** Adds every id found in `text` to the pool. */
export function collectIds(pool: IdPool, text: string, except: ReadonlySet<string> = new Set()) {
  for (const match of text.matchAll(idInText)) {
    const [id, prefix] = match as unknown as [string, string]
    if (except.has(id)) continue
    const list = pool.get(prefix) ?? []
    if (!list.includes(id)) list.push(id)
    pool.set(prefix, list)
  }
}
