package apperr

// schedulingMessages are the messages of the scheduling service.
var schedulingMessages = map[string]message{
	"queue_full":                {"The waiting area is full. Please try again later.", "等候区已满，请稍后再试。"},
	"no_charger_of_mode":        {"This site has no charger of that kind.", "该站点没有此类型的充电桩。"},
	"already_queued":            {"You are already in a queue.", "您已在排队中。"},
	"ticket_not_found":          {"Queue ticket not found.", "排队号不存在。"},
	"ticket_placed":             {"You already have a place at a charger; you can only cancel now.", "您已被分配到充电桩，现在只能取消。"},
	"ticket_not_called":         {"Your number has not been called yet.", "尚未叫到您的号。"},
	"reservation_active":        {"You already have an active reservation.", "您已有一个有效的预约。"},
	"too_many_no_shows":         {"Reservations are closed to you this month after %d no-shows.", "本月您已爽约 %d 次，暂不能预约。"},
	"charger_no_site":           {"This charger belongs to no site and cannot be reserved.", "该充电桩不属于任何站点，无法预约。"},
	"connector_not_free":        {"This connector is not free.", "该充电枪当前不空闲。"},
	"no_free_charger":           {"No charger of that kind is free; join the queue instead.", "暂无空闲的此类充电桩，请排队。"},
	"reservation_not_found":     {"Reservation not found.", "预约不存在。"},
	"reservation_is_queue_hold": {"This hold belongs to your queue number; cancel the queue number instead.", "该保留属于您的排队号，请取消排队号。"},
	"reservation_not_active":    {"This reservation is no longer active.", "该预约已失效。"},
	"bad_strategy":              {"Strategy must be priority or time_order.", "调度策略须为 priority 或 time_order。"},
	"bad_batch_mode":            {"Batch mode must be none, single_batch or batch.", "批量模式须为 none、single_batch 或 batch。"},
	"bad_load_policy":           {"Load policy must be fair or favour_busy.", "功率分配策略须为 fair 或 favour_busy。"},
	"connector_reserved":        {"This connector is reserved for another driver.", "该充电枪已被其他用户预约。"},
}
