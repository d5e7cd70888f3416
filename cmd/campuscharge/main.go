// Command campuscharge runs Campus Charge: the OCPP 1.6J gateway, REST API
// and web UI in one binary, plus its tools (sim, migrate, user, openapi, version).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `campuscharge — EV charging for a campus, in one binary.

Usage:
  campuscharge serve [flags]          run the server (campuscharge serve --help for every setting)
  campuscharge sim --url WS --chargers N --password-file FILE [--register …]
                                      run simulated OCPP 1.6J chargers (campuscharge sim --help)
  campuscharge migrate up|status      apply or list database migrations
  campuscharge user create --role R --name N [--password P]
                                      create a staff account (password generated if omitted)
  campuscharge backup [--out FILE]   back the SQLite database up (MySQL/PostgreSQL: prints the dump command)
  campuscharge restore FILE           replace the SQLite database with a checked backup (server stopped)
  campuscharge openapi                print the OpenAPI 3.1 document of the REST API
  campuscharge replay scenario.json   replay a dispatch scenario on a fake clock and print queues and bills
  campuscharge version                print the version

Every flag also reads a CAMPUSCHARGE_* environment variable; a flag wins.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "campuscharge:", err)
		os.Exit(1)
	}
}

// run executes one subcommand.
func run(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, environ, stdout, stderr)
	case "sim":
		return cmdSim(ctx, rest, environ, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, environ, stdout, stderr)
	case "user":
		return cmdUser(ctx, rest, environ, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, rest, environ, stdout, stderr)
	case "restore":
		return cmdRestore(ctx, rest, environ, stdout, stderr)
	case "openapi":
		return cmdOpenAPI(stdout)
	case "replay":
		return cmdReplay(rest, os.Stdin, stdout)
	case "version":
		fmt.Fprintln(stdout, "campuscharge", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
