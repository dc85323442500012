package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/engine/postgres"
	"github.com/ttx-dev/ttx/engine/sqlite"
)

// envDB is the variable that names the database of every command that takes --db, for
// container platforms; --db beats it.
const envDB = "TTX_DB"

// dbUsage is the help of every --db flag; the flag package adds the default.
const dbUsage = "the exercises' database: an SQLite file or a postgres:// URL (without the flag: " + envDB + " when set)"

// dbFlag defines --db on fs, whose value, once fs is parsed, chooseDB turns into the database
// to open.
func dbFlag(fs *flag.FlagSet, def string) *string {
	return fs.String("db", def, dbUsage)
}

// chooseDB is the database a command opens: --db when given, else env (TTX_DB's value) when
// set, else the flag's default.
func chooseDB(fs *flag.FlagSet, value, env string) string {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "db" })
	if !given && env != "" {
		return env
	}
	return value
}

// isPostgres reports whether db is a PostgreSQL URL rather than an SQLite file.
func isPostgres(db string) bool { return postgres.IsURL(db) }

// showDB is db as logs and messages may show it: a URL without its password.
func showDB(db string) string {
	if isPostgres(db) {
		return postgres.Redact(db)
	}
	return db
}

// openStore opens the store db names: PostgreSQL for a postgres:// or postgresql:// URL, else
// the SQLite file at that path. With mustExist the SQLite file must exist already: a report of
// a mistyped path would create an empty database and find nothing in it.
func openStore(ctx context.Context, db string, mustExist bool) (engine.Store, error) {
	if isPostgres(db) {
		return postgres.Open(ctx, db)
	}
	if mustExist {
		if _, err := os.Stat(db); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("no database at %s: give the file ttx serve uses with --db FILE", db)
			}
			return nil, err
		}
	}
	return sqlite.Open(db)
}
