// Package testutil holds helpers shared by tests: fresh, migrated databases
// on every configured engine. It is imported only from _test.go files.
package testutil
