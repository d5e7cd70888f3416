// Package billing turns finished charging sessions into itemised bills,
// takes payment for them through a payment provider, refunds and adjusts
// them, keeps the tariffs they are priced with, and reports on them. Prices
// come only from the tariff package. It must not know about OCPP or HTTP
// routes.
package billing
