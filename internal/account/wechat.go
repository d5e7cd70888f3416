package account

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"campuscharge/internal/apperr"
)

// WeChat exchanges WeChat login codes for openids: jscode2session for mini
// program codes and the OAuth access_token call for the in-app browser.
// BaseURL is configurable so tests can run against a fake server.
type WeChat struct {
	AppID   string
	Secret  string
	BaseURL string
	Client  *http.Client
}

// NewWeChat returns a WeChat client with a 10-second timeout.
func NewWeChat(appID, secret, baseURL string) *WeChat {
	return &WeChat{AppID: appID, Secret: secret, BaseURL: strings.TrimRight(baseURL, "/"), Client: &http.Client{Timeout: 10 * time.Second}}
}

// Exchange turns a login code into the user's openid. source is
// "miniprogram" (wx.login) or "oauth" (official account web OAuth).
func (w *WeChat) Exchange(ctx context.Context, code, source string) (string, error) {
	code = strings.TrimSpace(code)
	if code == "" || len(code) > 128 {
		return "", apperr.Field("body.code", "required")
	}
	q := url.Values{"appid": {w.AppID}, "secret": {w.Secret}, "grant_type": {"authorization_code"}}
	var path string
	switch source {
	case "", "miniprogram":
		path = "/sns/jscode2session"
		q.Set("js_code", code)
	case "oauth":
		path = "/sns/oauth2/access_token"
		q.Set("code", code)
	default:
		return "", apperr.Field("body.source", "invalid_input")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, w.BaseURL+path+"?"+q.Encode(), nil)
	if err != nil {
		return "", fmt.Errorf("wechat request: %w", err)
	}
	resp, err := w.Client.Do(req)
	if err != nil {
		return "", apperr.Wrap(err, apperr.Unavailable, "wechat_failed", "network")
	}
	defer resp.Body.Close()
	var body struct {
		OpenID  string `json:"openid"`
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 1<<16)).Decode(&body); err != nil {
		return "", apperr.Wrap(err, apperr.Unavailable, "wechat_failed", "bad response")
	}
	if body.ErrCode != 0 || body.OpenID == "" {
		return "", apperr.New(apperr.Unauthorized, "wechat_failed", fmt.Sprintf("%d %s", body.ErrCode, body.ErrMsg))
	}
	return body.OpenID, nil
}
