package httpapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"campuscharge/internal/account"
	"campuscharge/internal/backup"
	"github.com/danielgtaylor/huma/v2"
)

// SystemStatus is what GET /system/status reports: settings in use, never
// secrets.
type SystemStatus struct {
	Version string `json:"version"`
	// DatabaseEngine is sqlite, mysql or postgres.
	DatabaseEngine  string `json:"database_engine"`
	DatabaseVersion string `json:"database_version"`
	SchemaVersion   int64  `json:"schema_version" doc:"Newest migration applied"`
	// PaymentProvider is the default provider: sandbox or wechatpay.
	PaymentProvider     string `json:"payment_provider" enum:"sandbox,wechatpay"`
	WeChatLogin         bool   `json:"wechat_login_configured"`
	WeChatPay           bool   `json:"wechat_pay_configured"`
	Timezone            string `json:"timezone"`
	BaseURL             string `json:"base_url"`
	BackupsSupported    bool   `json:"backups_supported" doc:"Built-in backups work on SQLite only"`
	BackupEveryS        int64  `json:"backup_every_s" doc:"Scheduled backup interval in seconds; 0 = off"`
	BackupKeep          int    `json:"backup_keep"`
	BackupHint          string `json:"backup_hint,omitempty" doc:"For MySQL/PostgreSQL: the command that backs the database up"`
	AcceptUnknownCharge bool   `json:"accept_unknown_chargers"`
}

// BackupView is one backup file.
type BackupView struct {
	Name      string    `json:"name"`
	SizeBytes int64     `json:"size_bytes"`
	CreatedAt time.Time `json:"created_at"`
}

func viewBackup(f backup.File) BackupView {
	return BackupView{Name: f.Name, SizeBytes: f.SizeBytes, CreatedAt: f.CreatedAt}
}

func (s *Server) registerSystem() {
	tags := []string{"system"}
	register(s, huma.Operation{OperationID: "system-status", Method: http.MethodGet, Path: "/system/status", Summary: "Database, payment and login settings in use (no secrets)", Tags: tags}, account.PermSystemWrite,
		func(ctx context.Context, _ *struct{}) (*struct{ Body SystemStatus }, error) {
			st, err := s.deps.System(ctx)
			if err != nil {
				return nil, err
			}
			st.Version = s.deps.Version
			return &struct{ Body SystemStatus }{st}, nil
		})
	register(s, huma.Operation{OperationID: "backups-list", Method: http.MethodGet, Path: "/backups", Summary: "Backups in the data directory, newest first", Tags: tags}, account.PermSystemWrite,
		func(ctx context.Context, _ *struct{}) (*struct{ Body []BackupView }, error) {
			fs, err := s.deps.Backups.List(ctx)
			if err != nil {
				return nil, err
			}
			out := &struct{ Body []BackupView }{Body: make([]BackupView, len(fs))}
			for i, f := range fs {
				out.Body[i] = viewBackup(f)
			}
			return out, nil
		})
	register(s, huma.Operation{OperationID: "backups-create", Method: http.MethodPost, Path: "/backups", Summary: "Back the database up now (SQLite)", Tags: tags, DefaultStatus: http.StatusCreated}, account.PermSystemWrite,
		func(ctx context.Context, _ *struct{}) (*struct{ Body BackupView }, error) {
			f, err := s.deps.Backups.Create(ctx)
			if err != nil {
				return nil, err
			}
			if err := account.Record(ctx, s.deps.AuditLog, currentUser(ctx), "backup.create", "backup", f.Name, f.Name, nil, viewBackup(f)); err != nil {
				return nil, fmt.Errorf("audit backup %s: %w", f.Name, err)
			}
			return &struct{ Body BackupView }{viewBackup(f)}, nil
		})
	register(s, huma.Operation{OperationID: "backups-download", Method: http.MethodGet, Path: "/backups/{name}", Summary: "Download a backup", Tags: tags}, account.PermSystemWrite,
		func(ctx context.Context, in *struct {
			Name string `path:"name" maxLength:"64"`
		}) (*huma.StreamResponse, error) {
			r, f, err := s.deps.Backups.Open(in.Name)
			if err != nil {
				return nil, err
			}
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				defer r.Close()
				hctx.SetHeader("Content-Type", "application/vnd.sqlite3")
				hctx.SetHeader("Content-Disposition", `attachment; filename="`+f.Name+`"`)
				_, _ = io.Copy(hctx.BodyWriter(), r)
			}}, nil
		})
}
