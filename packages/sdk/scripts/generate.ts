import { mkdir, writeFile } from 'node:fs/promises'
import { generatedFile, servedDocument, typesFor } from './contract.js'

const types = await typesFor(await servedDocument())
await mkdir(new URL('.', generatedFile), { recursive: true })
await writeFile(generatedFile, types)
console.log(`wrote ${generatedFile.pathname} (${types.length} characters)`)
