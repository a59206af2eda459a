// The SDK's types come from the document the server serves: one place builds it, so the
// generator and the check in the test suite compare the same thing.
import { createDatabase } from '@mitra/db'
import { createApp } from '@mitra/server'
import openapiTS, { astToString } from 'openapi-typescript'

export const generatedFile = new URL('../src/generated/openapi.ts', import.meta.url)

/** `GET /openapi.json` from an in-process app on an empty in-memory database. */
export async function servedDocument(): Promise<Record<string, unknown>> {
  const database = await createDatabase({ url: '', dataDir: 'memory://', migrate: false })
  try {
    const response = await createApp({ database }).request('/openapi.json')
    return (await response.json()) as Record<string, unknown>
  } finally {
    await database.close()
  }
}

const banner = `// Generated from the server's /openapi.json by \`pnpm --filter @mitra/sdk generate\`.
// Do not edit: a test fails when this differs from what the server serves.
`

/** The TypeScript the generator writes for `document`. */
export async function typesFor(document: Record<string, unknown>): Promise<string> {
  // biome-ignore lint/suspicious/noExplicitAny: openapi-typescript takes its own document type
  const ast = await openapiTS(document as any, { defaultNonNullable: false })
  return banner + astToString(ast)
}
