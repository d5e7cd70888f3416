// Pure helpers of the driver's feedback and support chat screens: merging
// live events into what is shown, and the photo size rules.
import type { ChatMessage, Feedback } from '@/api'

/**
 * mergeMessages returns the messages of both lists once each (by id; the
 * later copy wins), oldest first, as a chat shows them.
 */
export function mergeMessages(shown: readonly ChatMessage[], more: readonly ChatMessage[]): ChatMessage[] {
  const byId = new Map<string, ChatMessage>()
  for (const m of shown) byId.set(m.id, m)
  for (const m of more) byId.set(m.id, m)
  return [...byId.values()].sort((a, b) => cmpTime(a.created_at, b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/**
 * upsertFeedback puts a fresh copy of a ticket into a list, newest activity
 * first; a ticket not in the list is added.
 */
export function upsertFeedback(list: readonly Feedback[], f: Feedback): Feedback[] {
  const out = list.filter((x) => x.id !== f.id)
  out.push(f)
  return out.sort((a, b) => cmpTime(b.updated_at, a.updated_at) || (a.id < b.id ? 1 : -1))
}

function cmpTime(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b)
}

/** maxPhotos is how many photos one feedback may carry. */
export const maxPhotos = 3

/** maxPhotoBytes is the largest photo the server takes, decoded, in bytes (2 MB). */
export const maxPhotoBytes = 2 << 20

/**
 * dataUrlBytes is the decoded size in bytes of a base64 data: URL (or bare
 * base64 text).
 */
export function dataUrlBytes(dataUrl: string): number {
  const comma = dataUrl.indexOf(',')
  const b64 = (dataUrl.startsWith('data:') ? dataUrl.slice(comma + 1) : dataUrl).replace(/\s/g, '')
  if (b64 === '') return 0
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0
  return Math.floor((b64.length * 3) / 4) - pad
}

/**
 * fitWithin scales width × height (pixels) down, keeping the aspect ratio, so
 * that neither side exceeds maxSide; smaller images keep their size.
 */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const long = Math.max(width, height)
  if (long <= maxSide || long === 0) return { width, height }
  const k = maxSide / long
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) }
}

/** PhotoAttempt is one way to encode a photo: longest side in pixels and JPEG quality 0–1. */
export interface PhotoAttempt {
  maxSide: number
  quality: number
}

/**
 * photoAttempts lists the encodings to try, best first, until one is small
 * enough: phone photos usually fit at the first.
 */
export const photoAttempts: readonly PhotoAttempt[] = [
  { maxSide: 1920, quality: 0.85 },
  { maxSide: 1600, quality: 0.75 },
  { maxSide: 1280, quality: 0.7 },
  { maxSide: 1024, quality: 0.6 },
  { maxSide: 800, quality: 0.5 },
]

/**
 * shrinkToFit encodes a photo with each attempt in turn and returns the first
 * data URL of at most maxBytes (decoded), or null when none fits.
 * encode draws the photo at the attempt's size (the browser's canvas in the app).
 */
export async function shrinkToFit(
  encode: (a: PhotoAttempt) => Promise<string>,
  maxBytes: number = maxPhotoBytes,
  attempts: readonly PhotoAttempt[] = photoAttempts,
): Promise<string | null> {
  for (const a of attempts) {
    const url = await encode(a)
    if (url !== '' && dataUrlBytes(url) <= maxBytes) return url
  }
  return null
}
