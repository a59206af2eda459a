import { connect, readDemoKeys } from '@mitra/example-connect'
import { isMitraApiError } from '@mitra/sdk'

/**
 * The other side of the counter, for the demo: a producer (`MITRA_DEMO_PRODUCER`: madu, batik
 * or ape; default madu) sends Kafe Banaran 9 a delivery note with 6 of each of its items. The
 * café's `start` then finds it waiting and counts it in.
 */
try {
  const producerKey = process.env.MITRA_DEMO_PRODUCER ?? 'madu'
  const { mitra } = connect(producerKey, { ...process.env, MITRA_SECRET_KEY: '' })
  const cafe = process.env.MITRA_VENUE_ID ?? readDemoKeys().keys.kafe?.party_id
  if (cafe === undefined) throw new Error('No café: set MITRA_VENUE_ID')
  const producer = await mitra.admin.party.get()
  const variants = []
  for await (const product of mitra.admin.products.list({ status: 'active' })) {
    variants.push(...product.variants)
  }
  const stamp = new Date(Date.now() + 7 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14)
  const note = await mitra.admin.deliveries.create({
    venue_id: cafe,
    note_number: `SJ/${producerKey.toUpperCase()}/${stamp}`,
    lines: variants.map((variant) => ({ variant_id: variant.id, quantity: 6 })),
  })
  console.log(
    `${producer.name} sent delivery note ${note.note_number}: ${note.lines.length} lines, ${note.lines.reduce((sum, line) => sum + line.quantity_sent, 0)} units (${variants.map((v) => v.sku).join(', ')})`,
  )
} catch (error) {
  console.error(
    isMitraApiError(error) ? `${error.code}: ${error.detail}` : (error as Error).message,
  )
  process.exitCode = 1
}
