// Package config loads nianbao's configuration: defaults from each
// package's DefaultConfig, overridden by a YAML file, then by NIANBAO_*
// environment variables, then by command-line flags. It is the only package
// besides cmd that uses viper, and it uses a private viper instance, never
// the global one.
//
// Keys are the YAML paths, e.g. crawler.delay; the environment variable
// for a key is NIANBAO_ followed by the key upper-cased with dots as
// underscores, e.g. NIANBAO_CRAWLER_DELAY=2s or NIANBAO_WAREHOUSE_DSN.
package config
