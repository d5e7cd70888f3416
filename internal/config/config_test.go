package config

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, args, environ []string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return Load(fs, args, environ)
}

func TestDefaults(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != ":8080" || c.DataDir != "./data" || c.Timezone != "Asia/Shanghai" || c.DB != "" {
		t.Errorf("defaults: listen %q data dir %q zone %q db %q; want :8080, ./data, Asia/Shanghai, empty", c.Listen, c.DataDir, c.Timezone, c.DB)
	}
	if c.BaseURL != "http://localhost:8080" {
		t.Errorf("base URL %q, want http://localhost:8080 derived from the listen address", c.BaseURL)
	}
	if c.Location().String() != "Asia/Shanghai" {
		t.Errorf("location %v", c.Location())
	}
}

func TestFlagWinsOverEnvironment(t *testing.T) {
	env := []string{"CAMPUSCHARGE_LISTEN=:9001", "CAMPUSCHARGE_TIMEZONE=Europe/Berlin", "CAMPUSCHARGE_SESSION_TTL=2h", "OTHER_LISTEN=:1"}
	c, err := load(t, nil, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != ":9001" || c.Timezone != "Europe/Berlin" || c.SessionTTL != 2*time.Hour {
		t.Errorf("from the environment: listen %q zone %q ttl %v", c.Listen, c.Timezone, c.SessionTTL)
	}
	c, err = load(t, []string{"--listen", "127.0.0.1:9002", "--base-url", "https://charge.example.edu/"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:9002" {
		t.Errorf("listen %q, want the flag's 127.0.0.1:9002", c.Listen)
	}
	if c.Timezone != "Europe/Berlin" {
		t.Errorf("zone %q: the environment should still apply where no flag is given", c.Timezone)
	}
	if c.BaseURL != "https://charge.example.edu" {
		t.Errorf("base URL %q, want the trailing slash trimmed", c.BaseURL)
	}
}

func TestInvalidSettingsAreNamed(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  []string
		want string
	}{
		{args: []string{"--timezone", "Mars/Olympus"}, want: "--timezone"},
		{args: []string{"--log-format", "xml"}, want: "--log-format"},
		{args: []string{"--log-level", "loud"}, want: "--log-level"},
		{args: []string{"--abandon-after", "10m"}, want: "--abandon-after"},
		{args: []string{"--backup-every", "10s"}, want: "--backup-every"},
		{args: []string{"--wechat-app-id", "wx123"}, want: "--wechat-secret"},
		{args: []string{"--wechatpay-mchid", "190000"}, want: "WeChat Pay needs"},
		{env: []string{"CAMPUSCHARGE_SESSION_TTL=soon"}, want: `invalid duration "soon"`},
	} {
		_, err := load(t, tc.args, tc.env)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %v: got error %v, want one naming %q", tc.args, tc.env, err, tc.want)
		}
	}
}

func TestHelpListsEveryFlagWithItsVariable(t *testing.T) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var out bytes.Buffer
	fs.SetOutput(&out)
	if _, err := Load(fs, []string{"--help"}, nil); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: got %v, want flag.ErrHelp", err)
	}
	var c Config
	for _, s := range c.specs() {
		if !strings.Contains(out.String(), "-"+s.name) || !strings.Contains(out.String(), "CAMPUSCHARGE_"+s.env) {
			t.Errorf("--help does not document -%s with CAMPUSCHARGE_%s", s.name, s.env)
		}
	}
	for _, name := range []string{"listen", "db", "data-dir", "base-url", "timezone", "log-level", "log-format", "demo"} {
		if fs.Lookup(name) == nil {
			t.Errorf("no flag --%s", name)
		}
	}
}
