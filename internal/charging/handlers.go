package charging

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"campuscharge/internal/apperr"
	"campuscharge/internal/events"
	"campuscharge/internal/ids"
	"campuscharge/internal/ocpp"
)

// lenient decodes payloads the gateway already validated (strictly or not).
var lenient = ocpp.Options{Lenient: true}

// HandleCall answers a CALL from a charger.
func (s *Service) HandleCall(ctx context.Context, cpID, action string, payload json.RawMessage) (any, error) {
	c, err := s.store.ChargerByCPID(ctx, cpID)
	if err != nil {
		return nil, fmt.Errorf("charger %s: %w", cpID, err)
	}
	now := s.clock.Now()
	if !c.Online || now.Sub(c.LastSeenAt) > time.Second {
		if err := s.store.TouchCharger(ctx, c.ID, now, true); err != nil {
			return nil, err
		}
		if !c.Online {
			s.publish(events.Event{Type: events.ChargerOnline, ChargerID: c.ID, SiteID: c.SiteID})
		}
	}
	if action == "BootNotification" {
		return s.boot(ctx, c, payload)
	}
	if c.State != StateActive && !(c.State == StateDisabled && disabledMayCall(action)) {
		return nil, ocpp.Errorf(ocpp.SecurityError, "charge point %s is not accepted", cpID)
	}
	switch action {
	case "Heartbeat":
		return ocpp.HeartbeatResponse{CurrentTime: ocpp.NewDateTime(now)}, nil
	case "StatusNotification":
		return s.status(ctx, c, payload)
	case "Authorize":
		req, err := ocpp.Decode[ocpp.AuthorizeRequest](payload, lenient)
		if err != nil {
			return nil, err
		}
		info, _, err := s.authorize(ctx, req.IDTag)
		return ocpp.AuthorizeResponse{IDTagInfo: info}, err
	case "StartTransaction":
		return s.startTransaction(ctx, c, payload)
	case "MeterValues":
		return s.meterValues(ctx, c, payload)
	case "StopTransaction":
		return s.stopTransaction(ctx, c, payload)
	case "DataTransfer":
		return ocpp.DataTransferResponse{Status: ocpp.DataTransferStatus("UnknownVendorId")}, nil
	case "DiagnosticsStatusNotification":
		req, err := ocpp.Decode[ocpp.DiagnosticsStatusNotificationRequest](payload, lenient)
		if err != nil {
			return nil, err
		}
		c.DiagnosticsStatus, c.UpdatedAt = string(req.Status), now
		return ocpp.DiagnosticsStatusNotificationResponse{}, s.store.UpdateCharger(ctx, c)
	case "FirmwareStatusNotification", "SignedFirmwareStatusNotification":
		var req struct {
			Status string `json:"status"`
		}
		if err := json.Unmarshal(payload, &req); err != nil {
			return nil, ocpp.Errorf(ocpp.FormationViolation, "%v", err)
		}
		c.FirmwareStatus, c.UpdatedAt = truncate(req.Status, 32), now
		return struct{}{}, s.store.UpdateCharger(ctx, c)
	case "SecurityEventNotification", "LogStatusNotification":
		s.log.Info("charger report", "charger", cpID, "action", action, "payload", string(payload))
		return struct{}{}, nil
	case "SignCertificate":
		// No certificate authority here: refuse, the charger keeps its certificate.
		return map[string]string{"status": "Rejected"}, nil
	}
	return nil, ocpp.Errorf(ocpp.NotSupported, "action %s is not supported", action)
}

// disabledMayCall reports whether a disabled (once accepted) charger's CALL
// is still handled: the server cannot refuse a stop, and the transaction
// messages and status changes around it (also those queued while offline)
// must be answered and recorded. A start is answered Blocked (see
// startTransaction); anything else gets SecurityError like a charger that
// was never accepted.
func disabledMayCall(action string) bool {
	switch action {
	case "StartTransaction", "StopTransaction", "MeterValues", "StatusNotification":
		return true
	}
	return false
}

// truncate shortens s to at most n characters; cutting bytes could split
// a character and leave invalid UTF-8, which MySQL and PostgreSQL refuse.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

func (s *Service) heartbeatS(ctx context.Context, c Charger) int {
	if c.SiteID != "" {
		if site, err := s.store.Site(ctx, c.SiteID); err == nil && site.HeartbeatS > 0 {
			return site.HeartbeatS
		}
	}
	return s.opt.HeartbeatS
}

func (s *Service) boot(ctx context.Context, c Charger, payload json.RawMessage) (any, error) {
	req, err := ocpp.Decode[ocpp.BootNotificationRequest](payload, lenient)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	c.Vendor, c.Model, c.Firmware = req.ChargePointVendor, req.ChargePointModel, req.FirmwareVersion
	c.Serial = req.ChargePointSerialNumber
	if c.Serial == "" {
		c.Serial = req.ChargeBoxSerialNumber
	}
	c.BootedAt, c.UpdatedAt, c.Online, c.LastSeenAt = now, now, true, now
	if err := s.store.UpdateCharger(ctx, c); err != nil {
		return nil, err
	}
	resp := ocpp.BootNotificationResponse{CurrentTime: ocpp.NewDateTime(now)}
	switch c.State {
	case StateActive:
		resp.Status, resp.Interval = ocpp.RegistrationStatus("Accepted"), s.heartbeatS(ctx, c)
	case StatePending:
		resp.Status, resp.Interval = ocpp.RegistrationStatus("Pending"), 60
	default:
		resp.Status, resp.Interval = ocpp.RegistrationStatus("Rejected"), 3600
	}
	s.log.Info("boot", "charger", c.CPID, "status", resp.Status, "vendor", c.Vendor, "model", c.Model, "firmware", c.Firmware)
	s.publish(events.Event{Type: events.ChargerBoot, ChargerID: c.ID, SiteID: c.SiteID, Data: map[string]any{"status": resp.Status}})
	return resp, nil
}

func (s *Service) status(ctx context.Context, c Charger, payload json.RawMessage) (any, error) {
	req, err := ocpp.Decode[ocpp.StatusNotificationRequest](payload, lenient)
	if err != nil {
		return nil, err
	}
	at := s.clock.Now()
	if req.Timestamp != nil && !req.Timestamp.IsZero() {
		at = req.Timestamp.UTC()
	}
	var old Connector
	for _, k := range c.Connectors {
		if k.ConnectorID == req.ConnectorID {
			old = k
		}
	}
	if !old.StatusAt.IsZero() && at.Before(old.StatusAt) {
		// A late status from the offline queue: older than what we know.
		return ocpp.StatusNotificationResponse{}, nil
	}
	k := Connector{ChargerID: c.ID, ConnectorID: req.ConnectorID, Type: old.Type, MaxPowerW: old.MaxPowerW, Status: string(req.Status), ErrorCode: string(req.ErrorCode),
		VendorError: truncate(req.VendorErrorCode, 64), Info: truncate(req.Info, 64), StatusAt: at}
	if err := s.store.UpsertConnector(ctx, k); err != nil {
		return nil, err
	}
	s.publish(events.Event{Type: events.ChargerStatus, ChargerID: c.ID, SiteID: c.SiteID, At: at, Data: map[string]any{
		"connector_id": k.ConnectorID, "status": k.Status, "previous_status": old.Status, "error_code": k.ErrorCode, "vendor_error": k.VendorError, "info": k.Info}})
	return ocpp.StatusNotificationResponse{}, nil
}

// authorize returns the idTagInfo for a tag and the driver it belongs to.
func (s *Service) authorize(ctx context.Context, tag string) (ocpp.IdTagInfo, string, error) {
	status := func(v string) ocpp.IdTagInfo { return ocpp.IdTagInfo{Status: ocpp.AuthorizationStatus(v)} }
	t, err := s.store.IDTag(ctx, tag)
	if apperr.Is(err, apperr.NotFound) {
		return status("Invalid"), "", nil
	}
	if err != nil {
		return ocpp.IdTagInfo{}, "", err
	}
	if !t.RevokedAt.IsZero() {
		return status("Expired"), t.UserID, nil
	}
	u, err := s.users.User(ctx, t.UserID)
	if apperr.Is(err, apperr.NotFound) {
		return status("Invalid"), "", nil
	}
	if err != nil {
		return ocpp.IdTagInfo{}, "", err
	}
	if u.Blocked {
		return status("Blocked"), u.ID, nil
	}
	if s.money != nil {
		// A driver with an old unpaid bill may not start at the charger
		// either (as in the app). A failing check blocks no one.
		if err := s.money.CanStart(ctx, u.ID); apperr.Is(err, apperr.Forbidden) {
			return status("Blocked"), u.ID, nil
		} else if err != nil {
			s.log.Error("check unpaid bills", "user", u.ID, "err", err)
		}
	}
	return status("Accepted"), u.ID, nil
}

func (s *Service) startTransaction(ctx context.Context, c Charger, payload json.RawMessage) (any, error) {
	req, err := ocpp.Decode[ocpp.StartTransactionRequest](payload, lenient)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s/%d/%s/%d/%d", c.ID, req.ConnectorID, req.IDTag, req.MeterStart, req.Timestamp.UnixMilli()))
	key := hex.EncodeToString(sum[:])
	answer := func(x Session) ocpp.StartTransactionResponse {
		return ocpp.StartTransactionResponse{TransactionID: int(x.TransactionID), IDTagInfo: ocpp.IdTagInfo{Status: ocpp.AuthorizationStatus(x.AuthStatus)}}
	}
	if x, err := s.store.SessionByStartKey(ctx, key); err == nil {
		return answer(x), nil // a replay from the charger's offline queue
	}
	info, userID, err := s.authorize(ctx, req.IDTag)
	if err != nil {
		return nil, err
	}
	if info.Status == "Accepted" && userID != "" {
		if others, err := s.store.Sessions(ctx, SessionFilter{UserID: userID, Status: SessionActive, Limit: 1}); err == nil && len(others) > 0 && others[0].ChargerID != c.ID {
			info.Status = "ConcurrentTx"
		}
	}
	reservedForOther := info.Status == "Accepted" && s.heldByOther(ctx, c.ID, req.ConnectorID, userID)
	if reservedForOther {
		info.Status = "Blocked" // see SetReservations
	}
	// A disabled charger's start is recorded (its stop and energy will
	// follow) but answered Blocked, so the charger ends it at once: the
	// driver is not at fault, so the tag is not called Invalid.
	disabled := c.State == StateDisabled && info.Status == "Accepted"
	if disabled {
		info.Status = "Blocked"
	}
	now := s.clock.Now()
	started := req.Timestamp.UTC()
	if prev, err := s.store.ActiveSession(ctx, c.ID, req.ConnectorID); err == nil && prev.StartedAt.Before(started) {
		s.closeSuperseded(ctx, prev)
	}
	x := Session{ID: ids.New(), ChargerID: c.ID, SiteID: c.SiteID, ConnectorID: req.ConnectorID, UserID: userID, IDTag: req.IDTag, Status: SessionActive,
		StartedAt: started, MeterStart: int64(req.MeterStart), SoC: -1, AuthStatus: string(info.Status), StartKey: key, CreatedAt: now, UpdatedAt: now}
	if req.ReservationID != nil {
		x.ReservationID = int64(*req.ReservationID)
	}
	if reservedForOther {
		x.Flag = "started on a connector reserved for another driver: answered Blocked"
	} else if disabled {
		x.Flag = "started on a disabled charger: answered Blocked"
	} else if info.Status != "Accepted" {
		x.Flag = "started with a tag we answered " + string(info.Status)
	}
	for attempt := 0; ; attempt++ {
		if x.TransactionID, err = s.store.NextTransactionID(ctx); err != nil {
			return nil, err
		}
		err = s.store.CreateSession(ctx, x)
		if err == nil {
			break
		}
		if !apperr.Is(err, apperr.Conflict) || attempt == 3 {
			return nil, err
		}
		if y, err := s.store.SessionByStartKey(ctx, key); err == nil {
			return answer(y), nil // a concurrent replay won the race
		}
		// The number was taken by a session created from an unknown StopTransaction: draw again.
	}
	s.log.Info("transaction started", "charger", c.CPID, "connector", x.ConnectorID, "transaction", x.TransactionID, "session", x.ID, "auth", x.AuthStatus)
	s.publish(events.Event{Type: events.SessionStarted, ChargerID: c.ID, SiteID: c.SiteID, SessionID: x.ID, UserID: x.UserID, Data: x})
	return answer(x), nil
}

// closeSuperseded closes a session left open on a connector that has just
// started a new one.
func (s *Service) closeSuperseded(ctx context.Context, x Session) {
	x.StoppedAt = x.LastMeterAt
	if x.StoppedAt.IsZero() {
		x.StoppedAt = x.StartedAt
	}
	x.MeterStop, x.StopReason, x.UpdatedAt = x.MeterStart+x.EnergyWh, "Other", s.clock.Now()
	x.Flag = joinFlag(x.Flag, "no StopTransaction: superseded by a new transaction on the connector")
	if ok, err := s.finish(ctx, x, nil); err != nil {
		s.log.Error("close superseded session", "session", x.ID, "err", err)
	} else if ok {
		s.publish(events.Event{Type: events.SessionStopped, ChargerID: x.ChargerID, SiteID: x.SiteID, SessionID: x.ID, UserID: x.UserID, Data: x})
	}
}

// samplesOf normalises OCPP meter values into samples, one per timestamp:
// energy in Wh, power in W, current in mA, voltage in mV, SoC in percent.
// Values per phase are used only when no total was sent; SignedData is kept
// as is and never read as a number.
func samplesOf(sessionID string, mvs []ocpp.MeterValue) []Sample {
	byAt := map[int64]*Sample{}
	for _, mv := range mvs {
		at := mv.Timestamp.UTC()
		x := byAt[at.UnixMilli()]
		if x == nil {
			x = &Sample{SessionID: sessionID, At: at}
			byAt[at.UnixMilli()] = x
		}
		phased := map[string]bool{}
		for _, sv := range mv.SampledValue {
			if sv.Format == "SignedData" {
				x.SignedData = truncate(sv.Value, 4000)
				continue
			}
			v, err := strconv.ParseFloat(sv.Value, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			measurand := string(sv.Measurand)
			if measurand == "" {
				measurand = "Energy.Active.Import.Register"
			}
			unit := string(sv.Unit)
			var dst **int64
			scale := 1.0
			switch measurand {
			case "Energy.Active.Import.Register":
				dst = &x.EnergyWh
				if unit == "kWh" {
					scale = 1000
				}
			case "Power.Active.Import":
				dst = &x.PowerW
				if unit == "kW" {
					scale = 1000
				}
			case "Current.Import":
				dst, scale = &x.CurrentMA, 1000
			case "Voltage":
				dst, scale = &x.VoltageMV, 1000
			case "SoC":
				dst = &x.SoC
			default:
				continue
			}
			if sv.Phase != "" {
				if *dst != nil && !phased[measurand] {
					continue // a total was sent: keep it
				}
				phased[measurand] = true
			} else if phased[measurand] {
				*dst, phased[measurand] = nil, false
			}
			n := int64(math.Round(v * scale))
			if sv.Phase != "" && *dst != nil && measurand != "Voltage" {
				n += **dst // sum the phases of power, energy and current
			}
			*dst = &n
		}
	}
	out := make([]Sample, 0, len(byAt))
	for _, x := range byAt {
		out = append(out, *x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// applySamples updates a running session's live figures from samples newer
// than what it has.
func applySamples(x *Session, samples []Sample) {
	for _, sm := range samples {
		if sm.At.Before(x.LastMeterAt) {
			continue
		}
		x.LastMeterAt = sm.At
		if sm.EnergyWh != nil && *sm.EnergyWh >= x.MeterStart {
			x.EnergyWh = *sm.EnergyWh - x.MeterStart
		}
		if sm.PowerW != nil {
			x.PowerW = int(*sm.PowerW)
		}
		if sm.SoC != nil {
			x.SoC = int(*sm.SoC)
		}
	}
}

func (s *Service) meterValues(ctx context.Context, c Charger, payload json.RawMessage) (any, error) {
	req, err := ocpp.Decode[ocpp.MeterValuesRequest](payload, lenient)
	if err != nil {
		return nil, err
	}
	var x Session
	if req.TransactionID != nil {
		x, err = s.store.SessionByTransaction(ctx, int64(*req.TransactionID))
	} else {
		x, err = s.store.ActiveSession(ctx, c.ID, req.ConnectorID)
	}
	if err == nil && x.ChargerID != c.ID {
		s.log.Warn("MeterValues for another charger's transaction: ignored", "charger", c.CPID, "transaction", x.TransactionID, "session", x.ID)
		return ocpp.MeterValuesResponse{}, nil
	}
	if apperr.Is(err, apperr.NotFound) {
		return ocpp.MeterValuesResponse{}, nil // values outside a transaction (e.g. the main meter): nothing to bill
	}
	if err != nil {
		return nil, err
	}
	samples := samplesOf(x.ID, req.MeterValue)
	if err := s.store.AddSamples(ctx, samples); err != nil {
		return nil, err
	}
	if x.Status != SessionActive {
		return ocpp.MeterValuesResponse{}, nil
	}
	applySamples(&x, samples)
	x.UpdatedAt = s.clock.Now()
	if err := s.store.UpdateLive(ctx, x); err != nil {
		return nil, err
	}
	s.publish(events.Event{Type: events.SessionUpdated, ChargerID: c.ID, SiteID: c.SiteID, SessionID: x.ID, UserID: x.UserID, Data: x})
	if x.LimitWh > 0 && x.EnergyWh >= x.LimitWh {
		s.stopAtLimit(c, x)
	} else if x.LimitFen > 0 && s.money != nil {
		if cost, err := s.money.CostSoFar(ctx, x); err == nil && cost >= x.LimitFen {
			s.stopAtLimit(c, x)
		}
	}
	return ocpp.MeterValuesResponse{}, nil
}

func (s *Service) stopTransaction(ctx context.Context, c Charger, payload json.RawMessage) (any, error) {
	req, err := ocpp.Decode[ocpp.StopTransactionRequest](payload, lenient)
	if err != nil {
		return nil, err
	}
	resp := ocpp.StopTransactionResponse{}
	if req.IDTag != "" {
		// The stop is answered even when the tag cannot be checked now.
		if info, _, err := s.authorize(ctx, req.IDTag); err != nil {
			s.log.Error("check the stop's id tag", "charger", c.CPID, "err", err)
		} else {
			resp.IDTagInfo = &info
		}
	}
	now := s.clock.Now()
	x, err := s.store.SessionByTransaction(ctx, int64(req.TransactionID))
	if apperr.Is(err, apperr.NotFound) {
		// Started while we were unreachable: create it from what the stop carries.
		x, err = s.sessionFromStop(ctx, c, req)
	}
	if err != nil {
		return nil, err
	}
	if x.ChargerID != c.ID {
		// Our transaction ids are unique across chargers: this one is not the asker's.
		s.log.Warn("StopTransaction for another charger's transaction: answered, nothing changed", "charger", c.CPID, "transaction", req.TransactionID, "session", x.ID)
		return resp, nil
	}
	if x.Status == SessionStopped {
		return resp, nil // a replay: same answer, nothing changes
	}
	samples := samplesOf(x.ID, req.TransactionData)
	applySamples(&x, samples)
	x.StoppedAt, x.MeterStop, x.UpdatedAt = req.Timestamp.UTC(), int64(req.MeterStop), now
	x.EnergyWh = x.MeterStop - x.MeterStart
	if x.EnergyWh < 0 {
		x.EnergyWh, x.Flag = 0, joinFlag(x.Flag, "meterStop is below meterStart")
	}
	if x.StoppedAt.Before(x.StartedAt) {
		x.Flag = joinFlag(x.Flag, "stop timestamp before start")
	}
	x.StopReason = string(req.Reason)
	if x.StopReason == "" {
		x.StopReason = "Local"
	}
	stopped, err := s.finish(ctx, x, samples)
	if err != nil {
		return nil, err
	}
	if stopped {
		s.log.Info("transaction stopped", "charger", c.CPID, "transaction", x.TransactionID, "session", x.ID, "energy_wh", x.EnergyWh, "reason", x.StopReason)
		s.publish(events.Event{Type: events.SessionStopped, ChargerID: c.ID, SiteID: c.SiteID, SessionID: x.ID, UserID: x.UserID, Data: x})
	}
	return resp, nil
}

func (s *Service) sessionFromStop(ctx context.Context, c Charger, req ocpp.StopTransactionRequest) (Session, error) {
	now := s.clock.Now()
	x := Session{ID: ids.New(), TransactionID: int64(req.TransactionID), ChargerID: c.ID, SiteID: c.SiteID, IDTag: req.IDTag, Status: SessionActive,
		StartedAt: req.Timestamp.UTC(), MeterStart: int64(req.MeterStop), SoC: -1, AuthStatus: "Unknown", CreatedAt: now, UpdatedAt: now,
		Flag: "unknown transaction: created from its StopTransaction"}
	x.StartKey = fmt.Sprintf("stop/%s/%d", c.ID, req.TransactionID)
	for _, sm := range samplesOf(x.ID, req.TransactionData) {
		if sm.At.Before(x.StartedAt) {
			x.StartedAt = sm.At
		}
		if sm.EnergyWh != nil && *sm.EnergyWh < x.MeterStart {
			x.MeterStart = *sm.EnergyWh
		}
	}
	if req.IDTag != "" {
		if _, userID, err := s.authorize(ctx, req.IDTag); err == nil {
			x.UserID = userID
		}
	}
	if err := s.store.CreateSession(ctx, x); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return s.store.SessionByTransaction(ctx, int64(req.TransactionID))
		}
		return Session{}, err
	}
	s.log.Warn("StopTransaction for an unknown transaction: session created from it", "charger", c.CPID, "transaction", req.TransactionID)
	return x, nil
}

// stopAtLimit asks the charger, once, to stop a session that reached its
// limit. It runs in the background: the MeterValues answer must not wait.
func (s *Service) stopAtLimit(c Charger, x Session) {
	if _, asked := s.limitStops.LoadOrStore(x.ID, true); asked {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := s.Send(ctx, c, "RemoteStopTransaction", &ocpp.RemoteStopTransactionRequest{TransactionID: int(x.TransactionID)}); err != nil {
			s.log.Warn("stop at limit", "session", x.ID, "err", err)
			s.limitStops.Delete(x.ID)
			return
		}
		s.log.Info("session reached its limit: stop sent", "session", x.ID, "energy_wh", x.EnergyWh, "limit_wh", x.LimitWh)
	}()
}
