// Package config defines the server's settings: one struct filled from
// command-line flags and CAMPUSCHARGE_* environment variables (a flag wins
// over the environment), then validated. It holds no global state.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// Config is every setting of `campuscharge serve`.
type Config struct {
	// Listen is the HTTP listen address.
	Listen string `env:"LISTEN" envDefault:":8080"`
	// DB is the database DSN: empty for SQLite in DataDir, or mysql://…, postgres://…, sqlite://path.
	DB string `env:"DB"`
	// DataDir holds the SQLite database and backups.
	DataDir string `env:"DATA_DIR" envDefault:"./data"`
	// BaseURL is the public URL of this server, used in QR codes and payment callbacks.
	BaseURL string `env:"BASE_URL"`
	// Timezone is the default site time zone (IANA name).
	Timezone string `env:"TIMEZONE" envDefault:"Asia/Shanghai"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `env:"LOG_LEVEL" envDefault:"info"`
	// LogFormat is text or json.
	LogFormat string `env:"LOG_FORMAT" envDefault:"text"`
	// Demo seeds a demo campus and runs simulated chargers against this server.
	Demo bool `env:"DEMO"`
	// AdminPassword is the first admin's password when no admin exists (generated when empty).
	AdminPassword string `env:"ADMIN_PASSWORD"`
	// WeChatAppID enables WeChat login; when empty a development phone login is offered.
	WeChatAppID string `env:"WECHAT_APP_ID"`
	// WeChatSecret is the WeChat app secret.
	WeChatSecret string `env:"WECHAT_SECRET"`
	// WeChatBaseURL is the WeChat API base URL (changed only by tests).
	WeChatBaseURL string `env:"WECHAT_BASE_URL" envDefault:"https://api.weixin.qq.com"`
	// SessionTTL is how long a login stays valid without use.
	SessionTTL time.Duration `env:"SESSION_TTL" envDefault:"720h"`
	// AcceptUnknownChargers accepts unregistered chargers as Pending for approval.
	AcceptUnknownChargers bool `env:"ACCEPT_UNKNOWN_CHARGERS"`
	// MapTileURL is the driver app's map tile server, e.g. https://tile.example.org/{z}/{x}/{y}.png; empty = the offline campus plan.
	MapTileURL string `env:"MAP_TILE_URL"`
	// WeChatPay* configure the WeChat Pay provider; without a merchant id the sandbox provider is used.
	WeChatPayMchID        string `env:"WECHATPAY_MCHID"`
	WeChatPayAPIv3Key     string `env:"WECHATPAY_APIV3_KEY"`
	WeChatPayCertSerial   string `env:"WECHATPAY_CERT_SERIAL"`
	WeChatPayPrivateKey   string `env:"WECHATPAY_PRIVATE_KEY"`
	WeChatPayPublicKey    string `env:"WECHATPAY_PUBLIC_KEY"`
	WeChatPayPublicKeyID  string `env:"WECHATPAY_PUBLIC_KEY_ID"`
	WeChatPayPlatformCert string `env:"WECHATPAY_PLATFORM_CERT"`
	WeChatPayAPIBaseURL   string `env:"WECHATPAY_API_BASE_URL"`
	// UnpaidWindow: drivers with a bill unpaid for longer cannot start charging.
	UnpaidWindow time.Duration `env:"UNPAID_WINDOW" envDefault:"24h"`
	// AbandonAfter closes sessions that had no activity for this long.
	AbandonAfter time.Duration `env:"ABANDON_AFTER" envDefault:"24h"`
	// BackupEvery is how often a SQLite server backs itself up into DataDir/backups; 0 turns it off.
	BackupEvery time.Duration `env:"BACKUP_EVERY" envDefault:"24h"`
	// BackupKeep is how many scheduled or manual backups are kept.
	BackupKeep int `env:"BACKUP_KEEP" envDefault:"7"`
}

// flagSpec describes one flag: its name, the env var and help text.
type flagSpec struct {
	name, env, help string
	str             *string
	boolean         *bool
	dur             *time.Duration
	integer         *int
}

func (c *Config) specs() []flagSpec {
	return []flagSpec{
		{name: "listen", env: "LISTEN", help: "HTTP listen address", str: &c.Listen},
		{name: "db", env: "DB", help: "database DSN: empty = SQLite in the data dir; mysql://user:pass@host:3306/db, postgres://user@host:5432/db, sqlite://path/file.db", str: &c.DB},
		{name: "data-dir", env: "DATA_DIR", help: "directory for the SQLite database and backups", str: &c.DataDir},
		{name: "base-url", env: "BASE_URL", help: "public base URL of this server (default http://localhost<listen>)", str: &c.BaseURL},
		{name: "timezone", env: "TIMEZONE", help: "default site time zone (IANA name)", str: &c.Timezone},
		{name: "log-level", env: "LOG_LEVEL", help: "log level: debug, info, warn, error", str: &c.LogLevel},
		{name: "log-format", env: "LOG_FORMAT", help: "log format: text or json", str: &c.LogFormat},
		{name: "demo", env: "DEMO", help: "seed a demo campus and run simulated chargers against this server", boolean: &c.Demo},
		{name: "wechat-app-id", env: "WECHAT_APP_ID", help: "WeChat app id; enables WeChat login and disables the development phone login", str: &c.WeChatAppID},
		{name: "wechat-secret", env: "WECHAT_SECRET", help: "WeChat app secret", str: &c.WeChatSecret},
		{name: "wechat-base-url", env: "WECHAT_BASE_URL", help: "WeChat API base URL", str: &c.WeChatBaseURL},
		{name: "session-ttl", env: "SESSION_TTL", help: "how long a login stays valid", dur: &c.SessionTTL},
		{name: "accept-unknown-chargers", env: "ACCEPT_UNKNOWN_CHARGERS", help: "accept unregistered chargers as Pending, listed for an operator to approve (otherwise refused at the handshake)", boolean: &c.AcceptUnknownChargers},
		{name: "map-tile-url", env: "MAP_TILE_URL", help: "map tile URL template for the driver app ({z}/{x}/{y}); empty shows the offline campus plan", str: &c.MapTileURL},
		{name: "wechatpay-mchid", env: "WECHATPAY_MCHID", help: "WeChat Pay merchant id; enables WeChat Pay (otherwise payments use the sandbox simulator)", str: &c.WeChatPayMchID},
		{name: "wechatpay-apiv3-key", env: "WECHATPAY_APIV3_KEY", help: "WeChat Pay API v3 key (32 bytes)", str: &c.WeChatPayAPIv3Key},
		{name: "wechatpay-cert-serial", env: "WECHATPAY_CERT_SERIAL", help: "serial number of the merchant API certificate", str: &c.WeChatPayCertSerial},
		{name: "wechatpay-private-key", env: "WECHATPAY_PRIVATE_KEY", help: "path of the merchant API private key (apiclient_key.pem)", str: &c.WeChatPayPrivateKey},
		{name: "wechatpay-public-key", env: "WECHATPAY_PUBLIC_KEY", help: "path of the WeChat Pay public key (PEM)", str: &c.WeChatPayPublicKey},
		{name: "wechatpay-public-key-id", env: "WECHATPAY_PUBLIC_KEY_ID", help: "id of the WeChat Pay public key (PUB_KEY_ID_…)", str: &c.WeChatPayPublicKeyID},
		{name: "wechatpay-platform-cert", env: "WECHATPAY_PLATFORM_CERT", help: "path of a WeChat Pay platform certificate (instead of the public key)", str: &c.WeChatPayPlatformCert},
		{name: "wechatpay-api-base-url", env: "WECHATPAY_API_BASE_URL", help: "WeChat Pay API base URL (tests)", str: &c.WeChatPayAPIBaseURL},
		{name: "unpaid-window", env: "UNPAID_WINDOW", help: "drivers with a bill unpaid for longer than this cannot start charging", dur: &c.UnpaidWindow},
		{name: "backup-every", env: "BACKUP_EVERY", help: "back the SQLite database up this often into <data-dir>/backups (0 = never)", dur: &c.BackupEvery},
		{name: "backup-keep", env: "BACKUP_KEEP", help: "how many backups to keep", integer: &c.BackupKeep},
		{name: "abandon-after", env: "ABANDON_AFTER", help: "close (and flag) sessions whose charger sent nothing for this long", dur: &c.AbandonAfter},
	}
}

// Load reads the environment (environ as from os.Environ), then the flags in
// args (flags win), and validates the result. The returned error wraps
// flag.ErrHelp for -h.
func Load(fs *flag.FlagSet, args, environ []string) (Config, error) {
	var c Config
	envs := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "CAMPUSCHARGE_") {
			envs[k] = v
		}
	}
	if err := env.ParseWithOptions(&c, env.Options{Prefix: "CAMPUSCHARGE_", Environment: envs}); err != nil {
		return c, fmt.Errorf("read environment: %w", err)
	}
	c.Bind(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	return c, nil
}

// Bind registers every setting as a flag on fs, with the current values as
// defaults and the environment variable named in the help text.
func (c *Config) Bind(fs *flag.FlagSet) {
	for _, s := range c.specs() {
		help := fmt.Sprintf("%s (env CAMPUSCHARGE_%s)", s.help, s.env)
		switch {
		case s.str != nil:
			fs.StringVar(s.str, s.name, *s.str, help)
		case s.boolean != nil:
			fs.BoolVar(s.boolean, s.name, *s.boolean, help)
		case s.dur != nil:
			fs.DurationVar(s.dur, s.name, *s.dur, help)
		case s.integer != nil:
			fs.IntVar(s.integer, s.name, *s.integer, help)
		}
	}
}

// Validate checks the settings and fills derived defaults.
func (c *Config) Validate() error {
	var errs []error
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		errs = append(errs, fmt.Errorf("--timezone %q: %w", c.Timezone, err))
	}
	if _, err := c.SlogLevel(); err != nil {
		errs = append(errs, err)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("--log-format %q: want text or json", c.LogFormat))
	}
	if c.AbandonAfter < time.Hour {
		errs = append(errs, fmt.Errorf("--abandon-after must be at least 1h"))
	}
	if c.BackupEvery < 0 || (c.BackupEvery > 0 && c.BackupEvery < time.Minute) {
		errs = append(errs, fmt.Errorf("--backup-every must be 0 (off) or at least 1m"))
	}
	if c.BackupKeep < 1 {
		c.BackupKeep = 7
	}
	if c.SessionTTL <= 0 {
		errs = append(errs, fmt.Errorf("--session-ttl must be positive"))
	}
	if c.WeChatPayMchID != "" && (c.WeChatAppID == "" || len(c.WeChatPayAPIv3Key) != 32 || c.WeChatPayCertSerial == "" || c.WeChatPayPrivateKey == "" || (c.WeChatPayPublicKey == "" && c.WeChatPayPlatformCert == "")) {
		errs = append(errs, fmt.Errorf("WeChat Pay needs --wechat-app-id, a 32-byte --wechatpay-apiv3-key, --wechatpay-cert-serial, --wechatpay-private-key and --wechatpay-public-key (or --wechatpay-platform-cert)"))
	}
	if c.WeChatAppID != "" && c.WeChatSecret == "" {
		errs = append(errs, fmt.Errorf("--wechat-secret is required with --wechat-app-id"))
	}
	if c.BaseURL == "" {
		host := c.Listen
		if strings.HasPrefix(host, ":") {
			host = "localhost" + host
		}
		c.BaseURL = "http://" + host
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return errors.Join(errs...)
}

// Location returns the default site time zone.
func (c Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// SlogLevel parses LogLevel.
func (c Config) SlogLevel() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return l, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.LogLevel)
	}
	return l, nil
}
