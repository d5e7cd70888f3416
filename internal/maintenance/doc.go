// Package maintenance is the service for faults, alarms and maintenance and
// cleaning tasks. It raises alarms from what the charging service publishes
// (error codes and Faulted statuses, chargers going offline, failed remote
// commands, meter anomalies), merges recurrences, and lets staff acknowledge,
// assign and resolve them. It schedules repair, maintenance and cleaning
// tasks (one-off or recurring), takes a charger out of service for a task's
// window through OCPP ChangeAvailability and puts it back when the task is
// done. State lives in the database so a restart loses nothing. It must not
// know about HTTP or WebSockets, nor talk to chargers other than through the
// charging service.
package maintenance
