package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/spf13/pflag"
	"io"
	"log/slog"
	"sort"
	"strings"
)

// app is what every subcommand gets from main: its output streams, its
// environment and a logger. Tests build one around buffers.
type app struct {
	stdout  io.Writer
	stderr  io.Writer
	environ []string
	logger  *slog.Logger
}

func newApp(stdout, stderr io.Writer, environ []string) *app {
	return &app{
		stdout:  stdout,
		stderr:  stderr,
		environ: environ,
		logger:  slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
	}
}

// quiet returns a logger for commands whose output is data: warnings and
// errors only.
func (a *app) quiet() *slog.Logger {
	return slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// getenv returns the value of an environment variable, or "".
func (a *app) getenv(name string) string {
	for _, kv := range a.environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v
		}
	}
	return ""
}

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, a *app, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"parse":    {"parse report files or URLs and print what they state", runParse},
		"crawl":    {"crawl the registered sources into the archive and the warehouse", runCrawl},
		"query":    {"run a read-only SQL query or a saved comparison query", runQuery},
		"migrate":  {"create or upgrade the warehouse schema", runMigrate},
		"simulate": {"serve simulated government portals on loopback", runSimulate},
		"demo":     {"simulate portals, crawl, load and compare, end to end", runDemo},
		"sources":  {"validate, import and list the source registry", runSources},
		"reparse":  {"parse the WARC archive again with this parser and load the reports", runReparse},
		"refresh":  {"rebuild the comparison tables (agency years, compliance, report stats)", runRefresh},
		"show":     {"print a report's figures with their locators and its archived capture", runShow},
		"export":   {"export a query in parquet, csv or jsonl, or an archived payload", runExport},
		"schedule": {"run incremental crawls on a cron schedule (default: the legal calendar)", runSchedule},
	}
}

// errUsage marks a command-line mistake; it exits with code 2.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, a *app) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(a.stdout, cmds)
		if len(args) == 0 {
			return fmt.Errorf("%w: no command given", errUsage)
		}
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		usage(a.stderr, cmds)
		return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
	}
	err := c.run(ctx, a, args[1:])
	if errors.Is(err, pflag.ErrHelp) {
		return nil
	}
	return err
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("nianbao: government information disclosure annual reports, crawled, archived, parsed and compared.\n\n")
	b.WriteString("Usage: nianbao COMMAND [flags] [args]\n\nCommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-10s %s\n", n, cmds[n].summary)
	}
	b.WriteString("\nRun 'nianbao COMMAND --help' for a command's flags.\n")
	io.WriteString(w, b.String())
}

// Exit codes.
const (
	exitFailure = 1
	exitUsage   = 2
)

func exitCode(err error) int {
	switch {
	case errors.Is(err, errUsage):
		return exitUsage
	default:
		return exitFailure
	}
}
