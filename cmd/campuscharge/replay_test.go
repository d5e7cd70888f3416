package main

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReplayCommand runs the replay subcommand on the replay package's
// scenarios and compares its output with their golden files.
func TestReplayCommand(t *testing.T) {
	for _, name := range []string{"plain", "fault_priority", "single_batch"} {
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile("../../internal/replay/testdata/" + name + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			if err := run(context.Background(), []string{"replay", "../../internal/replay/testdata/" + name + ".json"}, nil, &out, &errOut); err != nil {
				t.Fatalf("replay: %v (%s)", err, errOut.String())
			}
			if diff := cmp.Diff(string(want), out.String()); diff != "" {
				t.Errorf("replay output differs from golden (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), []string{"replay", "no-such-file.json"}, nil, &out, &errOut); err == nil {
			t.Errorf("got no error for a missing scenario, want one")
		}
	})
}
