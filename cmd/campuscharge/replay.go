package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"campuscharge/internal/replay"
	_ "time/tzdata" // scenario and tariff time zones load on machines without a zoneinfo database
)

// cmdReplay runs a dispatch scenario file on a fake clock and prints what
// happens (internal/replay): `campuscharge replay scenario.json`, or "-"
// for standard input.
func cmdReplay(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: campuscharge replay scenario.json (or - for standard input)")
	}
	r := stdin
	if args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			return fmt.Errorf("replay: %w", err)
		}
		defer f.Close()
		r = f
	}
	if err := replay.Run(r, stdout, replay.TariffPricer{}); err != nil {
		return fmt.Errorf("replay %s: %w", args[0], err)
	}
	return nil
}
