// Package account provides users, roles and permissions, staff password
// login with lockout, driver login with WeChat (or a development phone login
// when WeChat is not configured), and revocable login tokens. It is the only
// place permissions are decided. It must not know about HTTP.
package account
