import { readFile } from 'node:fs/promises'
import { expect, it } from 'vitest'
import { generatedFile, servedDocument, typesFor } from './contract.js'

it('the committed types are what the server serves now (run `pnpm --filter @mitra/sdk generate`)', async () => {
  const committed = await readFile(generatedFile, 'utf8')
  expect(committed).toBe(await typesFor(await servedDocument()))
})
