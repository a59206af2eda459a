import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'

export const imageExtensions = ['avif', 'webp', 'jpg', 'png'] as const
export type ImageExtension = (typeof imageExtensions)[number]

const keyPattern = /^[0-9a-f]{64}\.(?:avif|webp|jpg|png)$/

/** The key of `bytes`: the SHA-256 of exactly these bytes, hex, plus the extension. */
export function contentKey(bytes: Uint8Array, extension: ImageExtension): string {
  if (!imageExtensions.includes(extension)) throw new TypeError(`Unknown extension: ${extension}`)
  return `${createHash('sha256').update(bytes).digest('hex')}.${extension}`
}

/** True for a well-formed content key (and so never a path: no slashes, no dots but one). */
export function isContentKey(key: unknown): key is string {
  return typeof key === 'string' && keyPattern.test(key)
}

function checkKey(key: string): void {
  if (!isContentKey(key)) throw new TypeError(`Not a content key: ${JSON.stringify(key)}`)
}

/**
 * Where image variants live. Content-addressed: a key is the hash of its bytes, so a put is
 * idempotent, two uploads of the same variant share one file, and a stored file can be
 * cached forever (`Cache-Control: immutable`).
 */
export interface ImageStore {
  /** Stores the bytes (if not already there) and returns their key. */
  put(bytes: Uint8Array, extension: ImageExtension): Promise<string>
  /** The bytes under `key`, or undefined. */
  get(key: string): Promise<Uint8Array | undefined>
  has(key: string): Promise<boolean>
  /** Where a browser fetches `key`. */
  url(key: string): string
}

export interface LocalDiskImageStoreOptions {
  /** Prefix of the URLs handed out (default `/media`); the server serves `dir` there. */
  baseUrl?: string
}

/**
 * Files in a folder, sharded by the first two hex digits of the hash
 * (`dir/3f/3fa1….webp`). Writes are atomic: bytes go to a temporary file in the same folder
 * and are renamed into place, so a reader never sees half a file and concurrent puts of the
 * same content are harmless.
 */
export class LocalDiskImageStore implements ImageStore {
  readonly dir: string
  readonly baseUrl: string

  constructor(dir: string, options: LocalDiskImageStoreOptions = {}) {
    this.dir = resolve(dir)
    this.baseUrl = (options.baseUrl ?? '/media').replace(/\/+$/, '')
  }

  /** The file a key is kept in. */
  pathOf(key: string): string {
    checkKey(key)
    return join(this.dir, key.slice(0, 2), key)
  }

  async put(bytes: Uint8Array, extension: ImageExtension): Promise<string> {
    const key = contentKey(bytes, extension)
    const path = this.pathOf(key)
    if (await this.has(key)) return key
    await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true })
    const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
    try {
      await writeFile(temporary, bytes, { flag: 'wx' })
      await rename(temporary, path)
    } catch (error) {
      await rm(temporary, { force: true })
      throw error
    }
    return key
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.pathOf(key))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
  }

  async has(key: string): Promise<boolean> {
    const found = await stat(this.pathOf(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined
      throw error
    })
    return found?.isFile() ?? false
  }

  url(key: string): string {
    checkKey(key)
    return `${this.baseUrl}/${key}`
  }
}

/** An in-memory store, for tests and demos that keep nothing. */
export class MemoryImageStore implements ImageStore {
  readonly baseUrl: string
  readonly #files = new Map<string, Uint8Array>()

  constructor(options: LocalDiskImageStoreOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '/media').replace(/\/+$/, '')
  }

  get size(): number {
    return this.#files.size
  }

  async put(bytes: Uint8Array, extension: ImageExtension): Promise<string> {
    const key = contentKey(bytes, extension)
    if (!this.#files.has(key)) this.#files.set(key, new Uint8Array(bytes))
    return key
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    checkKey(key)
    const bytes = this.#files.get(key)
    return bytes === undefined ? undefined : new Uint8Array(bytes)
  }

  async has(key: string): Promise<boolean> {
    checkKey(key)
    return this.#files.has(key)
  }

  url(key: string): string {
    checkKey(key)
    return `${this.baseUrl}/${key}`
  }
}
