// Colours of charger and bill states in the console (Element Plus tag types).
import type { Bucket } from './live'

/** TagType is an Element Plus tag colour. */
export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

/** bucketTag colours a dashboard bucket. */
export function bucketTag(b: Bucket): TagType {
  switch (b) {
    case 'charging':
      return 'primary'
    case 'free':
      return 'success'
    case 'busy':
      return 'warning'
    case 'faulted':
      return 'danger'
    default:
      return 'info'
  }
}

/** bucketColor is the bucket's colour on maps and the charger grid. */
export function bucketColor(b: Bucket): string {
  return { charging: '#409eff', free: '#67c23a', busy: '#e6a23c', faulted: '#f56c6c', offline: '#909399', maintenance: '#b1b3b8' }[b]
}

/** statusTag colours an OCPP connector status (or Offline). */
export function statusTag(status: string): TagType {
  switch (status) {
    case 'Available':
      return 'success'
    case 'Charging':
    case 'SuspendedEV':
    case 'SuspendedEVSE':
      return 'primary'
    case 'Preparing':
    case 'Finishing':
    case 'Reserved':
      return 'warning'
    case 'Faulted':
      return 'danger'
    default:
      return 'info'
  }
}

/** billTag colours a bill status. */
export function billTag(status: string): TagType {
  switch (status) {
    case 'paid':
    case 'free':
      return 'success'
    case 'unpaid':
      return 'danger'
    case 'paying':
      return 'warning'
    default:
      return 'info'
  }
}

/** billKindTag colours a bill's kind: a session's bill or a reservation's fee-only bill. */
export function billKindTag(kind: string): TagType {
  return kind === 'reservation' ? 'warning' : 'primary'
}

/** refundTag colours a refund state; a failed refund needs a look. */
export function refundTag(state: string): TagType {
  switch (state) {
    case 'refunded':
      return 'success'
    case 'refund_failed':
      return 'danger'
    case 'refunding':
      return 'warning'
    default:
      return 'info'
  }
}

/** knownStatus tells whether an OCPP status has a message of its own; others show as they are. */
export function knownStatus(status: string): boolean {
  return [
    'Available',
    'Preparing',
    'Charging',
    'SuspendedEV',
    'SuspendedEVSE',
    'Finishing',
    'Reserved',
    'Unavailable',
    'Faulted',
    'Offline',
    'Unknown',
  ].includes(status)
}
