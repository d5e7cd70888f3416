package sim

import (
	"encoding/json"
	"time"

	"campuscharge/internal/ocpp"
)

// startTxLocked starts a transaction on k and queues its StartTransaction
// (sent at once when online, replayed after reconnection otherwise).
func (c *Charger) startTxLocked(k *connector, idTag string, now time.Time) *transaction {
	c.advanceLocked(now)
	c.nextLocalTx--
	tx := &transaction{
		localID:      c.nextLocalTx,
		idTag:        idTag,
		connector:    k.id,
		meterStartWh: k.meterWh(),
		start:        now,
		assigned:     make(chan struct{}),
	}
	if r := k.reservation; r != nil {
		id := r.id
		tx.reservationID = &id
		k.reservation = nil
	}
	k.plugged = true
	k.finishing = false
	k.tx = tx
	k.leaveAt = time.Time{}
	c.updatePowerLocked(k, now)
	tx.begin = c.sampleLocked(k, now, ocpp.ReadingContextTransactionBegin)
	req := ocpp.StartTransactionRequest{
		ConnectorID: k.id, IDTag: idTag, MeterStart: tx.meterStartWh,
		ReservationID: tx.reservationID, Timestamp: ocpp.NewDateTime(now),
	}
	c.enqueueLocked(&outItem{
		action:     ocpp.ActionStartTransaction,
		persistent: true,
		build:      func() (any, bool) { return req, true },
		onResult:   func(p json.RawMessage) { c.startAnswered(tx, p) },
		onDrop:     func() { c.resolveTxLocked(tx) },
	})
	c.log.Info("transaction started", "connector", k.id, "local_id", tx.localID, "id_tag", idTag)
	return tx
}

// resolveTxLocked marks the Start as settled (answered or given up).
func (c *Charger) resolveTxLocked(tx *transaction) {
	if !tx.resolved {
		tx.resolved = true
		close(tx.assigned)
	}
}

// startAnswered records the central system's transaction id; a tag it does
// not accept stops the transaction (DeAuthorized).
func (c *Charger) startAnswered(tx *transaction, payload json.RawMessage) {
	res, err := ocpp.Decode[ocpp.StartTransactionResponse](payload, ocpp.Options{})
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.violationLocked("StartTransaction.conf: %v", err)
		c.resolveTxLocked(tx)
		return
	}
	tx.serverID = res.TransactionID
	c.resolveTxLocked(tx)
	c.log.Info("transaction id assigned", "local_id", tx.localID, "transaction", tx.serverID)
	if res.IDTagInfo.Status != ocpp.AuthorizationStatusAccepted {
		if k := c.connectorLocked(tx.connector); k != nil && k.tx == tx && c.configBool("StopTransactionOnInvalidId") {
			c.stopTxLocked(k, ocpp.ReasonDeAuthorized, "", c.clk.Now())
		}
	}
	c.notifyLocked()
}

// stopTxLocked ends k's transaction and queues its StopTransaction.
func (c *Charger) stopTxLocked(k *connector, reason ocpp.Reason, idTag string, now time.Time) {
	tx := k.tx
	if tx == nil {
		return
	}
	c.advanceLocked(now)
	end := c.sampleLocked(k, now, ocpp.ReadingContextTransactionEnd)
	data := append([]ocpp.MeterValue{tx.begin}, tx.recent...)
	data = append(data, end)
	meterStop := k.meterWh()
	k.tx = nil
	k.powerW = 0
	k.finishing = k.plugged
	if k.scheduled {
		k.scheduled = false
		k.inoperative = true
	}
	c.dropTxProfilesLocked(tx)
	c.enqueueLocked(&outItem{
		action:     ocpp.ActionStopTransaction,
		persistent: true,
		build: func() (any, bool) {
			if tx.serverID == 0 {
				return nil, false // its StartTransaction was never accepted
			}
			return ocpp.StopTransactionRequest{
				IDTag: idTag, MeterStop: meterStop, Timestamp: ocpp.NewDateTime(now),
				TransactionID: tx.serverID, Reason: reason, TransactionData: data,
			}, true
		},
	})
	c.log.Info("transaction stopped", "connector", k.id, "transaction", tx.id(), "reason", reason, "meter_stop_wh", meterStop)
}

// sampleTxLocked queues a MeterValues for k's transaction.
func (c *Charger) sampleTxLocked(k *connector, now time.Time, ctx ocpp.ReadingContext) {
	tx := k.tx
	mv := c.sampleLocked(k, now, ctx)
	if ctx == ocpp.ReadingContextSamplePeriodic {
		tx.recent = append(tx.recent, mv)
		if len(tx.recent) > maxTxSamples {
			tx.recent = tx.recent[1:]
		}
	}
	c.enqueueLocked(&outItem{
		action:     ocpp.ActionMeterValues,
		persistent: true,
		build: func() (any, bool) {
			req := ocpp.MeterValuesRequest{ConnectorID: k.id, MeterValue: []ocpp.MeterValue{mv}}
			if tx.serverID != 0 {
				id := tx.serverID
				req.TransactionID = &id
			}
			return req, true
		},
	})
}

// meterTickLocked samples every running transaction.
func (c *Charger) meterTickLocked(now time.Time) {
	c.advanceLocked(now)
	for _, k := range c.conns {
		if k.tx != nil {
			c.sampleTxLocked(k, now, ocpp.ReadingContextSamplePeriodic)
		}
	}
}

// findTxLocked finds the connector running the transaction with id (server or local).
func (c *Charger) findTxLocked(id int) *connector {
	for _, k := range c.conns {
		if k.tx != nil && (k.tx.serverID == id || k.tx.localID == id) {
			return k
		}
	}
	return nil
}

// reservedForLocked says whether idTag may use k's reservation (or k has none).
func reservedFor(k *connector, idTag string, parent string) bool {
	r := k.reservation
	return r == nil || r.idTag == idTag || (r.parent != "" && r.parent == parent)
}
