import { errorCatalog } from '@mitra/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestApi } from './test-support.js'

/*
 * The contract generated clients are built from: every operation has a stable name, and every
 * body it takes or answers is a named component, never an inline or open-ended object.
 */

type Schema = { [key: string]: unknown }
interface Operation {
  operationId?: string
  requestBody?: { content?: Record<string, { schema?: Schema }> }
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>
}
interface Document {
  paths: Record<string, Record<string, Operation>>
  webhooks: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, Schema> }
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
const isJson = (contentType: string) => /^application\/([\w.-]+\+)?json$/.test(contentType)
const isObjectType = (schema: Schema) =>
  schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'))
const isEmpty = (value: unknown) =>
  value === undefined ||
  value === true ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0)

/** Every operation of the document (paths and webhooks), as `POST /v1/…` and the operation. */
function operationsOf(doc: Document, groups = [doc.paths, doc.webhooks]): [string, Operation][] {
  return groups.flatMap((group) =>
    Object.entries(group ?? {}).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => methods.includes(method))
        .map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]),
    ),
  )
}

/** Every schema nested in `value`, with where it is (`#/components/schemas/Cart/…`). */
function* schemasIn(value: unknown, where: string): Generator<[string, Schema]> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* schemasIn(item, `${where}/${i}`)
    return
  }
  if (typeof value !== 'object' || value === null) return
  yield [where, value as Schema]
  for (const [key, item] of Object.entries(value)) yield* schemasIn(item, `${where}/${key}`)
}

describe('the OpenAPI document', () => {
  const api = useTestApi('pglite')
  let doc: Document
  beforeAll(async () => {
    doc = (await (await api.app().request('/openapi.json')).json()) as Document
  })

  const resolve = (schema: Schema): [string, Schema] => {
    const ref = schema.$ref
    if (typeof ref !== 'string') return ['(inline)', schema]
    const name = ref.replace('#/components/schemas/', '')
    const found = doc.components.schemas[name]
    if (found === undefined) throw new Error(`${ref} names no component`)
    return [name, found]
  }

  it('names every operation once, in camelCase', () => {
    const ids = operationsOf(doc).map(([name, op]) => [name, op.operationId] as const)
    expect(ids.length).toBeGreaterThan(100)
    expect(ids.filter(([, id]) => id === undefined).map(([name]) => name)).toEqual([])
    for (const [name, id] of ids) expect(id, name).toMatch(/^[a-z][a-zA-Z0-9]*$/)
    const seen = new Map<string, string>()
    const twice = ids.flatMap(([name, id]) => {
      const first = seen.get(id as string)
      seen.set(id as string, name)
      return first === undefined ? [] : [`${id}: ${first} and ${name}`]
    })
    expect(twice).toEqual([])
  })

  it('takes and answers JSON only as named components', () => {
    const inline: string[] = []
    for (const [name, op] of operationsOf(doc)) {
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        if (isJson(type) && typeof media.schema?.$ref !== 'string') {
          inline.push(`${name} request ${type}`)
        }
      }
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          if (isJson(type) && typeof media.schema?.$ref !== 'string') {
            inline.push(`${name} ${status} ${type}`)
          }
        }
      }
    }
    expect(inline).toEqual([])
  })

  it('has no open object anywhere: each lists its properties, or types its values (a record)', () => {
    const open = [...schemasIn(doc, '#')]
      .filter(
        ([, schema]) =>
          isObjectType(schema) &&
          isEmpty(schema.properties) &&
          isEmpty(schema.additionalProperties),
      )
      .map(([where]) => where)
    expect(open).toEqual([])
  })

  it('types every field of every component: none is `{}` (any value)', () => {
    const untyped = Object.entries(doc.components?.schemas ?? {}).flatMap(([name, component]) =>
      [...schemasIn(component, name)].flatMap(([where, schema]) =>
        Object.entries((schema.properties ?? {}) as Record<string, object>)
          .filter(([, field]) =>
            Object.keys(field).every((key) => ['description', 'default', 'example'].includes(key)),
          )
          .map(([field]) => `${where}.${field}`),
      ),
    )
    expect(untyped).toEqual([])
  })

  it('names every field in snake_case', () => {
    const camel = [...schemasIn(doc.components, '#/components')].flatMap(([where, schema]) =>
      Object.keys((schema.properties ?? {}) as object)
        .filter((field) => /[A-Z]/.test(field))
        .map((field) => `${where}.${field}`),
    )
    expect(camel).toEqual([])
  })

  it('refuses unknown fields in every JSON request body, nested objects included', () => {
    // Webhooks are left out: providers add fields to what they send, and mitra takes them.
    const loose: string[] = []
    for (const [name, op] of operationsOf(doc, [doc.paths])) {
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        if (!isJson(type) || media.schema === undefined) continue
        const [component, body] = resolve(media.schema)
        const visited = new Set([component])
        const pending: [string, Schema][] = [[component, body]]
        for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
          for (const [where, schema] of schemasIn(next[1], next[0])) {
            if (typeof schema.$ref === 'string') {
              const [named, found] = resolve(schema)
              if (!visited.has(named)) pending.push([named, found])
              visited.add(named)
            }
            // A record (no properties, typed values) is fine; an object with fields is closed.
            if (isObjectType(schema) && !isEmpty(schema.properties)) {
              if (schema.additionalProperties !== false) loose.push(`${name}: ${where}`)
            }
          }
        }
      }
    }
    expect(loose).toEqual([])
  })

  it('lists every error code of the catalog in Problem, and answers with one of them', async () => {
    const [, problem] = resolve({ $ref: '#/components/schemas/Problem' })
    const code = resolve((problem.properties as Record<string, Schema>).code as Schema)[1]
    expect(code.enum).toEqual(Object.keys(errorCatalog))

    const res = await api.app().request('/v1/admin/party')
    expect(res.status).toBe(401)
    expect(code.enum).toContain(((await res.json()) as { code: string }).code)
  })
})
