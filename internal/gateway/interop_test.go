package gateway_test

import (
	"errors"
	"strings"
	"testing"

	ocpp16 "github.com/lorenzodonini/ocpp-go/ocpp1.6"
	"github.com/lorenzodonini/ocpp-go/ocpp1.6/core"

	"campuscharge/internal/gateway"
	"campuscharge/internal/ocpp"
)

// independentCP is the core handler of an ocpp-go charge point, an OCPP
// implementation written independently of ours.
type independentCP struct {
	resets chan core.ResetType
}

var errNotInTest = errors.New("not used in this test")

func (h *independentCP) OnChangeAvailability(*core.ChangeAvailabilityRequest) (*core.ChangeAvailabilityConfirmation, error) {
	return nil, errNotInTest
}

func (h *independentCP) OnChangeConfiguration(*core.ChangeConfigurationRequest) (*core.ChangeConfigurationConfirmation, error) {
	return nil, errNotInTest
}

func (h *independentCP) OnClearCache(*core.ClearCacheRequest) (*core.ClearCacheConfirmation, error) {
	return core.NewClearCacheConfirmation(core.ClearCacheStatusAccepted), nil
}

func (h *independentCP) OnDataTransfer(*core.DataTransferRequest) (*core.DataTransferConfirmation, error) {
	return nil, errNotInTest
}

func (h *independentCP) OnGetConfiguration(*core.GetConfigurationRequest) (*core.GetConfigurationConfirmation, error) {
	return nil, errNotInTest
}

func (h *independentCP) OnRemoteStartTransaction(*core.RemoteStartTransactionRequest) (*core.RemoteStartTransactionConfirmation, error) {
	return nil, errNotInTest
}

func (h *independentCP) OnRemoteStopTransaction(*core.RemoteStopTransactionRequest) (*core.RemoteStopTransactionConfirmation, error) {
	return nil, errNotInTest
}

func (h *independentCP) OnReset(req *core.ResetRequest) (*core.ResetConfirmation, error) {
	h.resets <- req.Type
	return core.NewResetConfirmation(core.ResetStatusAccepted), nil
}

func (h *independentCP) OnUnlockConnector(*core.UnlockConnectorRequest) (*core.UnlockConnectorConfirmation, error) {
	return nil, errNotInTest
}

func TestIndependentChargePoint(t *testing.T) {
	s := newTestServer(t, fakeAuth{"CP-GO": {}}, gateway.Options{})
	h := &independentCP{resets: make(chan core.ResetType, 1)}
	cp := ocpp16.NewChargePoint("CP-GO", nil, nil)
	cp.SetCoreHandler(h)
	if err := cp.Start("ws" + strings.TrimPrefix(s.srv.URL, "http") + "/ocpp"); err != nil {
		t.Fatalf("start ocpp-go charge point: %v", err)
	}
	if got, want := s.h.nextEvent(t), "connected CP-GO"; got != want {
		t.Fatalf("got event %q, want %q", got, want)
	}

	conf, err := cp.BootNotification("X1", "ACME")
	if err != nil {
		t.Fatalf("BootNotification: %v", err)
	}
	if conf.Status != core.RegistrationStatusAccepted || conf.Interval != 300 || !conf.CurrentTime.Equal(bootTime) {
		t.Errorf("got boot conf %+v at %v, want Accepted, 300 s at %v", conf, conf.CurrentTime, bootTime)
	}

	var resp ocpp.ResetResponse
	if err := s.g.Call(t.Context(), "CP-GO", ocpp.ActionReset, ocpp.ResetRequest{Type: ocpp.ResetTypeSoft}, &resp); err != nil {
		t.Fatalf("Call Reset: %v", err)
	}
	if got := <-h.resets; got != core.ResetTypeSoft {
		t.Errorf("charge point got reset %q, want Soft", got)
	}
	if resp.Status != ocpp.ResetStatusAccepted {
		t.Errorf("got reset status %q, want Accepted", resp.Status)
	}
	// A request the charge point refuses comes back as a CALLERROR.
	err = s.g.Call(t.Context(), "CP-GO", ocpp.ActionUnlockConnector, ocpp.UnlockConnectorRequest{ConnectorID: 1}, nil)
	var oe *ocpp.Error
	if !errors.As(err, &oe) {
		t.Errorf("got error %v for a refused UnlockConnector, want *ocpp.Error", err)
	}

	cp.Stop()
	if got, want := s.h.nextEvent(t), "disconnected CP-GO"; got != want {
		t.Errorf("got event %q, want %q", got, want)
	}
}
