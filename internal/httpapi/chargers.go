package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/charging"
	"github.com/danielgtaylor/huma/v2"
)

// SiteView is a site as the API shows it.
type SiteView struct {
	ID            string  `json:"id"`
	Code          string  `json:"code"`
	Name          string  `json:"name"`
	Timezone      string  `json:"timezone"`
	Address       string  `json:"address"`
	Lat           float64 `json:"lat"`
	Lng           float64 `json:"lng"`
	HeartbeatS    int     `json:"heartbeat_s" doc:"Heartbeat interval given to chargers, in seconds"`
	OfflineFactor int     `json:"offline_factor" doc:"A charger silent for heartbeat_s × offline_factor is offline"`
}

func viewSite(x charging.Site) SiteView {
	return SiteView{ID: x.ID, Code: x.Code, Name: x.Name, Timezone: x.Timezone, Address: x.Address, Lat: x.Lat, Lng: x.Lng, HeartbeatS: x.HeartbeatS, OfflineFactor: x.OfflineFactor}
}

// SiteBody is the input for creating or editing a site.
type SiteBody struct {
	Code          string  `json:"code" maxLength:"32"`
	Name          string  `json:"name" maxLength:"100"`
	Timezone      string  `json:"timezone,omitempty" maxLength:"64" doc:"IANA time zone; default the server's"`
	Address       string  `json:"address,omitempty" maxLength:"255"`
	Lat           float64 `json:"lat,omitempty"`
	Lng           float64 `json:"lng,omitempty"`
	HeartbeatS    int     `json:"heartbeat_s,omitempty"`
	OfflineFactor int     `json:"offline_factor,omitempty"`
}

func (b SiteBody) input() charging.SiteInput {
	return charging.SiteInput{Code: b.Code, Name: b.Name, Timezone: b.Timezone, Address: b.Address, Lat: b.Lat, Lng: b.Lng, HeartbeatS: b.HeartbeatS, OfflineFactor: b.OfflineFactor}
}

// LiveSession is the running session on a connector.
type LiveSession struct {
	ID            string    `json:"id"`
	TransactionID int64     `json:"transaction_id"`
	StartedAt     time.Time `json:"started_at"`
	EnergyWh      int64     `json:"energy_wh"`
	PowerW        int       `json:"power_w"`
	SoC           int       `json:"soc" doc:"State of charge in percent; -1 if the car does not say"`
}

// ConnectorView is a connector and its live state.
type ConnectorView struct {
	ConnectorID int    `json:"connector_id"`
	Type        string `json:"type" enum:"GBT_AC,GBT_DC,Type2,CCS2,"`
	MaxPowerW   int    `json:"max_power_w"`
	// Status is the OCPP status, or Offline while the charger is offline
	// (never the last stale status).
	Status      string       `json:"status"`
	ErrorCode   string       `json:"error_code"`
	VendorError string       `json:"vendor_error"`
	Info        string       `json:"info"`
	StatusAt    time.Time    `json:"status_at"`
	Session     *LiveSession `json:"session,omitempty"`
}

// ChargerView is a charger with its live state.
type ChargerView struct {
	ID                string             `json:"id"`
	ChargePointID     string             `json:"charge_point_id"`
	SiteID            string             `json:"site_id"`
	Name              string             `json:"name"`
	Location          string             `json:"location"`
	Lat               float64            `json:"lat"`
	Lng               float64            `json:"lng"`
	Kind              string             `json:"kind" enum:"fast,slow"`
	MaxPowerW         int                `json:"max_power_w"`
	TariffID          string             `json:"tariff_id"`
	Lenient           bool               `json:"lenient"`
	State             string             `json:"state" enum:"active,pending,disabled"`
	Online            bool               `json:"online"`
	LastSeenAt        time.Time          `json:"last_seen_at"`
	Status            string             `json:"status" doc:"Charger-level OCPP status (connector 0), or Offline"`
	Vendor            string             `json:"vendor"`
	Model             string             `json:"model"`
	Serial            string             `json:"serial"`
	Firmware          string             `json:"firmware"`
	FirmwareStatus    string             `json:"firmware_status"`
	DiagnosticsStatus string             `json:"diagnostics_status"`
	Connectors        []ConnectorView    `json:"connectors"`
	Price             *PriceView         `json:"price,omitempty" doc:"Price in force now (energy + service per kWh)"`
	Maintenance       *MaintenanceNotice `json:"maintenance,omitempty" doc:"Set while the charger is out of service for repair, maintenance or cleaning"`
}

func viewCharger(c charging.Charger, live map[string]charging.Session) ChargerView {
	v := ChargerView{ID: c.ID, ChargePointID: c.CPID, SiteID: c.SiteID, Name: c.Name, Location: c.Location, Lat: c.Lat, Lng: c.Lng, Kind: c.Kind,
		MaxPowerW: c.MaxPowerW, TariffID: c.TariffID, Lenient: c.Lenient, State: c.State, Online: c.Online, LastSeenAt: c.LastSeenAt,
		Vendor: c.Vendor, Model: c.Model, Serial: c.Serial, Firmware: c.Firmware, FirmwareStatus: c.FirmwareStatus, DiagnosticsStatus: c.DiagnosticsStatus,
		Connectors: []ConnectorView{}, Status: "Unknown"}
	for _, k := range c.Connectors {
		status := k.Status
		if !c.Online {
			status = "Offline"
		}
		if k.ConnectorID == 0 {
			v.Status = status
			continue
		}
		cv := ConnectorView{ConnectorID: k.ConnectorID, Type: k.Type, MaxPowerW: k.MaxPowerW, Status: status, ErrorCode: k.ErrorCode, VendorError: k.VendorError, Info: k.Info, StatusAt: k.StatusAt}
		if x, ok := live[liveKey(c.ID, k.ConnectorID)]; ok {
			cv.Session = &LiveSession{ID: x.ID, TransactionID: x.TransactionID, StartedAt: x.StartedAt, EnergyWh: x.EnergyWh, PowerW: x.PowerW, SoC: x.SoC}
		}
		v.Connectors = append(v.Connectors, cv)
	}
	if !c.Online {
		v.Status = "Offline"
	}
	return v
}

func liveKey(chargerID string, connector int) string {
	return chargerID + "/" + string(rune('0'+connector))
}

// liveSessions maps charger/connector to its running session (every page
// of them: a large site runs more than one page at once).
func (s *Server) liveSessions(ctx context.Context, chargerID string) (map[string]charging.Session, error) {
	m := map[string]charging.Session{}
	f := charging.SessionFilter{ChargerID: chargerID, Status: charging.SessionActive, Limit: 200}
	for {
		xs, next, err := s.deps.Charging.Sessions(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, x := range xs {
			m[liveKey(x.ChargerID, x.ConnectorID)] = x
		}
		if next == "" {
			return m, nil
		}
		f.Cursor = next
	}
}

// ChargerBody is the input for registering or editing a charger.
type ChargerBody struct {
	ChargePointID string  `json:"charge_point_id" maxLength:"64" doc:"The OCPP id: the charger connects to /ocpp/{charge_point_id}"`
	SiteID        string  `json:"site_id,omitempty" maxLength:"26"`
	Name          string  `json:"name" maxLength:"100"`
	Location      string  `json:"location,omitempty" maxLength:"255" doc:"Where it is, e.g. North gate car park, bay 3"`
	Lat           float64 `json:"lat,omitempty"`
	Lng           float64 `json:"lng,omitempty"`
	Kind          string  `json:"kind" enum:"fast,slow"`
	MaxPowerW     int     `json:"max_power_w"`
	TariffID      string  `json:"tariff_id,omitempty" maxLength:"64"`
	Lenient       bool    `json:"lenient,omitempty" doc:"Accept known vendor quirks in OCPP payloads"`
	Password      string  `json:"password,omitempty" maxLength:"40" doc:"HTTP Basic password (16-40 characters); generated on create when empty"`
	Connectors    []struct {
		ConnectorID int    `json:"connector_id"`
		Type        string `json:"type" enum:"GBT_AC,GBT_DC,Type2,CCS2"`
		MaxPowerW   int    `json:"max_power_w,omitempty"`
	} `json:"connectors" maxItems:"8"`
}

func (b ChargerBody) input() charging.ChargerInput {
	in := charging.ChargerInput{CPID: b.ChargePointID, SiteID: b.SiteID, Name: b.Name, Location: b.Location, Lat: b.Lat, Lng: b.Lng, Kind: b.Kind,
		MaxPowerW: b.MaxPowerW, TariffID: b.TariffID, Lenient: b.Lenient, Password: b.Password}
	for _, k := range b.Connectors {
		in.Connectors = append(in.Connectors, charging.Connector{ConnectorID: k.ConnectorID, Type: k.Type, MaxPowerW: k.MaxPowerW})
	}
	return in
}

type chargerOut struct{ Body ChargerView }

// chargerWithPassword is a charger and, when one was just generated (on
// approving a charger that connected without one), its password.
type chargerWithPassword struct {
	ChargerView
	Password string `json:"password,omitempty" doc:"The charger's generated HTTP Basic password, shown only now"`
}

type chargerStateOut struct{ Body chargerWithPassword }

func (s *Server) chargerView(ctx context.Context, c charging.Charger) (*chargerOut, error) {
	live, err := s.liveSessions(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	v := viewCharger(c, live)
	v.Price, _ = s.priceOf(ctx, s.pricer(ctx), c)
	v.Maintenance = s.maintenanceNotices(ctx)[c.ID]
	return &chargerOut{Body: v}, nil
}

func (s *Server) registerChargers() {
	register(s, huma.Operation{OperationID: "sites-list", Method: http.MethodGet, Path: "/sites", Summary: "List sites", Tags: []string{"sites"}}, account.PermSelf,
		func(ctx context.Context, _ *struct{}) (*struct{ Body []SiteView }, error) {
			xs, err := s.deps.Charging.Sites(ctx)
			if err != nil {
				return nil, err
			}
			out := &struct{ Body []SiteView }{Body: make([]SiteView, len(xs))}
			for i, x := range xs {
				out.Body[i] = viewSite(x)
			}
			return out, nil
		})
	type siteIn struct{ Body SiteBody }
	type siteOut struct{ Body SiteView }
	register(s, huma.Operation{OperationID: "sites-create", Method: http.MethodPost, Path: "/sites", Summary: "Create a site", Tags: []string{"sites"}, DefaultStatus: http.StatusCreated}, account.PermSitesWrite,
		func(ctx context.Context, in *siteIn) (*siteOut, error) {
			x, err := s.deps.Charging.CreateSite(ctx, currentUser(ctx), in.Body.input())
			if err != nil {
				return nil, err
			}
			return &siteOut{Body: viewSite(x)}, nil
		})
	type siteEditIn struct {
		IDParam
		Body SiteBody
	}
	register(s, huma.Operation{OperationID: "sites-update", Method: http.MethodPut, Path: "/sites/{id}", Summary: "Edit a site and its parameters", Tags: []string{"sites"}}, account.PermSitesWrite,
		func(ctx context.Context, in *siteEditIn) (*siteOut, error) {
			x, err := s.deps.Charging.UpdateSite(ctx, currentUser(ctx), in.ID, in.Body.input())
			if err != nil {
				return nil, err
			}
			return &siteOut{Body: viewSite(x)}, nil
		})

	type listIn struct {
		PageParams
		SiteID string `query:"site_id" maxLength:"26"`
		State  string `query:"state" enum:"active,pending,disabled,"`
		Q      string `query:"q" maxLength:"100" doc:"Matches name, charge point id or location"`
	}
	register(s, huma.Operation{OperationID: "chargers-list", Method: http.MethodGet, Path: "/chargers", Summary: "List chargers with live state", Tags: []string{"chargers"}}, account.PermSelf,
		func(ctx context.Context, in *listIn) (*struct{ Body Page[ChargerView] }, error) {
			limit := in.Limit
			if limit == 0 {
				limit = 200
			}
			cs, next, err := s.deps.Charging.Chargers(ctx, charging.ChargerFilter{SiteID: in.SiteID, State: in.State, Query: in.Q, Limit: limit, Cursor: in.Cursor})
			if err != nil {
				return nil, err
			}
			live, err := s.liveSessions(ctx, "")
			if err != nil {
				return nil, err
			}
			out := &struct{ Body Page[ChargerView] }{}
			out.Body.Items, out.Body.NextCursor = make([]ChargerView, len(cs)), next
			p := s.pricer(ctx)
			notices := s.maintenanceNotices(ctx)
			for i, c := range cs {
				out.Body.Items[i] = viewCharger(c, live)
				out.Body.Items[i].Price, _ = s.priceOf(ctx, p, c)
				out.Body.Items[i].Maintenance = notices[c.ID]
			}
			return out, nil
		})
	register(s, huma.Operation{OperationID: "chargers-get", Method: http.MethodGet, Path: "/chargers/{id}", Summary: "One charger (by id or charge point id) with live state", Tags: []string{"chargers"}}, account.PermSelf,
		func(ctx context.Context, in *struct {
			ID string `path:"id" maxLength:"64"`
		}) (*chargerOut, error) {
			c, err := s.deps.Charging.Charger(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return s.chargerView(ctx, c)
		})

	type createOut struct {
		Body struct {
			Charger  ChargerView `json:"charger"`
			Password string      `json:"password" doc:"The charger's HTTP Basic password, shown only now"`
		}
	}
	register(s, huma.Operation{OperationID: "chargers-create", Method: http.MethodPost, Path: "/chargers", Summary: "Register a charger", Tags: []string{"chargers"}, DefaultStatus: http.StatusCreated}, account.PermChargersWrite,
		func(ctx context.Context, in *struct{ Body ChargerBody }) (*createOut, error) {
			c, pw, err := s.deps.Charging.CreateCharger(ctx, currentUser(ctx), in.Body.input())
			if err != nil {
				return nil, err
			}
			out := &createOut{}
			out.Body.Charger, out.Body.Password = viewCharger(c, nil), pw
			return out, nil
		})
	register(s, huma.Operation{OperationID: "chargers-update", Method: http.MethodPut, Path: "/chargers/{id}", Summary: "Edit a charger", Tags: []string{"chargers"}}, account.PermChargersWrite,
		func(ctx context.Context, in *struct {
			IDParam
			Body ChargerBody
		}) (*chargerOut, error) {
			c, err := s.deps.Charging.UpdateCharger(ctx, currentUser(ctx), in.ID, in.Body.input())
			if err != nil {
				return nil, err
			}
			return s.chargerView(ctx, c)
		})
	register(s, huma.Operation{OperationID: "chargers-set-state", Method: http.MethodPost, Path: "/chargers/{id}/state", Summary: "Approve (active), disable or enable a charger", Tags: []string{"chargers"}}, account.PermChargersWrite,
		func(ctx context.Context, in *struct {
			IDParam
			Body struct {
				State string `json:"state" enum:"active,disabled"`
			}
		}) (*chargerStateOut, error) {
			c, pw, err := s.deps.Charging.SetState(ctx, currentUser(ctx), in.ID, in.Body.State)
			if err != nil {
				return nil, err
			}
			v, err := s.chargerView(ctx, c)
			if err != nil {
				return nil, err
			}
			return &chargerStateOut{Body: chargerWithPassword{ChargerView: v.Body, Password: pw}}, nil
		})
	register(s, huma.Operation{OperationID: "chargers-reset-password", Method: http.MethodPost, Path: "/chargers/{id}/password", Summary: "Give a charger a new generated password (shown once)", Tags: []string{"chargers"}}, account.PermChargersWrite,
		func(ctx context.Context, in *IDParam) (*struct {
			Body struct {
				Password string `json:"password"`
			}
		}, error) {
			pw, err := s.deps.Charging.ResetPassword(ctx, currentUser(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &struct {
				Body struct {
					Password string `json:"password"`
				}
			}{}
			out.Body.Password = pw
			return out, nil
		})

	type commandIn struct {
		IDParam
		Action string         `path:"action" doc:"The OCPP command" enum:"RemoteStartTransaction,RemoteStopTransaction,Reset,UnlockConnector,ChangeAvailability,ChangeConfiguration,GetConfiguration,TriggerMessage,ClearCache,DataTransfer,ReserveNow,CancelReservation,SetChargingProfile,ClearChargingProfile,GetCompositeSchedule,SendLocalList,GetLocalListVersion,UpdateFirmware,GetDiagnostics"`
		Body   map[string]any `doc:"The OCPP request payload, e.g. {\"type\":\"Soft\"} for Reset"`
	}
	type commandOut struct {
		Body struct {
			Response json.RawMessage `json:"response" doc:"The charger's answer (OCPP confirmation payload)"`
			Session  *SessionView    `json:"session,omitempty" doc:"For RemoteStartTransaction: the session, once the charger started it"`
		}
	}
	register(s, huma.Operation{OperationID: "chargers-command", Method: http.MethodPost, Path: "/chargers/{id}/commands/{action}", Summary: "Send an OCPP command and return the charger's answer",
		Description: "503 when the charger is offline or does not answer in time; 422 when the payload breaks the command's schema.", Tags: []string{"chargers"}}, account.PermChargersControl,
		func(ctx context.Context, in *commandIn) (*commandOut, error) {
			payload, err := json.Marshal(in.Body)
			if err != nil {
				return nil, err
			}
			res, err := s.deps.Charging.Command(ctx, currentUser(ctx), in.ID, in.Action, payload)
			if err != nil {
				return nil, err
			}
			out := &commandOut{}
			out.Body.Response = res.Response
			if res.Session != nil {
				v := viewSession(*res.Session, s.deps.Clock.Now())
				out.Body.Session = &v
			}
			return out, nil
		})
}
