package apperr

// maintenanceMessages are the messages of the maintenance service.
var maintenanceMessages = map[string]message{
	"alarm_not_found": {"Alarm not found.", "告警不存在。"},
	"alarm_resolved":  {"This alarm is already resolved.", "该告警已处理完毕。"},
	"alarm_has_task":  {"This alarm already has an open repair task (%s).", "该告警已有未完成的维修任务（%s）。"},
	"bad_assignee":    {"Assign to a maintainer or administrator.", "只能指派给运维人员或管理员。"},
	"task_not_found":  {"Task not found.", "任务不存在。"},
	"task_closed":     {"This task is already closed (%s).", "该任务已结束（%s）。"},
	"bad_task_kind":   {"Kind must be repair, maintenance or cleaning.", "任务类型须为维修（repair）、保养（maintenance）或清洁（cleaning）。"},
	"bad_window":      {"The window must end after it starts.", "时间窗口的结束时间须晚于开始时间。"},
	"photo_too_large": {"The photo must be at most %d MB.", "照片不能超过 %d MB。"},
	"bad_photo":       {"The photo must be a JPEG, PNG, WebP or GIF image.", "照片须为 JPEG、PNG、WebP 或 GIF 图片。"},
	"photo_not_found": {"This task has no photo.", "该任务没有照片。"},
	"bad_base64":      {"Not valid base64.", "不是有效的 base64 编码。"},
}
