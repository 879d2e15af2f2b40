// Command nianbao crawls, archives, parses, stores and compares China's
// government information disclosure annual reports.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], newApp(os.Stdout, os.Stderr, os.Environ()))
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "nianbao:", err)
		os.Exit(exitCode(err))
	}
}
