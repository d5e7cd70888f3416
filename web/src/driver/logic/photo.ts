// Browser side of attaching photos: decode a picked file and re-encode it as
// a JPEG small enough for the server (see shrinkToFit).
import { fitWithin, maxPhotoBytes, shrinkToFit } from './support'

/**
 * photoDataUrl reads an image file from the camera or gallery and returns it
 * as a JPEG data URL of at most maxBytes, resized as needed; null when the
 * file is not an image the browser can draw or cannot be made small enough.
 */
export async function photoDataUrl(file: Blob, maxBytes: number = maxPhotoBytes): Promise<string | null> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    return null
  }
  try {
    return await shrinkToFit(async ({ maxSide, quality }) => {
      const { width, height } = fitWithin(bitmap.width, bitmap.height, maxSide)
      const canvas = document.createElement('canvas')
      canvas.width = width
      canvas.height = height
      const ctx = canvas.getContext('2d')
      if (!ctx) return ''
      // JPEG has no transparency: paint white under it.
      ctx.fillStyle = '#fff'
      ctx.fillRect(0, 0, width, height)
      ctx.drawImage(bitmap, 0, 0, width, height)
      return canvas.toDataURL('image/jpeg', quality)
    }, maxBytes)
  } finally {
    bitmap.close()
  }
}
