package apperr

// supportMessages are the messages of feedback, chat, statistics, backups and
// system status.
var supportMessages = map[string]message{
	"feedback_not_found": {"Feedback not found.", "反馈不存在。"},
	"feedback_closed":    {"This feedback is closed.", "该反馈已关闭。"},
	"bad_category":       {"Category must be one of %s.", "类别须为 %s 之一。"},
	"body_required":      {"Please write something.", "请填写内容。"},
	"body_too_long":      {"At most %d characters.", "最多 %d 个字符。"},
	"too_many_photos":    {"At most %d photos.", "最多 %d 张照片。"},
	"bad_photo":          {"A photo must be a base64 JPEG, PNG, WebP or GIF image.", "照片须为 base64 编码的 JPEG、PNG、WebP 或 GIF 图片。"},
	"photo_too_large":    {"A photo may be at most %d MB.", "每张照片不能超过 %d MB。"},
	"photo_not_found":    {"Photo not found.", "照片不存在。"},
	"chat_needs_driver":  {"Name the driver whose conversation this is.", "请指定要对话的车主。"},
	"bad_cursor":         {"Invalid page cursor.", "分页游标无效。"},
	"bad_period":         {"The period must start before it ends and span at most %d days.", "统计区间的开始须早于结束，且不超过 %d 天。"},
	"backup_engine":      {"Built-in backups are for SQLite; back up %s with its own tool (%s).", "内置备份仅适用于 SQLite；请使用 %s 自带的工具备份（%s）。"},
	"backup_not_found":   {"Backup not found.", "备份不存在。"},
	"backup_failed":      {"The backup failed: %s", "备份失败：%s"},
}
