package apperr

// schedulingMessages are the messages of the scheduling service.
var schedulingMessages = map[string]message{}
