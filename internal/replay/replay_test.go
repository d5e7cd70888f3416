package replay

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("got %d scenarios (err %v), want some", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := Run(bytes.NewReader(in), &out, TariffPricer{}); err != nil {
				t.Fatalf("run: %v", err)
			}
			golden := strings.TrimSuffix(f, ".json") + ".golden"
			if *update {
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if d := cmp.Diff(string(want), out.String()); d != "" {
				t.Errorf("output (-want +got):\n%s", d)
			}
		})
	}
}

// flatPricer charges 1 fen per Wh of energy and 1 fen per 10 Wh of service.
type flatPricer struct{}

func (flatPricer) Price(from, to time.Time, wh int64) (int64, int64, error) {
	if to.Before(from) {
		return 0, 0, errors.New("backwards")
	}
	return wh, wh / 10, nil
}

func TestRunReport(t *testing.T) {
	const scenario = `{"name":"one car","start":"2025-03-03T00:00:00Z","waiting_capacity":1,"queue_length":1,"strategy":"priority",
	 "chargers":[{"id":"A","mode":"fast","power_w":30000}],
	 "events":[{"at":"0m","type":"request","car":"c1","mode":"fast","energy_wh":30000},
	           {"at":"0m","type":"request","car":"c2","mode":"fast","energy_wh":1000},
	           {"at":"0m","type":"request","car":"c3","mode":"fast","energy_wh":1000},
	           {"at":"30m","type":"advance"}]}`
	var out bytes.Buffer
	if err := Run(strings.NewReader(scenario), &out, flatPricer{}); err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, want := range []string{
		"refused c3: waiting area full",
		"A: F1 c1 charging 15.000 kWh/30.000 kWh fee 165.00", // 15000 + 1500 fen
		"F1     c1       A       2025-03-03 00:00:00 2025-03-03 01:00:00 30.000 kWh    300.00     30.00    330.00  finished",
		"A              2     1h2m0s 31.000 kWh    310.00     31.00    341.00",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("got report without %q:\n%s", want, out.String())
		}
	}
}

func TestRunRejectsBadScenarios(t *testing.T) {
	tests := []struct{ name, in string }{
		{"not json", `{`},
		{"unknown field", `{"nmae":"x"}`},
		{"bad site", `{"start":"2025-03-03T00:00:00Z","queue_length":0,"strategy":"priority"}`},
		{"bad offset", `{"start":"2025-03-03T00:00:00Z","queue_length":1,"strategy":"priority","events":[{"at":"soon","type":"advance"}]}`},
		{"out of order", `{"start":"2025-03-03T00:00:00Z","queue_length":1,"strategy":"priority","events":[{"at":"2m","type":"advance"},{"at":"1m","type":"advance"}]}`},
		{"unknown type", `{"start":"2025-03-03T00:00:00Z","queue_length":1,"strategy":"priority","events":[{"at":"1m","type":"explode"}]}`},
		{"unknown zone", `{"time_zone":"Mars/Olympus","start":"2025-03-03T00:00:00Z","queue_length":1,"strategy":"priority"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Run(strings.NewReader(tt.in), &bytes.Buffer{}, flatPricer{}); err == nil {
				t.Errorf("got no error, want one")
			}
		})
	}
}
