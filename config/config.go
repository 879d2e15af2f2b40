package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/nianbao/nianbao/archive"
	"github.com/nianbao/nianbao/crawler"
	"github.com/nianbao/nianbao/ingest"
	"github.com/nianbao/nianbao/parser"
	"github.com/nianbao/nianbao/warehouse"
)

// EnvPrefix starts every environment variable that sets a key.
const EnvPrefix = "NIANBAO_"

// Config is the whole program's configuration.
type Config struct {
	// DataDir holds what a run produces by default: the archive and the
	// embedded warehouse.
	DataDir string `mapstructure:"data_dir"`
	// Sources is the path of the sources registry (YAML).
	Sources   string           `mapstructure:"sources"`
	Crawler   crawler.Config   `mapstructure:"crawler"`
	Archive   archive.Config   `mapstructure:"archive"`
	Parser    parser.Config    `mapstructure:"parser"`
	Ingest    ingest.Config    `mapstructure:"ingest"`
	Warehouse warehouse.Config `mapstructure:"warehouse"`
	// Schedule is when `nianbao schedule` crawls.
	Schedule Schedule `mapstructure:"schedule"`
	// Runtime tunes the garbage collector of crawl and schedule.
	Runtime Runtime `mapstructure:"runtime"`
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	a := archive.DefaultConfig()
	a.Dir = "./nianbao-data/archive"
	return Config{
		DataDir:   "./nianbao-data",
		Sources:   "sources.yaml",
		Crawler:   crawler.DefaultConfig(),
		Archive:   a,
		Parser:    parser.DefaultConfig(),
		Ingest:    ingest.DefaultConfig(),
		Warehouse: warehouse.DefaultConfig(),
		Schedule:  DefaultSchedule(),
		Runtime:   DefaultRuntime(),
	}
}

// Validate reports every problem with c.
func (c Config) Validate() error {
	var errs []error
	if strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, errors.New("data_dir: must not be empty"))
	}
	errs = append(errs, c.Crawler.Validate(), c.Archive.Validate(), c.Parser.Validate(), c.Ingest.Validate(), c.Warehouse.Validate(), c.Schedule.Validate(), c.Runtime.Validate())
	return errors.Join(errs...)
}

// Options says where to load from.
type Options struct {
	// File is a YAML file; empty means none. A named file that does not
	// exist is an error.
	File string
	// Env is the environment, as os.Environ returns it.
	Env []string
	// Flags maps keys to command-line flags; a flag overrides its key only
	// when it was set on the command line.
	Flags map[string]*pflag.Flag
}

// Load builds the configuration from defaults, the file, the environment
// and flags, in increasing order of precedence, and validates it. Unknown
// keys in the file are errors.
func Load(opts Options) (Config, error) {
	v := viper.New()
	def := Default()
	keys := leafKeys(reflect.ValueOf(def), "")
	for k, val := range keys {
		v.SetDefault(k, val)
	}
	if opts.File != "" {
		v.SetConfigFile(opts.File)
		v.SetConfigType("yaml")
		if err := v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("config file %s: %w", opts.File, err)
		}
	}
	env := envOverrides(opts.Env, keys)
	if len(env) > 0 {
		if err := v.MergeConfigMap(env); err != nil {
			return Config{}, fmt.Errorf("environment: %w", err)
		}
	}
	for key, f := range opts.Flags {
		if _, ok := keys[key]; !ok {
			return Config{}, fmt.Errorf("flag --%s: bound to unknown key %q", f.Name, key)
		}
		if err := v.BindPFlag(key, f); err != nil {
			return Config{}, fmt.Errorf("flag --%s: %w", f.Name, err)
		}
	}
	var c Config
	if err := v.UnmarshalExact(&c); err != nil {
		return Config{}, fmt.Errorf("config%s: %w", where(opts.File), err)
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("config%s: %w", where(opts.File), err)
	}
	return c, nil
}

func where(file string) string {
	if file == "" {
		return ""
	}
	return " " + file
}

// envOverrides returns the keys set by NIANBAO_* variables, as a nested map
// for viper's config layer.
func envOverrides(env []string, keys map[string]any) map[string]any {
	byVar := make(map[string]string, len(keys))
	for k := range keys {
		byVar[EnvPrefix+strings.ToUpper(strings.ReplaceAll(k, ".", "_"))] = k
	}
	out := map[string]any{}
	for _, kv := range env {
		name, val, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		key, known := byVar[name]
		if !known {
			continue
		}
		m := out
		parts := strings.Split(key, ".")
		for _, p := range parts[:len(parts)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[p] = next
			}
			m = next
		}
		m[parts[len(parts)-1]] = val
	}
	return out
}

// leafKeys returns every configurable key of a struct (by mapstructure tag)
// with its default value.
func leafKeys(v reflect.Value, prefix string) map[string]any {
	out := map[string]any{}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
		if name == "" || name == "-" {
			continue
		}
		key := prefix + name
		fv := v.Field(i)
		if fv.Kind() == reflect.Struct && fv.Type() != reflect.TypeOf(time.Time{}) {
			for k, val := range leafKeys(fv, key+".") {
				out[k] = val
			}
			continue
		}
		out[key] = fv.Interface()
	}
	return out
}

// Keys returns every configuration key, for documentation and flag binding.
func Keys() []string {
	keys := leafKeys(reflect.ValueOf(Default()), "")
	out := make([]string, 0, len(keys))
	for k := range keys {
		out = append(out, k)
	}
	return out
}

// FileFromEnv returns the config file named by NIANBAO_CONFIG, or
// "nianbao.yaml" when that exists in the working directory, or "".
func FileFromEnv(getenv func(string) string) string {
	if f := getenv(EnvPrefix + "CONFIG"); f != "" {
		return f
	}
	if _, err := os.Stat("nianbao.yaml"); err == nil {
		return "nianbao.yaml"
	}
	return ""
}
