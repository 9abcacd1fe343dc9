"""Chinese translations for issue 12 "the first hour of a liaison" (login, outbox, hints, fix table), merged by fill_zh_catalog.py."""

ZH = {
# config file (item 3) and profile recording (item 1)
"Unknown key `{key}` in the configuration file {path}; known keys: {known}.": "配置文件 {path} 中有未知的键 `{key}`;可用的键:{known}。",
"The configuration file {path} holds a token (`{key}`); tokens are never read from it.": "配置文件 {path} 中写有令牌(`{key}`);令牌从不从配置文件读取。",
"Remove it and run `hnsubmit login`, or set HNSUBMIT_TOKEN.": "请删除它,然后运行 `hnsubmit login`,或设置环境变量 HNSUBMIT_TOKEN。",
"The configuration file {path} cannot be written: {problem}": "无法写入配置文件 {path}:{problem}",
"Recorded the endpoint and unit in profile {profile} of {path}: push, status and whoami need no flags now.": "已把接口地址和单位记入 {path} 的配置 {profile}:之后 push、status、whoami 无需再加参数。",
# file store for tokens (item 2)
"No usable keyring on this machine: run `hnsubmit login` (it keeps the token in a file readable only by you), or set the environment variable HNSUBMIT_TOKEN.": "本机没有可用的系统密钥环:请运行 `hnsubmit login`(令牌将保存在只有您本人可读的文件中),或设置环境变量 HNSUBMIT_TOKEN。",
"The token file {path} cannot be read: {problem}": "无法读取令牌文件 {path}:{problem}",
"The token file {path} cannot be written: {problem}": "无法写入令牌文件 {path}:{problem}",
"Warning: no system keyring is usable on this machine.": "警告:本机没有可用的系统密钥环。",
"The token will be kept in the file {path}, readable only by you (as git's credential store does).": "令牌将保存在文件 {path} 中,只有您本人可读(与 git 的凭据存储方式相同)。",
"Store the token in this file?": "把令牌保存在这个文件中吗?",
"Nothing was stored.": "没有保存任何内容。",
"Set the environment variable HNSUBMIT_TOKEN to the unit's token instead.": "请改为把本单位的令牌设置到环境变量 HNSUBMIT_TOKEN 中。",
"Stored the token of unit {unit} for {endpoint} in the file {path}.": "已把单位 {unit} 在 {endpoint} 的令牌保存到文件 {path}。",
}
ZH.update({
# office commands on a data folder (item 5)
"The folder {path} holds no exchange data.": "文件夹 {path} 中没有交换接口数据。",
"Point at the server's data folder with --data DIR or the variable HNSUBMIT_EXCHANGE_DATA (`hnsubmit serve` prints it when it starts: data: …).": "请用 --data DIR 或环境变量 HNSUBMIT_EXCHANGE_DATA 指向交换接口的数据文件夹(`hnsubmit serve` 启动时会显示它:data: …)。",
})
ZH.update({
# outbox (item 6)
"queued": "排队中",
"uploading": "上传中",
"delivered": "已送达",
"If the endpoint is wrong: `hnsubmit outbox retry --endpoint URL {ids}`; to give these up: `hnsubmit outbox drop {ids}`.": "如果接口地址有误:`hnsubmit outbox retry --endpoint 地址 {ids}`;放弃这些条目:`hnsubmit outbox drop {ids}`。",
"The exchange at {endpoint} could not be reached ({problem}).": "无法连接交换接口 {endpoint}({problem})。",
"Outbox item {id} was already delivered to {endpoint}; push the folder again to send it elsewhere.": "待发箱条目 {id} 已送达 {endpoint};如需报送到其他地址,请重新 push 该文件夹。",
"endpoint / unit": "接口地址 / 单位",
# Ctrl-C (item 7)
"Interrupted: the items are kept in the outbox and the original files are untouched; continue with `hnsubmit outbox retry`.": "已中断:条目保留在待发箱中,原文件未改动;继续发送:`hnsubmit outbox retry`。",
"Interrupted: nothing was sent and the original files are untouched; run the same `hnsubmit push` again.": "已中断:没有发送任何内容,原文件未改动;请重新运行同一条 `hnsubmit push`。",
"Interrupted: each file was either repaired whole or left untouched; run the same `hnsubmit fix` again to continue.": "已中断:每个文件要么已完整修复,要么未被改动;重新运行同一条 `hnsubmit fix` 即可继续。",
"Interrupted: the original files are untouched; the copies made so far are in {outdir}; run the same `hnsubmit fix` again to continue.": "已中断:原文件未改动,已生成的副本在 {outdir} 中;重新运行同一条 `hnsubmit fix` 即可继续。",
})
ZH.update({
# hints that are right (item 12)
"Nothing was sent: correct the findings above first, as their hints say.": "未发送任何内容:请先按提示改正上面的问题。",
"Warning: the folder holds {count} files; one submission takes at most {limit}. Split it into several folders, or keep only the files to publish.": "警告:文件夹中有 {count} 个文件,一条报送最多 {limit} 个。请分成几个文件夹分别报送,或只保留要发布的文件。",
})
ZH.update({
# fix table (item 13) and repeated hints (item 14)
"{written} written, {manual} to fix by hand, {failed} failed, {clean} needed nothing ({total} files).": "共 {total} 个文件:已写入修复后的副本 {written} 个,需手工处理 {manual} 个,失败 {failed} 个,无需修复 {clean} 个。",
"(the same for {count} findings of {code}; shown once)": "({code} 共 {count} 处相同,此提示只显示一次)",
})
ZH.update({
"nothing is running at that address and port": "该地址和端口上没有服务在运行",
"the host name cannot be resolved": "无法解析主机名",
"the connection got no answer": "连接没有应答",
})
