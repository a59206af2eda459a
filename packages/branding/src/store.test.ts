import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contentKey, type ImageStore, LocalDiskImageStore, MemoryImageStore } from './store.js'

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

const stores: Array<[string, () => ImageStore & { dir?: string }]> = [
  ['LocalDiskImageStore', () => new LocalDiskImageStore(mkdtempSync(join(tmpdir(), 'mitra-img-')))],
  ['MemoryImageStore', () => new MemoryImageStore()],
]

describe.each(stores)('%s', (_name, makeStore) => {
  it('keys content by its SHA-256 and gives it back', async () => {
    const store = makeStore()
    const bytes = new TextEncoder().encode('not really a webp, the store does not care')
    const key = await store.put(bytes, 'webp')
    expect(key).toBe(`${createHash('sha256').update(bytes).digest('hex')}.webp`)
    expect(key).toBe(contentKey(bytes, 'webp'))
    expect(await store.has(key)).toBe(true)
    expect(Buffer.from((await store.get(key))!)).toEqual(Buffer.from(bytes))
    expect(store.url(key)).toBe(`/media/${key}`)
  })

  it('is idempotent: the same bytes are one entry, different bytes another', async () => {
    const store = makeStore()
    const a = new Uint8Array([1, 2, 3])
    const keys = await Promise.all(Array.from({ length: 8 }, () => store.put(a, 'jpg')))
    expect(new Set(keys).size).toBe(1)
    const other = await store.put(new Uint8Array([1, 2, 4]), 'jpg')
    expect(other).not.toBe(keys[0])
    if (store instanceof LocalDiskImageStore) {
      // Two files, no temporary leftovers from the eight concurrent writes.
      const files = filesUnder(store.dir)
      expect(files).toHaveLength(2)
      expect(files.every((f) => /[0-9a-f]{64}\.jpg$/.test(f))).toBe(true)
      expect(readFileSync(store.pathOf(keys[0]!))).toEqual(Buffer.from(a))
    }
  })

  it('answers misses and refuses anything that is not a content key', async () => {
    const store = makeStore()
    const missing = `${'0'.repeat(64)}.avif`
    expect(await store.has(missing)).toBe(false)
    expect(await store.get(missing)).toBeUndefined()
    for (const key of ['../../etc/passwd', `${'a'.repeat(64)}.svg`, `/${'a'.repeat(64)}.jpg`, '']) {
      await expect(store.get(key)).rejects.toThrow(TypeError)
      await expect(store.has(key)).rejects.toThrow(TypeError)
      expect(() => store.url(key)).toThrow(TypeError)
    }
    await expect(store.put(new Uint8Array([1]), 'svg' as 'jpg')).rejects.toThrow(TypeError)
  })
})

describe('LocalDiskImageStore', () => {
  it('shards by the first two hex digits and takes a base URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitra-img-'))
    const store = new LocalDiskImageStore(dir, { baseUrl: 'https://cdn.example.id/m/' })
    const key = await store.put(new Uint8Array([9, 9, 9]), 'avif')
    expect(store.pathOf(key)).toBe(join(dir, key.slice(0, 2), key))
    expect(store.url(key)).toBe(`https://cdn.example.id/m/${key}`)
    // A second store on the same folder sees the same content.
    expect(await new LocalDiskImageStore(dir).has(key)).toBe(true)
  })
})
