"""Chinese for the install area (issue 20): the server extra, the GBK console."""

ZH = {
"This command is part of the exchange server, which this install of hnsubmit leaves out (missing: {modules}).":
    "该命令属于信息交换服务器,当前安装的 hnsubmit 不含服务器组件(缺少:{modules})。",
'Install the server extra: pip install "hnsubmit[server]" (pipx: pipx install "hnsubmit[server]").':
    '请安装服务器扩展:pip install "hnsubmit[server]"(使用 pipx 时:pipx install "hnsubmit[server]")。',
}
