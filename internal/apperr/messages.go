package apperr

// message is one catalogue entry in both languages.
type message struct{ en, zh string }

// messages is the catalogue of user-facing messages. Keys are stable; the
// API returns the text in the request's language (zh-CN by default).
var messages = map[string]message{
	"internal":            {"Something went wrong on our side. Please try again.", "服务器内部错误，请稍后重试。"},
	"invalid_input":       {"The request is invalid.", "请求参数无效。"},
	"not_found":           {"Not found.", "未找到。"},
	"unauthorized":        {"Please log in.", "请先登录。"},
	"forbidden":           {"You do not have permission to do this.", "您没有执行此操作的权限。"},
	"conflict":            {"This conflicts with existing data.", "与已有数据冲突。"},
	"unavailable":         {"The service is unavailable.", "服务暂不可用。"},
	"rate_limited":        {"Too many requests. Please slow down.", "请求过于频繁，请稍后再试。"},
	"bad_credentials":     {"Wrong name or password.", "用户名或密码错误。"},
	"locked_out":          {"Too many failed attempts. Try again in %d minutes.", "登录失败次数过多，请 %d 分钟后再试。"},
	"account_blocked":     {"This account is blocked: %s", "该账号已被停用：%s"},
	"user_not_found":      {"User not found.", "用户不存在。"},
	"name_taken":          {"The name %q is already taken.", "用户名 %q 已被占用。"},
	"bad_role":            {"Unknown role %q.", "未知角色 %q。"},
	"role_not_allowed":    {"You may not manage administrators.", "您无权管理管理员账号。"},
	"cannot_change_self":  {"You cannot change your own role or block yourself.", "不能修改自己的角色或停用自己。"},
	"password_too_short":  {"The password must have at least %d characters.", "密码至少需要 %d 个字符。"},
	"wrong_old_password":  {"The current password is wrong.", "当前密码错误。"},
	"bad_name":            {"A name has 2 to 64 letters, digits, '.', '_' or '-'.", "用户名须为 2 到 64 个字母、数字、'.'、'_' 或 '-'。"},
	"bad_phone":           {"Enter an 11-digit mainland mobile number.", "请输入 11 位中国大陆手机号。"},
	"dev_login_disabled":  {"Phone login is disabled because WeChat login is configured.", "已配置微信登录，手机号开发登录已停用。"},
	"wechat_disabled":     {"WeChat login is not configured.", "未配置微信登录。"},
	"wechat_failed":       {"WeChat login failed: %s", "微信登录失败：%s"},
	"staff_only_password": {"Only staff accounts have passwords.", "只有工作人员账号有密码。"},
	"body_too_large":      {"The request body is too large.", "请求内容过大。"},
	"required":            {"This field is required.", "此项为必填。"},
	"too_long":            {"At most %d characters.", "最多 %d 个字符。"},
	"charger_offline":     {"Charger %s is not connected.", "充电桩 %s 未连接。"},
	"charger_timeout":     {"Charger %s did not answer in time.", "充电桩 %s 响应超时。"},
}
