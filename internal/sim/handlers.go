package sim

import (
	"context"
	"fmt"
	"time"

	"campuscharge/internal/ocpp"
)

// handleCall validates and answers one CALL from the central system, then
// runs the follow-up (the messages the answer promised).
func (c *Charger) handleCall(ctx context.Context, s *session, f ocpp.Frame) {
	c.mu.Lock()
	c.received = appendCapped(c.received, f.Action)
	c.notifyLocked()
	c.mu.Unlock()

	req, _, err := ocpp.DecodeRequest(f.Action, f.Payload, ocpp.Options{Sender: ocpp.RoleCentralSystem})
	if err != nil {
		c.violation("invalid %s.req %.200s: %v", f.Action, f.Payload, err)
		_ = s.write(ctx, ocpp.NewCallError(f.ID, ocpp.AsError(err)))
		return
	}
	res, after := c.dispatch(ctx, s, req)
	out, err := ocpp.NewCallResult(f.ID, res)
	if err == nil {
		_, err = ocpp.ValidateResponse(f.Action, out.Payload, ocpp.Options{})
	}
	if err != nil {
		c.log.Error("simulator built an invalid confirmation", "action", f.Action, "error", err)
		out = ocpp.NewCallError(f.ID, ocpp.Errorf(ocpp.InternalError, "simulator: %v", err))
		after = nil
	}
	if err := s.write(ctx, out); err != nil {
		c.log.Debug("answer not sent", "action", f.Action, "error", err)
		return
	}
	if after != nil {
		after()
	}
}

// dispatch answers a typed request; the returned func runs after the answer is sent.
func (c *Charger) dispatch(ctx context.Context, s *session, req any) (any, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clk.Now()
	c.advanceLocked(now)
	switch r := req.(type) {
	case *ocpp.RemoteStartTransactionRequest:
		return c.remoteStartLocked(ctx, s, r, now)
	case *ocpp.RemoteStopTransactionRequest:
		k := c.findTxLocked(r.TransactionID)
		if k == nil {
			return ocpp.RemoteStopTransactionResponse{Status: ocpp.RemoteStartStopStatusRejected}, nil
		}
		return ocpp.RemoteStopTransactionResponse{Status: ocpp.RemoteStartStopStatusAccepted}, c.locked(func() {
			if k.tx != nil {
				c.stopTxLocked(k, ocpp.ReasonRemote, "", c.clk.Now())
			}
		})
	case *ocpp.ResetRequest:
		return ocpp.ResetResponse{Status: ocpp.ResetStatusAccepted}, func() { go c.reset(ctx, s, r.Type) }
	case *ocpp.UnlockConnectorRequest:
		return c.unlockLocked(r, now)
	case *ocpp.ChangeAvailabilityRequest:
		return ocpp.ChangeAvailabilityResponse{Status: c.changeAvailabilityLocked(r)}, c.locked(nil)
	case *ocpp.GetConfigurationRequest:
		return c.getConfiguration(r), nil
	case *ocpp.ChangeConfigurationRequest:
		return ocpp.ChangeConfigurationResponse{Status: c.changeConfiguration(r)}, nil
	case *ocpp.TriggerMessageRequest:
		return c.triggerLocked(ctx, s, r.RequestedMessage, r.ConnectorID)
	case *ocpp.ExtendedTriggerMessageRequest:
		switch r.RequestedMessage {
		case ocpp.ExtendedMessageTriggerLogStatusNotification, ocpp.ExtendedMessageTriggerSignChargePointCertificate:
			return ocpp.ExtendedTriggerMessageResponse{Status: ocpp.TriggerMessageStatusNotImplemented}, nil
		}
		res, after := c.triggerLocked(ctx, s, ocpp.MessageTrigger(r.RequestedMessage), r.ConnectorID)
		return ocpp.ExtendedTriggerMessageResponse(res), after
	case *ocpp.ClearCacheRequest:
		return ocpp.ClearCacheResponse{Status: ocpp.ClearCacheStatusAccepted}, nil
	case *ocpp.DataTransferRequest:
		return ocpp.DataTransferResponse{Status: ocpp.DataTransferStatusUnknownVendorId}, nil
	case *ocpp.ReserveNowRequest:
		return ocpp.ReserveNowResponse{Status: c.reserveLocked(r, now)}, c.locked(nil)
	case *ocpp.CancelReservationRequest:
		for _, k := range c.conns {
			if k.reservation != nil && k.reservation.id == r.ReservationID {
				k.reservation = nil
				return ocpp.CancelReservationResponse{Status: ocpp.CancelReservationStatusAccepted}, c.locked(nil)
			}
		}
		return ocpp.CancelReservationResponse{Status: ocpp.CancelReservationStatusRejected}, nil
	case *ocpp.SetChargingProfileRequest:
		st := c.setChargingProfile(r.ConnectorID, r.CsChargingProfiles, nil, now)
		return ocpp.SetChargingProfileResponse{Status: st}, c.locked(nil)
	case *ocpp.ClearChargingProfileRequest:
		return ocpp.ClearChargingProfileResponse{Status: c.clearChargingProfile(r, now)}, c.locked(nil)
	case *ocpp.GetCompositeScheduleRequest:
		return c.compositeSchedule(r, now), nil
	case *ocpp.SendLocalListRequest:
		return ocpp.SendLocalListResponse{Status: c.sendLocalListLocked(r)}, nil
	case *ocpp.GetLocalListVersionRequest:
		v := c.localVersion
		if !c.configBool(keyLocalAuthListEnabled) {
			v = -1
		}
		return ocpp.GetLocalListVersionResponse{ListVersion: v}, nil
	case *ocpp.UpdateFirmwareRequest:
		return ocpp.UpdateFirmwareResponse{}, func() { go c.updateFirmware(ctx, r.RetrieveDate.Time) }
	case *ocpp.GetDiagnosticsRequest:
		name := fmt.Sprintf("diag-%s-%s.zip", c.spec.ID, now.Format("20060102T150405Z"))
		return ocpp.GetDiagnosticsResponse{FileName: trunc(name, 255)}, func() { go c.uploadDiagnostics(ctx) }
	case *ocpp.GetInstalledCertificateIdsRequest:
		return ocpp.GetInstalledCertificateIdsResponse{Status: ocpp.GetInstalledCertificateStatusNotFound}, nil
	case *ocpp.DeleteCertificateRequest:
		return ocpp.DeleteCertificateResponse{Status: ocpp.DeleteCertificateStatusNotFound}, nil
	case *ocpp.InstallCertificateRequest:
		return ocpp.InstallCertificateResponse{Status: ocpp.InstallCertificateStatusRejected}, nil
	case *ocpp.CertificateSignedRequest:
		return ocpp.CertificateSignedResponse{Status: ocpp.CertificateSignedStatusRejected}, nil
	case *ocpp.GetLogRequest:
		return ocpp.GetLogResponse{Status: ocpp.LogStatusRejected}, nil
	case *ocpp.SignedUpdateFirmwareRequest:
		return ocpp.SignedUpdateFirmwareResponse{Status: ocpp.UpdateFirmwareStatusRejected}, nil
	}
	// DecodeRequest with Sender: RoleCentralSystem admits nothing else.
	return nil, nil
}

// locked returns a follow-up that runs fn (if any) under c.mu and reports
// the status changes it and the answered command caused.
func (c *Charger) locked(fn func()) func() {
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if fn != nil {
			fn()
		}
		c.syncStatusLocked()
	}
}

// remoteStartLocked answers RemoteStartTransaction.
func (c *Charger) remoteStartLocked(ctx context.Context, s *session, r *ocpp.RemoteStartTransactionRequest, now time.Time) (any, func()) {
	reject := ocpp.RemoteStartTransactionResponse{Status: ocpp.RemoteStartStopStatusRejected}
	if c.registration != ocpp.RegistrationStatusAccepted {
		return reject, nil
	}
	var k *connector
	if r.ConnectorID != nil {
		k = c.connectorLocked(*r.ConnectorID)
		if k == nil || c.canStartLocked(k, k.id) != nil || !reservedFor(k, r.IDTag, "") {
			return reject, nil
		}
	} else {
		for _, cand := range c.conns {
			if c.canStartLocked(cand, cand.id) == nil && reservedFor(cand, r.IDTag, "") {
				k = cand
				break
			}
		}
		if k == nil {
			return reject, nil
		}
	}
	if p := r.ChargingProfile; p != nil && (p.ChargingProfilePurpose != ocpp.ChargingProfilePurposeTxProfile || p.TransactionID != nil) {
		return reject, nil
	}
	authorize := c.configBool(keyAuthorizeRemoteTxRequests)
	start := func() {
		if authorize {
			res, err := s.call(ctx, ocpp.ActionAuthorize, ocpp.AuthorizeRequest{IDTag: r.IDTag})
			if err != nil {
				c.log.Warn("remote start: authorize failed", "error", err)
				return
			}
			a, ok := decodeConf[ocpp.AuthorizeResponse](c, ocpp.ActionAuthorize, res)
			if !ok || a.IDTagInfo.Status != ocpp.AuthorizationStatusAccepted {
				return
			}
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.canStartLocked(k, k.id) != nil {
			return
		}
		now := c.clk.Now()
		tx := c.startTxLocked(k, r.IDTag, now)
		if p := r.ChargingProfile; p != nil {
			c.setChargingProfile(k.id, *p, tx, now)
		}
		c.syncStatusLocked()
	}
	return ocpp.RemoteStartTransactionResponse{Status: ocpp.RemoteStartStopStatusAccepted}, func() {
		if authorize {
			go start()
			return
		}
		start()
	}
}

// unlockLocked answers UnlockConnector: a running transaction stops
// (UnlockCommand) and the cable comes out.
func (c *Charger) unlockLocked(r *ocpp.UnlockConnectorRequest, now time.Time) (any, func()) {
	k := c.connectorLocked(r.ConnectorID)
	switch {
	case k == nil:
		return ocpp.UnlockConnectorResponse{Status: ocpp.UnlockStatusNotSupported}, nil
	case k.errorCode == ocpp.ChargePointErrorCodeConnectorLockFailure:
		return ocpp.UnlockConnectorResponse{Status: ocpp.UnlockStatusUnlockFailed}, nil
	}
	return ocpp.UnlockConnectorResponse{Status: ocpp.UnlockStatusUnlocked}, c.locked(func() {
		if k.tx != nil {
			c.stopTxLocked(k, ocpp.ReasonUnlockCommand, "", now)
		}
		k.plugged, k.finishing = false, false
	})
}

// changeAvailabilityLocked applies ChangeAvailability; connector 0 is all.
func (c *Charger) changeAvailabilityLocked(r *ocpp.ChangeAvailabilityRequest) ocpp.AvailabilityStatus {
	if r.ConnectorID < 0 || r.ConnectorID > len(c.conns) {
		return ocpp.AvailabilityStatusRejected
	}
	ks := c.conns
	if r.ConnectorID > 0 {
		ks = []*connector{c.conns[r.ConnectorID-1]}
	}
	inop := r.Type == ocpp.AvailabilityTypeInoperative
	status := ocpp.AvailabilityStatusAccepted
	for _, k := range ks {
		switch {
		case !inop:
			k.inoperative, k.scheduled = false, false
		case k.tx != nil:
			k.scheduled = true
			status = ocpp.AvailabilityStatusScheduled
		default:
			k.inoperative = true
		}
	}
	if r.ConnectorID == 0 {
		c.cpInoperative = inop && status == ocpp.AvailabilityStatusAccepted
	}
	return status
}

// reserveLocked answers ReserveNow.
func (c *Charger) reserveLocked(r *ocpp.ReserveNowRequest, now time.Time) ocpp.ReservationStatus {
	if r.ConnectorID == 0 {
		return ocpp.ReservationStatusRejected // ReserveConnectorZeroSupported is false
	}
	k := c.connectorLocked(r.ConnectorID)
	if k == nil || !r.ExpiryDate.After(now) {
		return ocpp.ReservationStatusRejected
	}
	// Same reservation id anywhere: replace it.
	for _, o := range c.conns {
		if o.reservation != nil && o.reservation.id == r.ReservationID {
			o.reservation = nil
		}
	}
	st, _ := c.statusOf(k)
	switch st {
	case ocpp.ChargePointStatusFaulted:
		return ocpp.ReservationStatusFaulted
	case ocpp.ChargePointStatusUnavailable:
		return ocpp.ReservationStatusUnavailable
	case ocpp.ChargePointStatusAvailable:
		k.reservation = &reservation{id: r.ReservationID, idTag: r.IDTag, parent: r.ParentIDTag, expiry: r.ExpiryDate.Time}
		return ocpp.ReservationStatusAccepted
	}
	return ocpp.ReservationStatusOccupied
}

// sendLocalListLocked applies SendLocalList.
func (c *Charger) sendLocalListLocked(r *ocpp.SendLocalListRequest) ocpp.UpdateStatus {
	if !c.configBool(keyLocalAuthListEnabled) {
		return ocpp.UpdateStatusNotSupported
	}
	if len(r.LocalAuthorizationList) > c.configInt(keySendLocalListMaxLength, 100) {
		return ocpp.UpdateStatusFailed
	}
	if r.UpdateType == ocpp.UpdateTypeFull {
		c.localList = map[string]ocpp.IdTagInfo{}
	} else if r.ListVersion <= c.localVersion {
		return ocpp.UpdateStatusVersionMismatch
	}
	for _, e := range r.LocalAuthorizationList {
		if e.IDTagInfo == nil {
			delete(c.localList, e.IDTag)
			continue
		}
		c.localList[e.IDTag] = *e.IDTagInfo
	}
	c.localVersion = r.ListVersion
	c.notifyLocked()
	return ocpp.UpdateStatusAccepted
}

// triggerLocked answers TriggerMessage; the message follows the answer.
func (c *Charger) triggerLocked(ctx context.Context, s *session, m ocpp.MessageTrigger, connID *int) (ocpp.TriggerMessageResponse, func()) {
	rejected := ocpp.TriggerMessageResponse{Status: ocpp.TriggerMessageStatusRejected}
	if connID != nil && (*connID < 0 || *connID > len(c.conns)) {
		return rejected, nil
	}
	accepted := ocpp.TriggerMessageResponse{Status: ocpp.TriggerMessageStatusAccepted}
	switch m {
	case ocpp.MessageTriggerBootNotification:
		return accepted, func() { go c.reset(ctx, s, "") }
	case ocpp.MessageTriggerHeartbeat:
		return accepted, func() { go c.heartbeat(ctx, s) }
	case ocpp.MessageTriggerFirmwareStatusNotification:
		st := c.fwStatus
		if st != ocpp.FirmwareStatusDownloading && st != ocpp.FirmwareStatusDownloaded && st != ocpp.FirmwareStatusInstalling {
			st = ocpp.FirmwareStatusIdle
		}
		return accepted, c.locked(func() {
			c.queueVolatileLocked(ocpp.ActionFirmwareStatusNotification, ocpp.FirmwareStatusNotificationRequest{Status: st})
		})
	case ocpp.MessageTriggerDiagnosticsStatusNotification:
		st := c.diagStatus
		if st != ocpp.DiagnosticsStatusUploading {
			st = ocpp.DiagnosticsStatusIdle
		}
		return accepted, c.locked(func() {
			c.queueVolatileLocked(ocpp.ActionDiagnosticsStatusNotification, ocpp.DiagnosticsStatusNotificationRequest{Status: st})
		})
	case ocpp.MessageTriggerStatusNotification:
		return accepted, c.locked(func() {
			if connID == nil || *connID == 0 {
				c.queueStatusLocked(0, c.cpStatus(), ocpp.ChargePointErrorCodeNoError)
			}
			for _, k := range c.conns {
				if connID == nil || *connID == k.id {
					st, code := c.statusOf(k)
					k.reported, k.reportedErr = st, code
					c.queueStatusLocked(k.id, st, code)
				}
			}
		})
	case ocpp.MessageTriggerMeterValues:
		return accepted, c.locked(func() {
			now := c.clk.Now()
			c.advanceLocked(now)
			for _, k := range c.conns {
				if connID != nil && *connID != 0 && *connID != k.id {
					continue
				}
				if k.tx != nil {
					c.sampleTxLocked(k, now, ocpp.ReadingContextTrigger)
					continue
				}
				c.queueVolatileLocked(ocpp.ActionMeterValues, ocpp.MeterValuesRequest{
					ConnectorID: k.id, MeterValue: []ocpp.MeterValue{c.sampleLocked(k, now, ocpp.ReadingContextTrigger)},
				})
			}
		})
	}
	return ocpp.TriggerMessageResponse{Status: ocpp.TriggerMessageStatusNotImplemented}, nil
}

// reset stops transactions (for a Reset), lets the StopTransactions go out
// and reconnects to boot again. An empty kind re-boots without a reset
// (a triggered BootNotification).
func (c *Charger) reset(ctx context.Context, s *session, kind ocpp.ResetType) {
	var last chan error
	c.mu.Lock()
	if kind != "" {
		reason := ocpp.ReasonSoftReset
		if kind == ocpp.ResetTypeHard {
			reason = ocpp.ReasonHardReset
		}
		for _, k := range c.conns {
			if k.tx != nil {
				c.stopTxLocked(k, reason, "", c.clk.Now())
			}
		}
		last = c.syncStatusLocked()
	}
	c.mu.Unlock()
	wctx, cancel := context.WithTimeout(ctx, c.b.CallTimeout)
	_ = waitItem(wctx, last)
	cancel()
	c.log.Info("rebooting", "reset", kind)
	c.mu.Lock()
	s.reboot = true
	c.mu.Unlock()
	s.ws.CloseNow()
}

// updateFirmware walks the firmware states after the retrieve date.
func (c *Charger) updateFirmware(ctx context.Context, retrieve time.Time) {
	if wait := retrieve.Sub(c.clk.Now()); wait > 0 {
		t := time.NewTimer(min(wait, time.Hour))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
	}
	for _, st := range []ocpp.FirmwareStatus{ocpp.FirmwareStatusDownloading, ocpp.FirmwareStatusDownloaded,
		ocpp.FirmwareStatusInstalling, ocpp.FirmwareStatusInstalled} {
		c.mu.Lock()
		c.fwStatus = st
		if st == ocpp.FirmwareStatusInstalled {
			c.firmware = trunc(c.spec.Firmware+"-upd", 50)
		}
		done := c.queueVolatileLocked(ocpp.ActionFirmwareStatusNotification, ocpp.FirmwareStatusNotificationRequest{Status: st})
		c.notifyLocked()
		c.mu.Unlock()
		if err := waitItem(ctx, done); err != nil {
			return
		}
	}
}

// uploadDiagnostics reports Uploading then Uploaded.
func (c *Charger) uploadDiagnostics(ctx context.Context) {
	for _, st := range []ocpp.DiagnosticsStatus{ocpp.DiagnosticsStatusUploading, ocpp.DiagnosticsStatusUploaded} {
		c.mu.Lock()
		c.diagStatus = st
		done := c.queueVolatileLocked(ocpp.ActionDiagnosticsStatusNotification, ocpp.DiagnosticsStatusNotificationRequest{Status: st})
		c.notifyLocked()
		c.mu.Unlock()
		if err := waitItem(ctx, done); err != nil {
			return
		}
	}
}
