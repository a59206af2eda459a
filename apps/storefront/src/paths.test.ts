import { describe, expect, it } from 'vitest'
import { mitraPaths } from './paths.js'

describe('where npm start keeps things', () => {
  it('keeps data, images and keys in one folder, .mitra by default', () => {
    expect(mitraPaths({}, '/repo')).toEqual({
      data: '/repo/.mitra/data',
      media: '/repo/.mitra/media',
      keys: '/repo/.mitra/keys.json',
    })
  })

  it('puts the keys and images beside the data folder MITRA_DATA_DIR names', () => {
    expect(mitraPaths({ MITRA_DATA_DIR: '/tmp/try/data' }, '/repo')).toEqual({
      data: '/tmp/try/data',
      media: '/tmp/try/media',
      keys: '/tmp/try/keys.json',
    })
    expect(mitraPaths({ MITRA_DATA_DIR: 'elsewhere/db' }, '/repo').keys).toBe(
      '/repo/elsewhere/keys.json',
    )
  })

  it('takes MITRA_MEDIA_DIR for the images only, and treats empty variables as unset', () => {
    const paths = mitraPaths({ MITRA_DATA_DIR: '', MITRA_MEDIA_DIR: '/srv/images' }, '/repo')
    expect(paths).toEqual({
      data: '/repo/.mitra/data',
      media: '/srv/images',
      keys: '/repo/.mitra/keys.json',
    })
  })
})
