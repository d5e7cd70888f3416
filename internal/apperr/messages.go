package apperr

// message is one catalogue entry in both languages.
type message struct{ en, zh string }

// messages is the catalogue of user-facing messages: the core entries below
// and one map per area in messages_*.go. Keys are stable; the API returns the
// text in the request's language (zh-CN by default).
var messages = merge(coreMessages, schedulingMessages, maintenanceMessages, supportMessages)

func merge(maps ...map[string]message) map[string]message {
	out := map[string]message{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

var coreMessages = map[string]message{
	"internal":                {"Something went wrong on our side. Please try again.", "服务器内部错误，请稍后重试。"},
	"invalid_input":           {"The request is invalid.", "请求参数无效。"},
	"not_found":               {"Not found.", "未找到。"},
	"unauthorized":            {"Please log in.", "请先登录。"},
	"forbidden":               {"You do not have permission to do this.", "您没有执行此操作的权限。"},
	"conflict":                {"This conflicts with existing data.", "与已有数据冲突。"},
	"unavailable":             {"The service is unavailable.", "服务暂不可用。"},
	"rate_limited":            {"Too many requests. Please slow down.", "请求过于频繁，请稍后再试。"},
	"bad_credentials":         {"Wrong name or password.", "用户名或密码错误。"},
	"locked_out":              {"Too many failed attempts. Try again in %d minutes.", "登录失败次数过多，请 %d 分钟后再试。"},
	"account_blocked":         {"This account is blocked: %s", "该账号已被停用：%s"},
	"user_not_found":          {"User not found.", "用户不存在。"},
	"name_taken":              {"The name %q is already taken.", "用户名 %q 已被占用。"},
	"bad_role":                {"Unknown role %q.", "未知角色 %q。"},
	"role_not_allowed":        {"You may not manage administrators.", "您无权管理管理员账号。"},
	"cannot_change_self":      {"You cannot change your own role or block yourself.", "不能修改自己的角色或停用自己。"},
	"password_too_short":      {"The password must have at least %d characters.", "密码至少需要 %d 个字符。"},
	"wrong_old_password":      {"The current password is wrong.", "当前密码错误。"},
	"bad_name":                {"A name has 2 to 64 letters, digits, '.', '_' or '-'.", "用户名须为 2 到 64 个字母、数字、'.'、'_' 或 '-'。"},
	"bad_phone":               {"Enter an 11-digit mainland mobile number.", "请输入 11 位中国大陆手机号。"},
	"dev_login_disabled":      {"Phone login is disabled because WeChat login is configured.", "已配置微信登录，手机号开发登录已停用。"},
	"wechat_disabled":         {"WeChat login is not configured.", "未配置微信登录。"},
	"wechat_failed":           {"WeChat login failed: %s", "微信登录失败：%s"},
	"staff_only_password":     {"Only staff accounts have passwords.", "只有工作人员账号有密码。"},
	"body_too_large":          {"The request body is too large.", "请求内容过大。"},
	"charger_unknown":         {"Unknown charger %q.", "未登记的充电桩 %q。"},
	"charger_not_found":       {"Charger not found.", "充电桩不存在。"},
	"site_not_found":          {"Site not found.", "站点不存在。"},
	"session_not_found":       {"Charging session not found.", "充电记录不存在。"},
	"bad_code":                {"Use 1 to 64 letters, digits, '.', '_' or '-'.", "请使用 1 到 64 个字母、数字、'.'、'_' 或 '-'。"},
	"code_taken":              {"%q is already in use.", "%q 已被使用。"},
	"out_of_range":            {"Must be between %d and %d.", "取值须在 %d 到 %d 之间。"},
	"bad_timezone":            {"Unknown time zone %q.", "未知时区 %q。"},
	"bad_kind":                {"Kind must be fast or slow.", "类型须为快充（fast）或慢充（slow）。"},
	"bad_coordinates":         {"Latitude or longitude out of range.", "经纬度超出范围。"},
	"bad_connector":           {"Connector ids are 1 to 8, each once.", "枪号须为 1 到 8，且不能重复。"},
	"bad_connector_type":      {"Connector type must be one of %s.", "枪类型须为 %s 之一。"},
	"bad_card":                {"A card number has 4 to 20 letters or digits.", "卡号须为 4 到 20 位字母或数字。"},
	"card_taken":              {"This card is already linked to an account.", "该卡已绑定其他账号。"},
	"bad_command":             {"Unknown command %q.", "未知指令 %q。"},
	"charger_rejected":        {"The charger refused: %s.", "充电桩拒绝了请求：%s。"},
	"charger_error":           {"The charger answered with an error: %s %s", "充电桩返回错误：%s %s"},
	"start_not_confirmed":     {"The charger accepted but has not started charging yet. Is the cable plugged in?", "充电桩已接受指令，但尚未开始充电。请确认充电枪已插好。"},
	"connector_busy":          {"This connector is not free (%s).", "该充电枪当前不可用（%s）。"},
	"charger_not_ready":       {"This charger cannot be used now (%s).", "该充电桩当前不可用（%s）。"},
	"already_charging":        {"You already have a charging session running.", "您已有正在进行的充电。"},
	"not_your_session":        {"This is not your charging session.", "这不是您的充电记录。"},
	"session_not_active":      {"This charging session has already ended.", "该充电已结束。"},
	"unpaid_bill":             {"Please pay bill %s (¥%s) before charging again.", "请先支付账单 %s（¥%s）后再充电。"},
	"bill_not_found":          {"Bill not found.", "账单不存在。"},
	"not_your_bill":           {"This is not your bill.", "这不是您的账单。"},
	"bill_paid":               {"This bill is already paid.", "该账单已支付。"},
	"bad_provider":            {"Unknown payment provider %q.", "未知支付方式 %q。"},
	"amount_mismatch":         {"The paid amount does not match the bill.", "支付金额与账单不符。"},
	"bad_refund":              {"Refund between ¥0.01 and ¥%s.", "退款金额须在 ¥0.01 到 ¥%s 之间。"},
	"bad_adjustment":          {"The adjustment must not be zero nor bring the total (¥%s) below zero.", "调整金额不能为零，也不能使总额（¥%s）低于零。"},
	"tariff_not_found":        {"Tariff not found.", "电价方案不存在。"},
	"bad_tariff":              {"Invalid tariff: %s", "电价方案无效：%s"},
	"effective_in_past":       {"A new price cannot take effect in the past.", "新电价的生效时间不能早于现在。"},
	"payment_notify_rejected": {"Payment notification rejected.", "支付通知被拒绝。"},
	"required":                {"This field is required.", "此项为必填。"},
	"too_long":                {"At most %d characters.", "最多 %d 个字符。"},
	"charger_offline":         {"Charger %s is not connected.", "充电桩 %s 未连接。"},
	"charger_timeout":         {"Charger %s did not answer in time.", "充电桩 %s 响应超时。"},
}
