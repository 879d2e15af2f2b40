package main

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/nianbao/nianbao/config"
)

// flags is a subcommand's flag set plus the flags that set configuration
// keys, which config.Load applies over the file and the environment.
type flags struct {
	*pflag.FlagSet
	configFile *string
	keys       map[string]*pflag.Flag
}

// newFlags returns a flag set for a subcommand, with --config and a usage
// line.
func newFlags(a *app, name, usage, summary string) *flags {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.SortFlags = false
	f := &flags{FlagSet: fs, keys: map[string]*pflag.Flag{}}
	f.configFile = fs.String("config", "", "YAML configuration file (default $NIANBAO_CONFIG or ./nianbao.yaml)")
	fs.Usage = func() {
		fmt.Fprintf(a.stderr, "Usage: nianbao %s %s\n\n%s\n\nFlags:\n", name, usage, summary)
		fs.PrintDefaults()
	}
	return f
}

// key declares a string flag that sets configuration key.
func (f *flags) key(key, name, usage string) {
	f.String(name, "", usage)
	f.keys[key] = f.Lookup(name)
}

// warehouseFlag declares --warehouse.
func (f *flags) warehouseFlag() {
	f.key("warehouse.dsn", "warehouse", "warehouse DSN: chdb://DIR (embedded, default chdb://./nianbao-data/warehouse) or clickhouse://host:9000/db")
}

// load returns the configuration: defaults, file, environment, flags.
func (f *flags) load(a *app) (config.Config, error) {
	file := *f.configFile
	if file == "" {
		file = config.FileFromEnv(a.getenv)
	}
	set := map[string]*pflag.Flag{}
	for k, fl := range f.keys {
		if fl.Changed {
			set[k] = fl
		}
	}
	return config.Load(config.Options{File: file, Env: a.environ, Flags: set})
}

// parse parses args, mapping a bad flag to a usage error.
func (f *flags) parse(args []string) error {
	if err := f.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			return err
		}
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	return nil
}
