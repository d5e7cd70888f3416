// Test fixtures: chargers and sessions with sensible defaults. Used by unit tests only.
import type { Bill, Charger, Connector, Price, Session } from '@/api'

/** connector returns a connector with the given status and overrides. */
export function connector(status: string, over: Partial<Connector> = {}): Connector {
  return {
    connector_id: 1,
    error_code: 'NoError',
    info: '',
    max_power_w: 60_000,
    status,
    status_at: '2026-03-01T00:00:00Z',
    type: 'GBT_DC',
    vendor_error: '',
    ...over,
  }
}

/** charger returns an online, active fast charger with one free connector, overridden by over. */
export function charger(over: Partial<Charger> = {}): Charger {
  return {
    charge_point_id: 'CP-' + (over.id ?? 'c1'),
    connectors: [connector('Available')],
    diagnostics_status: '',
    firmware: '',
    firmware_status: '',
    id: 'c1',
    kind: 'fast',
    last_seen_at: '2026-03-01T00:00:00Z',
    lat: 30.26,
    lng: 120.12,
    lenient: false,
    location: '',
    max_power_w: 60_000,
    model: '',
    name: 'Charger ' + (over.id ?? 'c1'),
    online: true,
    serial: '',
    site_id: 's1',
    state: 'active',
    status: 'Available',
    tariff_id: '',
    vendor: '',
    ...over,
  }
}

/** session returns a stopped session on charger c1, overridden by over. */
export function session(over: Partial<Session> = {}): Session {
  return {
    auth_status: 'Accepted',
    charger_id: 'c1',
    connector_id: 1,
    duration_s: 3600,
    energy_wh: 20_000,
    flag: '',
    id: 's1',
    last_meter_at: '2026-03-01T01:00:00Z',
    limit_fen: 0,
    limit_wh: 0,
    meter_start_wh: 0,
    meter_stop_wh: 20_000,
    power_w: 0,
    site_id: 's1',
    soc: -1,
    started_at: '2026-03-01T00:00:00Z',
    status: 'stopped',
    stop_reason: 'Local',
    stopped_at: '2026-03-01T01:00:00Z',
    transaction_id: 1,
    user_id: 'u1',
    ...over,
  }
}

/** price returns a flat-period price (1/10000 yuan per kWh). */
export function price(energy: number, service: number): Price {
  return { period: 'flat', energy_price: energy, service_price: service, ends_at: '2026-03-01T16:00:00Z' }
}

/** feeBill returns an unpaid reservation fee bill (¥2 reservation fee) on charger c1, overridden by over. */
export function feeBill(over: Partial<Bill> = {}): Bill {
  return {
    adjustment_fen: 0,
    charger_id: 'c1',
    connector_id: 1,
    created_at: '2026-03-01T00:30:00Z',
    duration_s: 0,
    energy_fee_fen: 0,
    energy_wh: 0,
    fees: [{ kind: 'reservation', amount_fen: 200 }],
    id: 'b1',
    idle_fee_fen: 0,
    idle_minutes: 0,
    kind: 'reservation',
    lines: [],
    number: 'CC20260301-000001',
    paid_at: '0001-01-01T00:00:00Z',
    paid_fen: 0,
    refunded_fen: 0,
    reservation_fee_fen: 200,
    reservation_id: 'r1',
    service_fee_fen: 0,
    session_id: '',
    site_id: 's1',
    started_at: '2026-03-01T00:00:00Z',
    status: 'unpaid',
    stopped_at: '2026-03-01T00:30:00Z',
    tariff_id: 't1',
    tariff_version_id: 'v1',
    total_fen: 200,
    user_id: 'u1',
    ...over,
  }
}
