"""Chinese for the lead's small fixes between the areas (transport failures in words)."""

ZH = {
    "the connection was refused or the host could not be reached": "连接被拒绝或无法到达该主机",
    "the connection timed out": "连接超时",
    "no answer came in time": "未在规定时间内收到应答",
    "the data could not be sent in time": "未能在规定时间内发出数据",
    "no connection was free in time": "未能在规定时间内获得空闲连接",
    "the connection broke off": "连接中断",
    "the connection broke off in the middle of an answer": "应答传输中途连接中断",
}
ZH["Waiting {wait:.0f} s before trying again: {reason}. Ctrl-C stops; the items stay in the outbox."] = (
    "等待 {wait:.0f} 秒后重试:{reason}。按 Ctrl-C 可中止,条目仍留在发件箱中。")
ZH["none stored: run `hnsubmit login`"] = "尚未保存:请运行 `hnsubmit login`"
ZH["Type, date published, days since and the count by unit: in a wider terminal or with --format csv|xlsx."] = (
    "栏目类型、发布时间、已过天数和按单位统计:请在更宽的终端中查看,或使用 --format csv|xlsx。")
ZH["A newer hnsubmit has used this data folder: run that version (or a newer one) here."] = (
    "较新版本的 hnsubmit 已使用过此数据目录:请在这里运行该版本(或更新的版本)。")
