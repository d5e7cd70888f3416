package wechatpay

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wechatpay-apiv3/wechatpay-go/core"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/signers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/auth/verifiers"
	"github.com/wechatpay-apiv3/wechatpay-go/core/consts"
	"github.com/wechatpay-apiv3/wechatpay-go/core/option"
	"github.com/wechatpay-apiv3/wechatpay-go/utils"

	"campuscharge/internal/clock"
	"campuscharge/internal/payment"
)

// Name is the WeChat Pay provider's name.
const Name = "wechatpay"

// DefaultAPIBaseURL is WeChat Pay's API server.
const DefaultAPIBaseURL = consts.WechatPayAPIServer

// requestTimeout bounds one API call.
const requestTimeout = 15 * time.Second

// Config configures the WeChat Pay provider. Keys may be given as values or
// as PEM file paths; values win.
type Config struct {
	// MchID is the merchant id (商户号).
	MchID string
	// AppID is the app id the payer's OpenID belongs to (公众号/小程序 AppID).
	AppID string
	// APIv3Key is the merchant's API v3 key: exactly 32 bytes.
	APIv3Key string
	// MchCertSerial is the serial number of the merchant API certificate.
	MchCertSerial string
	// MchPrivateKey is the merchant API private key.
	MchPrivateKey *rsa.PrivateKey
	// MchPrivateKeyPath is the PEM file of the merchant API private key
	// (apiclient_key.pem), used when MchPrivateKey is nil.
	MchPrivateKeyPath string
	// PublicKeyID is the id of the WeChat Pay public key ("PUB_KEY_ID_…"),
	// which WeChat Pay sends as Wechatpay-Serial.
	PublicKeyID string
	// PublicKey is the WeChat Pay public key.
	PublicKey *rsa.PublicKey
	// PublicKeyPath is the PEM file of the WeChat Pay public key, used when
	// PublicKey is nil.
	PublicKeyPath string
	// PlatformCert is a WeChat Pay platform certificate, for merchants not yet
	// moved to the public key; either it or the public key (or both) is needed.
	PlatformCert *x509.Certificate
	// PlatformCertPath is the PEM file of the platform certificate, used when
	// PlatformCert is nil.
	PlatformCertPath string
	// NotifyURL is the full https URL of our notify endpoint, i.e. the site's
	// base URL + payment.NotifyPath("wechatpay").
	NotifyURL string
	// APIBaseURL is the API server; defaults to DefaultAPIBaseURL. Tests point
	// it at a fake server.
	APIBaseURL string
	// HTTPClient sends the API calls; defaults to a client with a 15 s timeout.
	HTTPClient *http.Client
	// Clock gives the time for JSAPI signatures and notification freshness;
	// defaults to clock.Real.
	Clock clock.Clock
}

// Provider is the WeChat Pay API v3 provider. It is safe for concurrent use.
type Provider struct {
	mchID     string
	appID     string
	apiV3Key  string
	notifyURL string
	client    *core.Client
	verifier  auth.Verifier
	clock     clock.Clock
}

var _ payment.Provider = (*Provider)(nil)

// New checks cfg, loads the keys and returns the provider.
func New(ctx context.Context, cfg Config) (*Provider, error) {
	if err := cfg.load(); err != nil {
		return nil, fmt.Errorf("wechatpay config: %w", err)
	}
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("wechatpay config: %w", err)
	}
	var verifier auth.Verifier
	switch {
	case cfg.PublicKey != nil && cfg.PlatformCert != nil:
		verifier = verifiers.NewSHA256WithRSACombinedVerifier(core.NewCertificateMapWithList([]*x509.Certificate{cfg.PlatformCert}), cfg.PublicKeyID, *cfg.PublicKey)
	case cfg.PublicKey != nil:
		verifier = verifiers.NewSHA256WithRSAPubkeyVerifier(cfg.PublicKeyID, *cfg.PublicKey)
	default:
		verifier = verifiers.NewSHA256WithRSAVerifier(core.NewCertificateMapWithList([]*x509.Certificate{cfg.PlatformCert}))
	}
	hc, err := apiHTTPClient(cfg.HTTPClient, cfg.APIBaseURL)
	if err != nil {
		return nil, fmt.Errorf("wechatpay config: %w", err)
	}
	client, err := core.NewClient(ctx,
		option.WithSigner(&signers.SHA256WithRSASigner{MchID: cfg.MchID, CertificateSerialNo: cfg.MchCertSerial, PrivateKey: cfg.MchPrivateKey}),
		option.WithVerifier(verifier),
		option.WithHTTPClient(hc),
	)
	if err != nil {
		return nil, fmt.Errorf("wechatpay client: %w", err)
	}
	p := &Provider{
		mchID: cfg.MchID, appID: cfg.AppID, apiV3Key: cfg.APIv3Key, notifyURL: cfg.NotifyURL,
		client: client, verifier: verifier, clock: cfg.Clock,
	}
	if p.clock == nil {
		p.clock = clock.Real{}
	}
	return p, nil
}

// load reads the keys given as paths.
func (c *Config) load() error {
	var err error
	if c.MchPrivateKey == nil && c.MchPrivateKeyPath != "" {
		if c.MchPrivateKey, err = utils.LoadPrivateKeyWithPath(c.MchPrivateKeyPath); err != nil {
			return fmt.Errorf("merchant private key %s: %w", c.MchPrivateKeyPath, err)
		}
	}
	if c.PublicKey == nil && c.PublicKeyPath != "" {
		if c.PublicKey, err = utils.LoadPublicKeyWithPath(c.PublicKeyPath); err != nil {
			return fmt.Errorf("wechatpay public key %s: %w", c.PublicKeyPath, err)
		}
	}
	if c.PlatformCert == nil && c.PlatformCertPath != "" {
		if c.PlatformCert, err = utils.LoadCertificateWithPath(c.PlatformCertPath); err != nil {
			return fmt.Errorf("platform certificate %s: %w", c.PlatformCertPath, err)
		}
	}
	return nil
}

// check reports the first missing or malformed setting.
func (c *Config) check() error {
	switch {
	case c.MchID == "":
		return errors.New("merchant id is required")
	case c.AppID == "":
		return errors.New("app id is required")
	case len(c.APIv3Key) != 32:
		return fmt.Errorf("API v3 key has %d bytes, want 32", len(c.APIv3Key))
	case c.MchCertSerial == "":
		return errors.New("merchant certificate serial number is required")
	case c.MchPrivateKey == nil:
		return errors.New("merchant private key is required")
	case c.PublicKey == nil && c.PlatformCert == nil:
		return errors.New("the WeChat Pay public key or a platform certificate is required")
	case c.PublicKey != nil && c.PublicKeyID == "":
		return errors.New("the WeChat Pay public key id is required with the public key")
	}
	u, err := url.Parse(c.NotifyURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
		return fmt.Errorf("notify URL %q must be an absolute URL without a query", c.NotifyURL)
	}
	return nil
}

// apiHTTPClient returns the client for API calls. The SDK's services always
// address DefaultAPIBaseURL, so for another base URL the client's transport
// sends those requests there instead; the signatures cover only the path and
// query, so they stay valid.
func apiHTTPClient(hc *http.Client, base string) (*http.Client, error) {
	if hc == nil {
		hc = &http.Client{Timeout: requestTimeout}
	}
	if base == "" || strings.TrimRight(base, "/") == DefaultAPIBaseURL {
		return hc, nil
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("API base URL %q must be an absolute http(s) URL", base)
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c := *hc
	c.Transport = rehost{scheme: u.Scheme, host: u.Host, next: next}
	return &c, nil
}

// rehost is a transport that sends requests for the default API host to
// another host.
type rehost struct {
	scheme, host string
	next         http.RoundTripper
}

// RoundTrip rewrites the request's scheme and host and sends it on.
func (t rehost) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != strings.TrimPrefix(DefaultAPIBaseURL, "https://") {
		return t.next.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = t.scheme, t.host, t.host
	return t.next.RoundTrip(r)
}
