package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"campuscharge/internal/ocpp"
)

// ErrRefused says a scripted action is not possible in the charger's state
// (unknown connector, occupied, faulted, tag refused…).
var ErrRefused = errors.New("refused")

func (c *Charger) refusedf(format string, args ...any) error {
	return fmt.Errorf("charger %s: %s: %w", c.spec.ID, fmt.Sprintf(format, args...), ErrRefused)
}

// Plug puts a cable in connector: status Preparing. It returns once the
// status is reported (at once when offline).
func (c *Charger) Plug(ctx context.Context, connector int) error {
	c.mu.Lock()
	k := c.connectorLocked(connector)
	if k == nil {
		c.mu.Unlock()
		return c.refusedf("no connector %d", connector)
	}
	if k.plugged {
		c.mu.Unlock()
		return c.refusedf("connector %d already plugged", connector)
	}
	k.plugged, k.finishing = true, false
	done := c.syncStatusLocked()
	c.mu.Unlock()
	return waitItem(ctx, done)
}

// Unplug takes the cable out of connector: a running transaction stops with
// reason EVDisconnected and the connector becomes Available.
func (c *Charger) Unplug(ctx context.Context, connector int) error {
	c.mu.Lock()
	k := c.connectorLocked(connector)
	if k == nil {
		c.mu.Unlock()
		return c.refusedf("no connector %d", connector)
	}
	c.unplugLocked(k)
	done := c.syncStatusLocked()
	c.mu.Unlock()
	return waitItem(ctx, done)
}

func (c *Charger) unplugLocked(k *connector) {
	if k.tx != nil {
		c.stopTxLocked(k, ocpp.ReasonEVDisconnected, "", c.clk.Now())
	}
	k.plugged, k.finishing = false, false
	k.leaveAt = time.Time{}
}

// StartLocal swipes idTag at connector: Authorize (when online; the local
// list decides offline), then StartTransaction. It returns the central
// system's transaction id, or a negative local id when the charger is
// offline (the StartTransaction is replayed after reconnection).
func (c *Charger) StartLocal(ctx context.Context, connector int, idTag string) (transactionID int, err error) {
	c.mu.Lock()
	k := c.connectorLocked(connector)
	if err := c.canStartLocked(k, connector); err != nil {
		c.mu.Unlock()
		return 0, err
	}
	sess, online := c.sess, c.online
	info, listed := c.localList[idTag]
	c.mu.Unlock()

	parent := ""
	switch {
	case online:
		res, err := sess.call(ctx, ocpp.ActionAuthorize, ocpp.AuthorizeRequest{IDTag: idTag})
		if err != nil {
			return 0, fmt.Errorf("charger %s: authorize %s: %w", c.spec.ID, idTag, err)
		}
		a, err := ocpp.Decode[ocpp.AuthorizeResponse](res, ocpp.Options{})
		if err != nil {
			return 0, fmt.Errorf("charger %s: decode Authorize.conf: %w", c.spec.ID, err)
		}
		if a.IDTagInfo.Status != ocpp.AuthorizationStatusAccepted {
			return 0, c.refusedf("id tag %s is %s", idTag, a.IDTagInfo.Status)
		}
		parent = a.IDTagInfo.ParentIDTag
	case listed:
		if info.Status != ocpp.AuthorizationStatusAccepted {
			return 0, c.refusedf("id tag %s is %s in the local list", idTag, info.Status)
		}
		parent = info.ParentIDTag
	}

	c.mu.Lock()
	if err := c.canStartLocked(k, connector); err != nil {
		c.mu.Unlock()
		return 0, err
	}
	if !reservedFor(k, idTag, parent) {
		c.mu.Unlock()
		return 0, c.refusedf("connector %d is reserved for another tag", connector)
	}
	tx := c.startTxLocked(k, idTag, c.clk.Now())
	c.syncStatusLocked()
	c.mu.Unlock()
	return c.waitTxID(ctx, tx)
}

// canStartLocked says why a transaction cannot start on k, if it cannot.
func (c *Charger) canStartLocked(k *connector, id int) error {
	switch {
	case k == nil:
		return c.refusedf("no connector %d", id)
	case k.tx != nil:
		return c.refusedf("connector %d already has a transaction", id)
	case k.errorCode != "":
		return c.refusedf("connector %d is faulted", id)
	case k.inoperative || c.cpInoperative:
		return c.refusedf("connector %d is unavailable", id)
	}
	return nil
}

// waitTxID waits for the central system's id of tx while online.
func (c *Charger) waitTxID(ctx context.Context, tx *transaction) (int, error) {
	for {
		c.mu.Lock()
		id, resolved, online, ch := tx.id(), tx.resolved, c.online, c.changed
		c.mu.Unlock()
		switch {
		case resolved && tx.serverID == 0:
			return id, fmt.Errorf("charger %s: StartTransaction not accepted", c.spec.ID)
		case resolved, !online:
			return id, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return id, fmt.Errorf("charger %s: wait for transaction id: %w", c.spec.ID, ctx.Err())
		}
	}
}

// StopLocal stops the transaction on connector as the driver would at the
// charger; reason is an OCPP Reason ("" means Local).
func (c *Charger) StopLocal(ctx context.Context, connector int, reason string) error {
	if reason == "" {
		reason = string(ocpp.ReasonLocal)
	}
	if !slices.Contains(reasons(), ocpp.Reason(reason)) {
		return c.refusedf("stop reason %q", reason)
	}
	c.mu.Lock()
	k := c.connectorLocked(connector)
	if k == nil || k.tx == nil {
		c.mu.Unlock()
		return c.refusedf("no transaction on connector %d", connector)
	}
	c.stopTxLocked(k, ocpp.Reason(reason), k.tx.idTag, c.clk.Now())
	done := c.syncStatusLocked()
	c.mu.Unlock()
	return waitItem(ctx, done)
}

// Fault reports connector Faulted with an OCPP ChargePointErrorCode (""
// means OtherError); a running transaction stops with reason Other. It stays
// faulted until Recover.
func (c *Charger) Fault(ctx context.Context, connector int, code string) error {
	if code == "" {
		code = string(ocpp.ChargePointErrorCodeOtherError)
	}
	if !slices.Contains(faultCodes(), ocpp.ChargePointErrorCode(code)) {
		return c.refusedf("error code %q", code)
	}
	c.mu.Lock()
	k := c.connectorLocked(connector)
	if k == nil {
		c.mu.Unlock()
		return c.refusedf("no connector %d", connector)
	}
	c.faultLocked(k, ocpp.ChargePointErrorCode(code))
	done := c.syncStatusLocked()
	c.mu.Unlock()
	return waitItem(ctx, done)
}

func (c *Charger) faultLocked(k *connector, code ocpp.ChargePointErrorCode) {
	if k.tx != nil {
		c.stopTxLocked(k, ocpp.ReasonOther, "", c.clk.Now())
	}
	k.errorCode = code
	k.recoverAt = time.Time{}
}

// Recover clears a fault on connector.
func (c *Charger) Recover(ctx context.Context, connector int) error {
	c.mu.Lock()
	k := c.connectorLocked(connector)
	if k == nil {
		c.mu.Unlock()
		return c.refusedf("no connector %d", connector)
	}
	k.errorCode = ""
	done := c.syncStatusLocked()
	c.mu.Unlock()
	return waitItem(ctx, done)
}

// DropConnection closes the socket abruptly. The charger reconnects by
// itself after Behaviour.ReconnectDelay, boots and replays its offline queue.
func (c *Charger) DropConnection() {
	c.mu.Lock()
	s := c.sess
	c.mu.Unlock()
	if s != nil {
		s.ws.CloseNow()
	}
}

// SetSoC sets the car's state of charge on connector, in percent (0–100).
// At 100 % a charging connector turns SuspendedEV and draws no power.
func (c *Charger) SetSoC(connector int, percent int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := c.connectorLocked(connector)
	if k == nil {
		return
	}
	now := c.clk.Now()
	c.advanceLocked(now)
	k.soc = float64(min(max(percent, 0), 100))
	c.updatePowerLocked(k, now)
	c.syncStatusLocked()
}

// decodeConf decodes a validated payload, recording a violation on error.
func decodeConf[T any](c *Charger, action string, payload json.RawMessage) (T, bool) {
	v, err := ocpp.Decode[T](payload, ocpp.Options{})
	if err != nil {
		c.violation("%s.conf: %v", action, err)
		return v, false
	}
	return v, true
}

// reasons lists the OCPP stop reasons.
func reasons() []ocpp.Reason {
	return []ocpp.Reason{
		ocpp.ReasonEmergencyStop, ocpp.ReasonEVDisconnected, ocpp.ReasonHardReset, ocpp.ReasonLocal,
		ocpp.ReasonOther, ocpp.ReasonPowerLoss, ocpp.ReasonReboot, ocpp.ReasonRemote,
		ocpp.ReasonSoftReset, ocpp.ReasonUnlockCommand, ocpp.ReasonDeAuthorized,
	}
}

// faultCodes lists the error codes a Faulted connector may report.
func faultCodes() []ocpp.ChargePointErrorCode {
	return []ocpp.ChargePointErrorCode{
		ocpp.ChargePointErrorCodeConnectorLockFailure, ocpp.ChargePointErrorCodeEVCommunicationError,
		ocpp.ChargePointErrorCodeGroundFailure, ocpp.ChargePointErrorCodeHighTemperature,
		ocpp.ChargePointErrorCodeInternalError, ocpp.ChargePointErrorCodeLocalListConflict,
		ocpp.ChargePointErrorCodeOtherError, ocpp.ChargePointErrorCodeOverCurrentFailure,
		ocpp.ChargePointErrorCodePowerMeterFailure, ocpp.ChargePointErrorCodePowerSwitchFailure,
		ocpp.ChargePointErrorCodeReaderFailure, ocpp.ChargePointErrorCodeResetFailure,
		ocpp.ChargePointErrorCodeUnderVoltage, ocpp.ChargePointErrorCodeOverVoltage,
		ocpp.ChargePointErrorCodeWeakSignal,
	}
}
