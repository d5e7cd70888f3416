package account

import "slices"

// Role is a user's role.
type Role string

// The roles.
const (
	RoleAdmin      Role = "admin"
	RoleOperator   Role = "operator"
	RoleMaintainer Role = "maintainer"
	RoleSupport    Role = "support"
	RoleDriver     Role = "driver"
)

// Roles lists every role, most powerful first.
func Roles() []Role {
	return []Role{RoleAdmin, RoleOperator, RoleMaintainer, RoleSupport, RoleDriver}
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// Staff reports whether r is a staff role (anything but driver).
func (r Role) Staff() bool { return r.Valid() && r != RoleDriver }

// Permission names something an endpoint needs.
type Permission string

// The permissions. Every API operation declares one of them (or none, for
// public endpoints).
const (
	// PermSelf: any logged-in user, acting on their own data.
	PermSelf Permission = "self"
	// PermUsersRead: list and view users.
	PermUsersRead Permission = "users.read"
	// PermUsersWrite: create staff, change roles, block and unblock.
	PermUsersWrite Permission = "users.write"
	// PermAuditRead: read the audit log.
	PermAuditRead Permission = "audit.read"
	// PermSitesWrite: create and edit sites and their settings.
	PermSitesWrite Permission = "sites.write"
	// PermChargersRead: see chargers, connectors and their live state as staff.
	PermChargersRead Permission = "chargers.read"
	// PermChargersWrite: register, edit and approve chargers.
	PermChargersWrite Permission = "chargers.write"
	// PermChargersControl: send remote commands to chargers.
	PermChargersControl Permission = "chargers.control"
	// PermTariffsWrite: edit tariffs.
	PermTariffsWrite Permission = "tariffs.write"
	// PermOrdersRead: read every session and bill.
	PermOrdersRead Permission = "orders.read"
	// PermOrdersWrite: adjust and refund bills.
	PermOrdersWrite Permission = "orders.write"
	// PermFaultsWrite: handle alarms and maintenance tasks.
	PermFaultsWrite Permission = "faults.write"
	// PermSupportWrite: answer feedback and chat with drivers.
	PermSupportWrite Permission = "support.write"
	// PermStatsRead: read statistics and reports.
	PermStatsRead Permission = "stats.read"
	// PermSystemWrite: settings, backups and other system administration.
	PermSystemWrite Permission = "system.write"
)

// grants is what each role may do besides PermSelf; admin may do everything.
var grants = map[Role][]Permission{
	RoleOperator:   {PermUsersRead, PermUsersWrite, PermSitesWrite, PermChargersRead, PermChargersWrite, PermChargersControl, PermTariffsWrite, PermOrdersRead, PermOrdersWrite, PermStatsRead},
	RoleMaintainer: {PermChargersRead, PermFaultsWrite},
	RoleSupport:    {PermUsersRead, PermOrdersRead, PermSupportWrite},
}

// Can reports whether role r holds permission p. An empty permission is public.
func (r Role) Can(p Permission) bool {
	switch {
	case p == "":
		return true
	case !r.Valid():
		return false
	case r == RoleAdmin || p == PermSelf:
		return true
	}
	return slices.Contains(grants[r], p)
}
