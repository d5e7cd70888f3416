package apperr

// supportMessages are the messages of the support service.
var supportMessages = map[string]message{}
