// Command ferretdb runs FerretDB v1 with the SQLite backend for Ruche's local stack and tests.
//
// It embeds FerretDB as a library rather than building cmd/ferretdb: that command panics when
// built from the module proxy, because its build/version/version.txt is not in the module zip.
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	addr := flag.String("listen-addr", "127.0.0.1:27018", "TCP address to listen on")
	dir := flag.String("sqlite-dir", "", "directory for the SQLite databases (created if missing)")
	level := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		log.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))

	if *dir == "" {
		log.Fatal("-sqlite-dir is required")
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		log.Fatal(err)
	}
	if err = os.MkdirAll(abs, 0o755); err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *addr},
		Logger:    logger,
		Handler:   "sqlite",
		// The SQLite handler wants a directory URI ending in "/". WAL with synchronous=NORMAL: a commit does not
		// wait for fsync (a crash of this process loses nothing; a power cut may lose the last commits), which
		// suits a development and test database and halves the cost of each write.
		SQLiteURL: "file:" + abs + "/?_pragma=synchronous(NORMAL)",
	})
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("FerretDB listening on %s, data in %s", *addr, abs)
	if err = f.Run(ctx); err != nil {
		log.Fatal(err)
	}
	log.Print("FerretDB stopped")
}
