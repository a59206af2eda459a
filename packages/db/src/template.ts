import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * A migrated, empty PGlite database as a tarball, made once per PGlite version and migration
 * set and kept in the OS temp folder. PGlite's initdb takes seconds (most of a first start);
 * loading this takes about one. The test databases and `npm start` on a fresh data folder
 * share it, whichever makes it first.
 */

const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url))

/** Where the templates are kept. */
export const templateDir = join(tmpdir(), 'mitra-templates')

let file: string | undefined

/** The template's file: named by the PGlite version and a hash of the migrations. */
export function pgliteTemplateFile(): string {
  file ??= join(templateDir, `pglite-${pgliteVersion()}-${migrationsHash()}.tar`)
  return file
}

/** Identifies the migration set: a changed migration gets a new template. */
export function migrationsHash(): string {
  const hash = createHash('sha256')
  for (const name of readdirSync(migrationsFolder).sort()) {
    if (name.endsWith('.sql')) hash.update(name).update(readFileSync(join(migrationsFolder, name)))
  }
  hash.update(readFileSync(join(migrationsFolder, 'meta', '_journal.json')))
  return hash.digest('hex').slice(0, 16)
}

/** A data folder made by one PGlite version may not open in another. */
function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  let folder = dirname(entry)
  for (let depth = 0; depth < 4; depth++, folder = dirname(folder)) {
    try {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))
      if (manifest.name === '@electric-sql/pglite') return String(manifest.version)
    } catch {
      // not this folder
    }
  }
  return 'unknown'
}

/** The template, or undefined when none has been made yet. */
export function readPgliteTemplate(): Blob | undefined {
  try {
    return new Blob([readFileSync(pgliteTemplateFile())])
  } catch {
    return undefined
  }
}

/** Keeps `dump` as the template; written whole, then renamed, so readers never see a part. */
export async function writePgliteTemplate(dump: Blob): Promise<void> {
  const target = pgliteTemplateFile()
  mkdirSync(templateDir, { recursive: true })
  const partial = `${target}.${process.pid}.partial`
  try {
    writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()))
    renameSync(partial, target)
  } finally {
    rmSync(partial, { force: true })
  }
}
