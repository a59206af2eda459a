import type { ProductCategory } from '@mitra/db'

export { type ProductCategory, productCategories } from '@mitra/db'

/** Display names of the categories, in Indonesian and English (also searched). */
export const productCategoryLabels: Readonly<
  Record<ProductCategory, { readonly id: string; readonly en: string }>
> = {
  batik: { id: 'Batik', en: 'Batik' },
  textile: { id: 'Tekstil dan garmen', en: 'Textiles and garments' },
  wooden_toys: { id: 'Mainan kayu', en: 'Wooden toys' },
  educational_toys: { id: 'Alat permainan edukatif (APE)', en: 'Educational toys' },
  snacks: { id: 'Makanan ringan', en: 'Snacks' },
  honey: { id: 'Madu', en: 'Honey' },
  natural_dye: { id: 'Pewarna alami', en: 'Natural dyes' },
  masks: { id: 'Topeng', en: 'Masks' },
  bamboo: { id: 'Kerajinan bambu', en: 'Bamboo craft' },
  pottery: { id: 'Gerabah', en: 'Pottery' },
  stone_craft: { id: 'Kerajinan batu', en: 'Stone craft' },
  other: { id: 'Lainnya', en: 'Other' },
}
