package sim

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"campuscharge/internal/ocpp"
)

// Subprotocol is the WebSocket subprotocol of OCPP 1.6J.
const Subprotocol = "ocpp1.6"

// Run connects to the central system (retrying with backoff), boots
// (honouring a Pending/Rejected interval), heartbeats, reports status,
// serves remote commands, samples meters and reconnects after every drop,
// until ctx ends. It returns nil when ctx ends and an error only when the
// charger is already running.
func (c *Charger) Run(ctx context.Context) error {
	c.mu.Lock()
	if c.running {
		c.mu.Unlock()
		return fmt.Errorf("charger %s: already running", c.spec.ID)
	}
	c.running = true
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.running = false
		c.mu.Unlock()
	}()

	var wg sync.WaitGroup
	wg.Go(func() { c.meterLoop(ctx) })
	wg.Go(func() { c.tickLoop(ctx) })
	defer wg.Wait()

	backoff := c.b.ReconnectDelay
	for ctx.Err() == nil {
		reboot, booted, err := c.connectAndServe(ctx)
		if ctx.Err() != nil {
			break
		}
		var wait time.Duration
		switch {
		case reboot:
			backoff = c.b.ReconnectDelay
		case booted:
			backoff = c.b.ReconnectDelay
			wait = c.b.ReconnectDelay
		default:
			c.log.Warn("connection failed", "error", err, "retry_in", backoff)
			wait = c.jitter(backoff)
			backoff = min(backoff*2, 30*c.b.ReconnectDelay)
		}
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
			}
		}
	}
	return nil
}

// jitter spreads a wait by ±20 % so a fleet does not reconnect in lockstep.
func (c *Charger) jitter(d time.Duration) time.Duration {
	c.mu.Lock()
	f := 0.8 + 0.4*c.rnd.Float64()
	c.mu.Unlock()
	return time.Duration(float64(d) * f)
}

// endpoint is the charger's OCPP URL.
func (c *Charger) endpoint() string {
	return strings.TrimSuffix(c.url, "/") + "/" + url.PathEscape(c.spec.ID)
}

// connectAndServe runs one connection: dial, boot, serve until it ends.
// reboot says a Reset closed it; booted that BootNotification was accepted.
func (c *Charger) connectAndServe(ctx context.Context) (reboot, booted bool, err error) {
	h := http.Header{}
	if c.spec.Password != "" {
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.spec.ID+":"+c.spec.Password)))
	}
	dctx, cancel := context.WithTimeout(ctx, c.b.CallTimeout)
	ws, resp, err := websocket.Dial(dctx, c.endpoint(), &websocket.DialOptions{Subprotocols: []string{Subprotocol}, HTTPHeader: h})
	cancel()
	if err != nil {
		if resp != nil {
			return false, false, fmt.Errorf("dial %s: HTTP %d: %w", c.endpoint(), resp.StatusCode, err)
		}
		return false, false, fmt.Errorf("dial %s: %w", c.endpoint(), err)
	}
	if ws.Subprotocol() != Subprotocol {
		ws.CloseNow()
		c.violation("server chose subprotocol %q, want %q", ws.Subprotocol(), Subprotocol)
		return false, false, fmt.Errorf("dial %s: subprotocol %q", c.endpoint(), ws.Subprotocol())
	}
	ws.SetReadLimit(1 << 20)
	c.stats.connectedDelta(1)
	defer c.stats.connectedDelta(-1)

	sctx, scancel := context.WithCancel(ctx)
	s := newSession(c, ws)
	c.mu.Lock()
	c.sess = s
	c.notifyLocked()
	c.mu.Unlock()
	go s.readLoop(sctx)
	go s.handleLoop(sctx)
	defer func() {
		ws.CloseNow()
		scancel()
		<-s.done
		c.mu.Lock()
		c.sess = nil
		c.online = false
		c.dropVolatileLocked()
		reboot = s.reboot
		c.notifyLocked()
		c.mu.Unlock()
		c.log.Info("disconnected", "reboot", reboot)
	}()

	if err := c.boot(sctx, s); err != nil {
		return false, false, err
	}
	booted = true
	c.log.Info("booted")
	if err := c.sendBootStatuses(sctx, s); err != nil {
		return false, true, err
	}
	var wg sync.WaitGroup
	wg.Go(func() { c.sendLoop(sctx, s) })
	c.heartbeatLoop(sctx, s)
	ws.CloseNow()
	wg.Wait()
	return false, true, nil
}

// boot sends BootNotification until Accepted, waiting the given interval
// after Pending or Rejected.
func (c *Charger) boot(ctx context.Context, s *session) error {
	req := ocpp.BootNotificationRequest{
		ChargePointVendor:       trunc(c.spec.Vendor, 20),
		ChargePointModel:        trunc(c.spec.Model, 20),
		ChargePointSerialNumber: trunc("SN-"+c.spec.ID, 25),
		MeterType:               "SIM-METER",
	}
	for {
		c.mu.Lock()
		req.FirmwareVersion = trunc(c.firmware, 50)
		c.mu.Unlock()
		res, err := s.call(ctx, ocpp.ActionBootNotification, req)
		if err != nil {
			return fmt.Errorf("boot: %w", err)
		}
		conf, ok := decodeConf[ocpp.BootNotificationResponse](c, ocpp.ActionBootNotification, res)
		if !ok {
			return errors.New("boot: invalid BootNotification.conf")
		}
		c.mu.Lock()
		c.boots++
		c.registration = conf.Status
		if conf.Status == ocpp.RegistrationStatusAccepted {
			c.config[keyHeartbeatInterval] = fmt.Sprint(conf.Interval)
			c.setHeartbeatLocked(conf.Interval)
			c.notifyLocked()
			c.mu.Unlock()
			return nil
		}
		c.notifyLocked()
		c.mu.Unlock()
		wait := time.Duration(conf.Interval) * time.Second
		if wait <= 0 {
			wait = c.b.HeartbeatFallback
		}
		c.log.Info("boot not accepted", "status", conf.Status, "retry_in", wait)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-s.done:
			t.Stop()
			return fmt.Errorf("boot: %w", errOffline)
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// sendBootStatuses reports connector 0 and every connector after boot, then
// marks the charger online.
func (c *Charger) sendBootStatuses(ctx context.Context, s *session) error {
	c.mu.Lock()
	c.advanceLocked(c.clk.Now())
	reqs := []ocpp.StatusNotificationRequest{c.statusRequest(0, c.cpStatus(), ocpp.ChargePointErrorCodeNoError)}
	c.cpReported = c.cpStatus()
	for _, k := range c.conns {
		st, code := c.statusOf(k)
		k.reported, k.reportedErr = st, code
		reqs = append(reqs, c.statusRequest(k.id, st, code))
	}
	c.mu.Unlock()
	for _, r := range reqs {
		if _, err := s.call(ctx, ocpp.ActionStatusNotification, r); err != nil {
			return fmt.Errorf("boot status: %w", err)
		}
	}
	c.mu.Lock()
	c.online = true
	c.syncStatusLocked() // anything that changed meanwhile
	signal(c.queueWake)
	c.mu.Unlock()
	return nil
}

// heartbeatLoop sends Heartbeat every interval until the session ends.
func (c *Charger) heartbeatLoop(ctx context.Context, s *session) {
	for {
		c.mu.Lock()
		iv := c.hbInterval
		c.mu.Unlock()
		t := time.NewTimer(iv)
		select {
		case <-t.C:
			c.heartbeat(ctx, s)
		case <-c.hbReset:
			t.Stop()
		case <-s.done:
			t.Stop()
			return
		case <-ctx.Done():
			t.Stop()
			return
		}
	}
}

func (c *Charger) heartbeat(ctx context.Context, s *session) {
	res, err := s.call(ctx, ocpp.ActionHeartbeat, ocpp.HeartbeatRequest{})
	if err != nil {
		c.log.Debug("heartbeat failed", "error", err)
		return
	}
	if _, ok := decodeConf[ocpp.HeartbeatResponse](c, ocpp.ActionHeartbeat, res); ok {
		c.mu.Lock()
		c.heartbeats++
		c.notifyLocked()
		c.mu.Unlock()
	}
}

// meterLoop samples running transactions every meter interval, online or not.
func (c *Charger) meterLoop(ctx context.Context) {
	for {
		c.mu.Lock()
		iv := c.meterInterval
		c.mu.Unlock()
		var tc <-chan time.Time
		var t *time.Timer
		if iv > 0 {
			t = time.NewTimer(iv)
			tc = t.C
		}
		select {
		case <-tc:
			c.mu.Lock()
			c.meterTickLocked(c.clk.Now())
			c.syncStatusLocked()
			c.mu.Unlock()
		case <-c.meterReset:
		case <-ctx.Done():
		}
		if t != nil {
			t.Stop()
		}
		if ctx.Err() != nil {
			return
		}
	}
}

// tickLoop advances the physics and the random events.
func (c *Charger) tickLoop(ctx context.Context) {
	t := time.NewTicker(c.b.TickInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if drop := c.tick(); drop {
				c.DropConnection()
			}
		case <-ctx.Done():
			return
		}
	}
}

func trunc(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
