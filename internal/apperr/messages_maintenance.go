package apperr

// maintenanceMessages are the messages of the maintenance service.
var maintenanceMessages = map[string]message{}
