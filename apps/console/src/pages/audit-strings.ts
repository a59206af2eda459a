import type { Locale } from '../format.js'

/*
 * The words of the audit log screen (pages/audit.tsx), in Indonesian (the default) and
 * English. Kept beside the screen rather than in i18n.ts.
 */

const id = {
  audit: 'Catatan perubahan',
  auditLead:
    'Siapa mengubah apa: kunci API, perjanjian, harga, pembayaran dan koreksi stok. Terbaru di atas.',
  noEvents: 'Belum ada catatan.',
  when: 'Waktu',
  what: 'Perubahan',
  who: 'Oleh',
  older: 'Catatan lebih lama',
  byKey: 'kunci API',
  byPerson: 'orang',
  bySystem: 'sistem (penyedia pembayaran)',
  actions: {
    'api_key.created': 'Kunci API dibuat',
    'api_key.revoked': 'Kunci API dicabut',
    'api_key.rotated': 'Kunci API diganti',
    'agreement.proposed': 'Perjanjian diusulkan',
    'agreement.draft_changed': 'Draf perjanjian diubah',
    'agreement.sent': 'Perjanjian dikirim',
    'agreement.accepted': 'Perjanjian disetujui',
    'agreement.rejected': 'Perjanjian ditolak',
    'agreement.withdrawn': 'Usulan perjanjian ditarik',
    'agreement.amendment_proposed': 'Perubahan perjanjian diusulkan',
    'agreement.ended': 'Perjanjian diakhiri',
    'variant.price_set': 'Harga ditetapkan',
    'variant.price_changed': 'Harga diubah',
    'payout.created': 'Pembayaran dibuat',
    'payout.approved': 'Pembayaran disetujui',
    'payout.sent': 'Pembayaran dikirim',
    'payout.paid_manually': 'Pembayaran dicatat tunai/transfer',
    'payout.paid': 'Pembayaran diterima',
    'payout.failed': 'Pembayaran gagal',
    'stock.counted': 'Stok opname',
    'stock.written_off': 'Barang dihapus (rusak/hilang)',
  } as Record<string, string>,
}

export type AuditStrings = typeof id

const en: AuditStrings = {
  audit: 'Audit log',
  auditLead:
    'Who changed what: API keys, agreements, prices, payouts and stock corrections. Newest first.',
  noEvents: 'Nothing recorded yet.',
  when: 'When',
  what: 'Change',
  who: 'By',
  older: 'Older entries',
  byKey: 'API key',
  byPerson: 'person',
  bySystem: 'system (payment provider)',
  actions: {
    'api_key.created': 'API key created',
    'api_key.revoked': 'API key revoked',
    'api_key.rotated': 'API key rotated',
    'agreement.proposed': 'Agreement proposed',
    'agreement.draft_changed': 'Agreement draft changed',
    'agreement.sent': 'Agreement sent',
    'agreement.accepted': 'Agreement accepted',
    'agreement.rejected': 'Agreement rejected',
    'agreement.withdrawn': 'Agreement proposal withdrawn',
    'agreement.amendment_proposed': 'Agreement amendment proposed',
    'agreement.ended': 'Agreement ended',
    'variant.price_set': 'Price set',
    'variant.price_changed': 'Price changed',
    'payout.created': 'Payout created',
    'payout.approved': 'Payout approved',
    'payout.sent': 'Payout sent',
    'payout.paid_manually': 'Payout recorded as paid by hand',
    'payout.paid': 'Payout arrived',
    'payout.failed': 'Payout failed',
    'stock.counted': 'Stock count',
    'stock.written_off': 'Stock written off (damage/loss)',
  },
}

export const auditStrings: Record<Locale, AuditStrings> = { id, en }
