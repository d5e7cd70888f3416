// Package backup provides backups of the SQLite database: the lock a
// serving process holds on its data directory, timestamped backup files in
// dataDir/backups (made now or on a schedule, the oldest pruned), their
// listing and download, and restoring a checked backup in place of the
// database while keeping the old one as .bak. It must not restore over a
// database a running server holds, and it does not back up MySQL or
// PostgreSQL (their own tools do; store.DumpHint says how).
package backup
