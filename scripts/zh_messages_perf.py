"""Chinese translations of the interface strings of issue 19 (close to the machine): `check --jobs`."""

ZH = {
# hnsubmit check --jobs
"Check files in N processes at once (default: the number of cores, at most 4).": "同时用几个进程检查文件(默认:处理器核数,最多 4 个)。",
}
