import type { Locale } from '../format.js'

/*
 * The words of the agreement screens, in Indonesian (the default) and English. Kept apart
 * from i18n.ts so these screens can grow without touching the strings every screen shares.
 */

const id = {
  title: 'Perjanjian',
  lead: 'Perjanjian titip jual (konsinyasi) dengan mitra Anda: ketentuannya, siapa yang sudah menyetujui, dan perubahannya.',
  none: 'Belum ada perjanjian.',
  with: (name: string) => `Perjanjian dengan ${name}`,
  someone: 'mitra',
  newTitle: 'Usulkan perjanjian baru',
  newLink: 'Usulkan perjanjian baru',
  backToList: 'Kembali ke daftar perjanjian',
  status: {
    draft: 'Draf, belum dikirim',
    proposed: 'Diusulkan, menunggu persetujuan',
    active: 'Berlaku',
    terminated: 'Diakhiri',
    withdrawn: 'Ditarik kembali',
    rejected: 'Ditolak',
  } as Record<string, string>,
  versionState: {
    draft: 'Draf, belum dikirim',
    proposed: 'Diusulkan, menunggu persetujuan',
    accepted: 'Berlaku',
    superseded: 'Sudah diganti versi baru',
    rejected: 'Ditolak',
    withdrawn: 'Ditarik kembali',
  } as Record<string, string>,
  version: (n: number) => `Versi ${n}`,
  versionInForce: (n: number) => `Versi berlaku: ${n}`,
  noVersionInForce: 'Belum ada versi yang berlaku',
  lastInForce: (n: number) => `Versi terakhir yang berlaku: ${n}`,
  acceptedUntilEnd: 'Berlaku sampai perjanjian diakhiri',
  latestVersion: (n: number) => `Versi terbaru: ${n}`,
  waitingForYou: (n: number) => `Versi ${n} menunggu persetujuan Anda`,
  waitingForThem: (n: number, other: string) => `Versi ${n} menunggu persetujuan ${other}`,
  draftUnsent: (n: number) => `Versi ${n} masih draf, belum dikirim`,
  open: 'Buka',
  // The detail screen
  termsInForce: (n: number) => `Ketentuan yang berlaku (versi ${n})`,
  termsLatest: (n: number) => `Ketentuan versi ${n}`,
  termsUntilEnd: (n: number) => `Ketentuan terakhir yang berlaku (versi ${n})`,
  allTermsOf: (n: number) => `Baca semua ketentuan versi ${n}`,
  changes: 'Apa yang berubah',
  history: 'Riwayat versi',
  proposedBy: (who: string, when: string) => `Diusulkan oleh ${who} pada ${when}`,
  draftedBy: (who: string) => `Disusun oleh ${who}, belum dikirim`,
  acceptedOn: (who: string, when: string) => `Disetujui ${who} pada ${when}`,
  notAcceptedBy: (who: string) => `Belum disetujui ${who}`,
  effective: (when: string) => `Berlaku sejak ${when}`,
  note: 'Catatan',
  endedOn: (when: string) => `Diakhiri pada ${when}`,
  reasonWas: (reason: string) => `Alasan: ${reason}`,
  // Deciding on a proposal
  decision: 'Menunggu keputusan',
  youMayAccept: (n: number) =>
    `Baca ketentuan versi ${n} di bawah. Bila Anda setuju, ketentuan ini berlaku setelah kedua pihak menyetujuinya.`,
  youAccepted: (n: number, other: string) =>
    `Anda sudah menyetujui versi ${n}. Versi ini berlaku setelah ${other} juga menyetujuinya.`,
  draftWaiting: (n: number) =>
    `Versi ${n} masih draf: mitra Anda belum melihatnya. Kirim, atau tarik kembali.`,
  draftOfOther: (n: number, other: string) => `Versi ${n} masih disusun oleh ${other}.`,
  accept: (n: number) => `Setujui versi ${n}`,
  reject: (n: number) => `Tolak versi ${n}`,
  withdraw: (n: number) => `Tarik kembali versi ${n}`,
  send: (n: number) => `Kirim versi ${n} ke mitra`,
  rejectHint: 'Menolak usulan perubahan tidak mengubah ketentuan yang berlaku.',
  ownersOnly: 'Hanya pemilik usaha yang dapat menyetujui, mengubah, atau mengakhiri perjanjian.',
  // The short form
  shortLead:
    'Isi ketentuan yang paling sering diubah. Ketentuan lain tetap seperti sekarang (lihat di atas).',
  newLead:
    'Isi ketentuan utama. Ketentuan lain mengikuti usulan awal di bawah; keduanya dapat diubah nanti lewat usulan perubahan.',
  partner: (kind: 'producer' | 'venue'): string =>
    kind === 'producer' ? 'Kelompok usaha (pembuat)' : 'Tempat penjualan',
  choosePartner: 'Pilih mitra',
  partnerGone: 'mitra ini tidak ditemukan',
  noPartners:
    'Tidak ada mitra lain yang bisa diajak: dengan semua mitra sudah ada perjanjian. Ubah perjanjian yang ada bila ketentuannya perlu berubah.',
  partnersLeftOut: 'Mitra yang sudah punya perjanjian dengan Anda tidak ada di daftar ini.',
  commission: 'Komisi tempat penjualan (%)',
  commissionHint: 'Dari harga jual, misalnya 20',
  commissionTiered:
    'Sekarang komisi menurut harga satuan. Isi satu angka untuk menggantinya dengan satu tarif.',
  cycle: 'Jadwal pembayaran ke pembuat',
  cycles: {
    weekly: 'Setiap minggu',
    twice_monthly: 'Dua kali sebulan',
    monthly: 'Setiap bulan',
  } as Record<string, string>,
  days: 'Masa titip (hari)',
  daysHint: 'Berapa lama barang boleh dititipkan, 1–730 hari',
  amendNote: 'Catatan untuk mitra (boleh kosong)',
  otherTerms: 'Ketentuan lain yang diusulkan',
  amendTitle: 'Usulkan perubahan',
  amendSubmit: 'Kirim usulan perubahan',
  proposeSubmit: 'Kirim usulan perjanjian',
  youSign: (other: string) =>
    `Dengan mengirim, Anda menyetujui ketentuan ini atas nama usaha Anda. Ketentuan ini berlaku setelah ${other} juga menyetujuinya; sampai saat itu ketentuan sekarang tetap berlaku.`,
  youSignNew:
    'Dengan mengirim, Anda menyetujui ketentuan ini atas nama usaha Anda. Perjanjian berlaku setelah mitra juga menyetujuinya.',
  openAmendment:
    'Sudah ada perubahan yang menunggu keputusan. Putuskan atau tarik kembali dulu sebelum mengusulkan perubahan lain.',
  // Ending
  endTitle: 'Akhiri perjanjian',
  endLead: (producer: string, venue: string) =>
    `Setelah diakhiri, ${venue} tidak menjual barang ${producer} lagi. Barang yang masih di rak tetap milik ${producer}: pengembalian semuanya langsung diminta, dan ${venue} menyerahkannya kembali. Penjualan yang sudah terjadi tetap dibayarkan menurut ketentuan yang berlaku saat itu.`,
  endPending: 'Usulan perubahan yang belum diputuskan ikut batal.',
  reason: 'Alasan mengakhiri',
  confirmEnd: 'Ya, saya ingin mengakhiri perjanjian ini',
  endSubmit: 'Akhiri perjanjian',
  ended: (producer: string, venue: string) =>
    `Perjanjian sudah diakhiri. Barang ${producer} yang masih di ${venue} dikembalikan ke ${producer}.`,
  // Checks on the form
  notANumber: 'isi dengan angka, misalnya 20',
  notWholeDays: 'isi dengan jumlah hari (bilangan bulat)',
  mustConfirm: 'centang untuk memastikan',
  commissionTooBig: 'paling besar 100%',
  commissionNegative: 'tidak boleh kurang dari 0%',
  daysTooMany: 'paling lama 730 hari',
  daysTooFew: 'paling sedikit 1 hari',
  feesOver100: 'komisi, iuran koperasi dan biaya platform bersama lebih dari 100%',
  nothingChanged: 'Tidak ada ketentuan yang berubah. Ubah paling sedikit satu isian.',
  // After an action (shown once after the redirect)
  notices: {
    proposed: 'Usulan terkirim dan sudah Anda setujui. Menunggu persetujuan mitra.',
    accepted: 'Persetujuan Anda tercatat. Menunggu persetujuan mitra.',
    inForce: 'Persetujuan Anda tercatat. Versi ini sekarang berlaku.',
    rejected: 'Usulan ditolak.',
    withdrawn: 'Usulan ditarik kembali.',
    sent: 'Usulan terkirim ke mitra.',
    ended:
      'Perjanjian diakhiri. Bila masih ada barang di tempat penjualan, pengembaliannya sudah diminta.',
  } as Record<string, string>,
  // When only part of it went through: said plainly, with what is left to do
  draftNotSent: (n: number) =>
    `Versi ${n} tersimpan sebagai draf, tetapi belum terkirim ke mitra. Kirim lagi, atau tarik kembali draf itu, di bawah.`,
  sentNotAccepted: (n: number) =>
    `Versi ${n} sudah terkirim, tetapi persetujuan Anda belum tercatat. Setujui di bawah.`,
  // Refusals as a whole
  problems: {
    agreement_version_stale:
      'Perjanjian ini berubah sejak Anda membukanya. Baca lagi ketentuannya, lalu putuskan.',
    illegal_status_transition:
      'Langkah ini tidak bisa lagi dilakukan: keadaan perjanjian sudah berubah.',
    agreement_version_open:
      'Sudah ada perubahan yang menunggu keputusan. Putuskan atau tarik kembali dulu.',
    agreement_not_active: 'Perjanjian ini tidak sedang berlaku.',
    agreement_exists:
      'Sudah ada perjanjian yang berlaku dengan mitra ini. Usulkan perubahan pada perjanjian itu.',
    agreement_not_draft: 'Versi ini sudah dikirim dan tidak bisa diubah lagi.',
    agreement_in_force: 'Versi yang berlaku tidak pernah diubah; usulkan perubahan.',
    forbidden:
      'Anda tidak dapat melakukan ini. Hanya pemilik usaha, dan hanya pihak yang berhak, yang dapat melakukannya.',
    not_a_member: 'Pembuat ini bukan anggota koperasi yang disebut dalam ketentuan.',
  } as Record<string, string>,
  refused: 'Permintaan ditolak. Periksa lagi, lalu coba kembali.',
  failed: 'Tidak dapat disimpan sekarang. Coba lagi sebentar lagi.',
}

export type AgreementStrings = typeof id

const en: AgreementStrings = {
  title: 'Agreements',
  lead: 'Your consignment agreements with partners: their terms, who has accepted, and changes.',
  none: 'No agreements yet.',
  with: (name) => `Agreement with ${name}`,
  someone: 'your partner',
  newTitle: 'Propose a new agreement',
  newLink: 'Propose a new agreement',
  backToList: 'Back to the agreements',
  status: {
    draft: 'Draft, not sent',
    proposed: 'Proposed, awaiting acceptance',
    active: 'In force',
    terminated: 'Ended',
    withdrawn: 'Withdrawn',
    rejected: 'Rejected',
  },
  versionState: {
    draft: 'Draft, not sent',
    proposed: 'Proposed, awaiting acceptance',
    accepted: 'In force',
    superseded: 'Replaced by a newer version',
    rejected: 'Rejected',
    withdrawn: 'Withdrawn',
  },
  version: (n) => `Version ${n}`,
  versionInForce: (n) => `Version in force: ${n}`,
  noVersionInForce: 'No version in force yet',
  lastInForce: (n) => `Last version in force: ${n}`,
  acceptedUntilEnd: 'In force until the agreement ended',
  latestVersion: (n) => `Latest version: ${n}`,
  waitingForYou: (n) => `Version ${n} awaits your acceptance`,
  waitingForThem: (n, other) => `Version ${n} awaits ${other}’s acceptance`,
  draftUnsent: (n) => `Version ${n} is still a draft, not sent`,
  open: 'Open',
  termsInForce: (n) => `Terms in force (version ${n})`,
  termsLatest: (n) => `Terms of version ${n}`,
  termsUntilEnd: (n) => `Last terms in force (version ${n})`,
  allTermsOf: (n) => `Read every term of version ${n}`,
  changes: 'What changes',
  history: 'Versions',
  proposedBy: (who, when) => `Proposed by ${who} on ${when}`,
  draftedBy: (who) => `Drafted by ${who}, not sent`,
  acceptedOn: (who, when) => `Accepted by ${who} on ${when}`,
  notAcceptedBy: (who) => `Not yet accepted by ${who}`,
  effective: (when) => `In force since ${when}`,
  note: 'Note',
  endedOn: (when) => `Ended on ${when}`,
  reasonWas: (reason) => `Reason: ${reason}`,
  decision: 'Awaiting a decision',
  youMayAccept: (n) =>
    `Read the terms of version ${n} below. If you agree, they come into force once both sides have accepted.`,
  youAccepted: (n, other) =>
    `You have accepted version ${n}. It comes into force once ${other} accepts it too.`,
  draftWaiting: (n) =>
    `Version ${n} is still a draft: your partner has not seen it. Send it, or withdraw it.`,
  draftOfOther: (n, other) => `Version ${n} is still being drafted by ${other}.`,
  accept: (n) => `Accept version ${n}`,
  reject: (n) => `Reject version ${n}`,
  withdraw: (n) => `Withdraw version ${n}`,
  send: (n) => `Send version ${n} to the partner`,
  rejectHint: 'Rejecting a proposed change leaves the terms in force as they are.',
  ownersOnly: 'Only an owner of the business can accept, change or end an agreement.',
  shortLead:
    'Fill in the terms changed most often. Every other term stays as it is now (see above).',
  newLead:
    'Fill in the main terms. The other terms follow the starting proposal below; either can be changed later by proposing a change.',
  partner: (kind) => (kind === 'producer' ? 'Producer group (maker)' : 'Venue'),
  choosePartner: 'Choose a partner',
  partnerGone: 'this partner was not found',
  noPartners:
    'There is no other partner to propose to: you already have an agreement with each. Change an existing agreement if its terms need to change.',
  partnersLeftOut: 'Partners you already have an agreement with are not in this list.',
  commission: 'Venue’s commission (%)',
  commissionHint: 'Of the selling price, for example 20',
  commissionTiered:
    'The commission is now by unit price. Enter one number to replace it with a single rate.',
  cycle: 'How often the maker is paid',
  cycles: { weekly: 'Every week', twice_monthly: 'Twice a month', monthly: 'Every month' },
  days: 'Consignment period (days)',
  daysHint: 'How long goods may stay on consignment, 1–730 days',
  amendNote: 'A note for your partner (optional)',
  otherTerms: 'The other terms proposed',
  amendTitle: 'Propose a change',
  amendSubmit: 'Send the proposed change',
  proposeSubmit: 'Send the proposed agreement',
  youSign: (other) =>
    `By sending, you accept these terms for your business. They come into force once ${other} accepts them too; until then the current terms stay in force.`,
  youSignNew:
    'By sending, you accept these terms for your business. The agreement comes into force once your partner accepts it too.',
  openAmendment:
    'A change already awaits a decision. Decide on it or withdraw it before proposing another.',
  endTitle: 'End the agreement',
  endLead: (producer, venue) =>
    `Once ended, ${venue} no longer sells ${producer}’s goods. Goods still on the shelf remain ${producer}’s: their return is requested at once, and ${venue} hands them back. Sales already made are still paid under the terms in force at the time.`,
  endPending: 'A proposed change not yet decided is withdrawn with it.',
  reason: 'Why are you ending it?',
  confirmEnd: 'Yes, I want to end this agreement',
  endSubmit: 'End the agreement',
  ended: (producer, venue) =>
    `The agreement has ended. ${producer}’s goods still at ${venue} go back to ${producer}.`,
  notANumber: 'enter a number, for example 20',
  notWholeDays: 'enter a whole number of days',
  mustConfirm: 'tick to confirm',
  commissionTooBig: 'at most 100%',
  commissionNegative: 'not below 0%',
  daysTooMany: 'at most 730 days',
  daysTooFew: 'at least 1 day',
  feesOver100: 'commission, cooperative fee and platform fee together exceed 100%',
  nothingChanged: 'No term changes. Change at least one field.',
  notices: {
    proposed: 'Proposal sent, and accepted by you. Waiting for your partner.',
    accepted: 'Your acceptance is recorded. Waiting for your partner.',
    inForce: 'Your acceptance is recorded. This version is now in force.',
    rejected: 'Proposal rejected.',
    withdrawn: 'Proposal withdrawn.',
    sent: 'Proposal sent to your partner.',
    ended: 'Agreement ended. The return of any goods still at the venue has been requested.',
  },
  draftNotSent: (n) =>
    `Version ${n} is saved as a draft but has not been sent to your partner. Send it again, or withdraw the draft, below.`,
  sentNotAccepted: (n) =>
    `Version ${n} has been sent, but your acceptance is not recorded yet. Accept it below.`,
  problems: {
    agreement_version_stale:
      'This agreement changed since you opened it. Read its terms again, then decide.',
    illegal_status_transition: 'This can no longer be done: the agreement has changed.',
    agreement_version_open:
      'A change already awaits a decision. Decide on it or withdraw it first.',
    agreement_not_active: 'This agreement is not in force.',
    agreement_exists:
      'An agreement with this partner is already in force. Propose a change to that one.',
    agreement_not_draft: 'This version has been sent and can no longer be edited.',
    agreement_in_force: 'A version in force never changes; propose a change instead.',
    forbidden: 'You cannot do this. Only an owner, and only the side entitled to, can.',
    not_a_member: 'This maker is not a member of the cooperative named in the terms.',
  },
  refused: 'The request was refused. Check it, then try again.',
  failed: 'Could not be saved just now. Try again shortly.',
}

export const agreementStrings: Record<Locale, AgreementStrings> = { id, en }
