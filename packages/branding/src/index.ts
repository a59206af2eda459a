export {
  type Attribution,
  type AttributionInput,
  attribution,
  type Locale,
  locales,
} from './attribution.js'
export {
  type BrandKit,
  getBrandKit,
  getBrandKitBySlug,
  type PresentationBrand,
  type PresentedKit,
  presentationBrand,
  saveBrandKit,
} from './brand-kits.js'
export {
  contrastRatio,
  formatRatio,
  type HexColor,
  hexToRgb,
  isHexColor,
  minimumContrast,
  normalizeHex,
  relativeLuminance,
  rgbToHex,
} from './color.js'
export { type FontFamily, fontFamilies, fontStacks } from './fonts.js'
export {
  assertFileSize,
  defaultMaxBytes,
  defaultMaxPixels,
  detectImageFormat,
  encoderOptions,
  fileExtensions,
  type ImageLimits,
  type ImageVariant,
  mediaTypes,
  type OpenedImage,
  openImage,
  type ProcessedImage,
  type ProcessImageOptions,
  planWidths,
  processImage,
  type SourceFormat,
  sourceFormats,
  type VariantFormat,
  variantFormats,
  variantWidths,
} from './images.js'
export {
  assertReadablePalette,
  type BrandKitFields,
  type BrandKitInput,
  brandKitInputSchema,
  type Certification,
  type CertificationKind,
  type ContrastCheck,
  certificationKinds,
  certificationSchema,
  checkPalette,
  hexColorSchema,
  normalizePirtNumber,
  type Palette,
  type PaletteInput,
  paletteSchema,
  slugPattern,
  type Typography,
  typographySchema,
  validateBrandKit,
} from './kit.js'
export {
  getMedia,
  getMediaByIds,
  type MediaAsset,
  type PictureSources,
  pictureSources,
  uploadMedia,
} from './media.js'
export {
  type Social,
  type SocialInput,
  type SocialLink,
  socialLinks,
  socialSchema,
} from './social.js'
export {
  renderSocialCard,
  type SocialCard,
  type SocialCardInput,
  socialCardSize,
} from './social-card.js'
export {
  contentKey,
  type ImageExtension,
  type ImageStore,
  imageExtensions,
  isContentKey,
  LocalDiskImageStore,
  type LocalDiskImageStoreOptions,
  MemoryImageStore,
} from './store.js'
export { type ThemeTokenName, type ThemeTokens, themeTokens, toCssVariables } from './theme.js'
