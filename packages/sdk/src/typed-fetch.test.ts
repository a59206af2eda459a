import { describe, expect, it } from 'vitest'
import type { paths } from './generated/openapi.js'
import { callUrl, typedClient } from './typed-fetch.js'

describe('callUrl', () => {
  it('fills path parameters, encoded, and leaves absent query values out', () => {
    expect(
      callUrl('/v1/store/products/{id}', {
        path: { id: 'prod_1/../x' },
        query: { locale: 'en', cursor: undefined, q: 'madu "hutan" & kopi', limit: 5 },
      }),
    ).toBe('/v1/store/products/prod_1%2F..%2Fx?locale=en&q=madu%20%22hutan%22%20%26%20kopi&limit=5')
  })

  it('repeats a name for each item of an array, and writes no "?" without a query', () => {
    expect(callUrl('/v1/x', { query: { tag: ['a', 'b c'], none: null } })).toBe(
      '/v1/x?tag=a&tag=b%20c',
    )
    expect(callUrl('/v1/x')).toBe('/v1/x')
  })
})

describe('typedClient', () => {
  const seen: Request[] = []
  const answering = (response: () => Response) =>
    typedClient<paths>({
      baseUrl: 'https://mitra.example',
      headers: { Authorization: 'Bearer pk_test' },
      fetch: async (request) => {
        seen.push(request)
        return response()
      },
    })

  it('sends JSON with its headers and answers the parsed data', async () => {
    const api = answering(() => Response.json({ id: 'cart_1' }, { status: 201 }))
    const answer = await api.POST('/v1/store/carts/{cart_id}/lines', {
      params: { path: { cart_id: 'cart_1' } },
      body: { venue_id: 'pty_1', variant_id: 'var_1', quantity: 2 },
      headers: { 'Idempotency-Key': 'k1' },
    })
    expect(answer.data).toEqual({ id: 'cart_1' })
    const request = seen.at(-1) as Request
    expect(request.url).toBe('https://mitra.example/v1/store/carts/cart_1/lines')
    expect(request.method).toBe('POST')
    expect(request.headers.get('Authorization')).toBe('Bearer pk_test')
    expect(request.headers.get('Idempotency-Key')).toBe('k1')
    expect(request.headers.get('Content-Type')).toBe('application/json')
    expect(await request.json()).toEqual({ venue_id: 'pty_1', variant_id: 'var_1', quantity: 2 })
  })

  it('answers an error as parsed problem JSON, or as text when it is not JSON', async () => {
    const problem = await answering(() =>
      Response.json({ code: 'not_found' }, { status: 404 }),
    ).GET('/v1/store/orders/{order_id}', { params: { path: { order_id: 'ord_1' } } })
    expect(problem.data).toBeUndefined()
    expect(problem.error).toEqual({ code: 'not_found' })
    const proxy = await answering(() => new Response('<h1>Bad gateway</h1>', { status: 502 })).GET(
      '/v1/store/orders/{order_id}',
      { params: { path: { order_id: 'ord_1' } } },
    )
    expect(proxy.error).toBe('<h1>Bad gateway</h1>')
  })

  it('parses nothing from a 204, and reads a blob when asked', async () => {
    const empty = await answering(() => new Response(null, { status: 204 })).DELETE(
      '/v1/store/carts/{cart_id}/lines/{venue_id}/{variant_id}',
      { params: { path: { cart_id: 'c', venue_id: 'v', variant_id: 'w' } } },
    )
    expect(empty.data).toBeUndefined()
    expect(empty.response.status).toBe(204)
    const card = await answering(
      () =>
        new Response(new Uint8Array([0xff, 0xd8]), { headers: { 'Content-Type': 'image/jpeg' } }),
    ).GET('/v1/store/products/{id}/card', { params: { path: { id: 'p' } }, parseAs: 'blob' })
    expect(card.data).toBeInstanceOf(Blob)
    expect((card.data as Blob).size).toBe(2)
  })

  it('sends a serialized body as it is, with no JSON content type', async () => {
    const api = answering(() => Response.json({ id: 'med_1' }, { status: 201 }))
    await api.POST('/v1/admin/media', {
      body: { file: '' },
      bodySerializer: () => {
        const form = new FormData()
        form.append('file', new Blob(['x']), 'a.jpg')
        return form
      },
    })
    const request = seen.at(-1) as Request
    expect(request.headers.get('Content-Type')).toMatch(/^multipart\/form-data; boundary=/)
  })
})
