"""Chinese translations for issue 11, client side ("nothing lost, nothing forged"), merged by fill_zh_catalog.py."""

ZH = {
# transport: server answers mapped to errors
"The exchange refused the request ({status} {code}): {message}": "交换服务器拒绝了请求({status} {code}):{message}",
"The exchange did not accept the token ({status} {code}): {message}": "交换服务器不接受该令牌({status} {code}):{message}",
"the exchange is busy (too many requests)": "交换服务器繁忙(请求过多)",
"the exchange is temporarily unavailable": "服务器暂时不可用",
"the exchange's storage is full": "服务器存储空间不足",
"the exchange answered with a server error": "交换服务器内部出错",
"the exchange asked to try again": "交换服务器要求稍后重试",
"the connection failed": "连接失败",
"Check the endpoint (a proxy, gateway or login page may be in the way); the items stay in the outbox.": "请检查接口地址(中间可能有代理、网关或上网认证页面);条目仍留在发件箱中。",
"its compressed body cannot be decoded": "其压缩内容无法解码",
"The exchange's storage is full (HTTP 507): nothing was stored.": "服务器存储空间不足(HTTP 507):本次没有保存任何内容。",
"The items stay in the outbox; tell the portal office, then send them later with `hnsubmit outbox retry`.": "条目仍留在发件箱中;请告知门户网站办公室,稍后用 `hnsubmit outbox retry` 重新发送。",
"The exchange is temporarily unavailable (HTTP 503) and kept being so.": "服务器暂时不可用(HTTP 503),多次重试后仍然如此。",
"The exchange did not finish its answer within {seconds} s; the connection was closed.": "交换服务器未能在 {seconds} 秒内完成应答,连接已关闭。",
"its upload offset is missing or not a number": "其上传偏移量缺失或不是数字",
"The answer from {endpoint} is not an exchange answer: {problem}": "来自 {endpoint} 的应答不是交换服务器的应答:{problem}",
"The answer from {endpoint} is not an exchange answer: {problem} ({detail})": "来自 {endpoint} 的应答不是交换服务器的应答:{problem}({detail})",
"it is larger than the limit for an answer, in bytes": "其大小超过应答的上限(字节)",
"it is a redirect, which hnsubmit does not follow, so the token never goes elsewhere": "它是重定向;hnsubmit 不跟随重定向,令牌不会发往别处",
"it is not JSON": "它不是 JSON",
"it is JSON but not an object": "它是 JSON,但不是对象",
"one of its fields is missing or of the wrong type": "其中某个字段缺失或类型不对",
# plain http
"Refusing to send the token over plain http:// to {endpoint}: anyone on the way could read it.": "拒绝通过未加密的 http:// 向 {endpoint} 发送令牌:传输途中任何人都能读取它。",
"Use the https:// address of the exchange; only if there is truly no other way, pass --allow-http (or set `allow_http = true` in the profile).": "请使用交换服务器的 https:// 地址;只有确实别无他法时,才加 --allow-http(或在配置中设置 `allow_http = true`)。",
# receipts
"The exchange's receipt was not accepted: its field `{field}` is {got}, expected {expected}. The item was not marked sent.": "服务器的回执未通过核验:字段 `{field}` 为 {got},应为 {expected}。该条目没有标记为已发送。",
"The item stays in the outbox. Check the endpoint (a proxy or gateway may be answering instead of the exchange) and tell the portal office; `hnsubmit outbox retry` sends it again.": "该条目仍留在发件箱中。请检查接口地址(可能是代理或网关在代替交换服务器应答)并告知门户网站办公室;`hnsubmit outbox retry` 会重新发送。",
"a JSON object": "JSON 对象",
"(missing)": "(缺失)",
"an RFC 3339 time not in the future": "不晚于当前时间的 RFC 3339 时间",
"a different manifest": "不同的报送清单",
"the manifest as posted": "所发送的报送清单",
}
ZH.update({
# cli: settings, plain http warning, waits
"The setting {key} = {value} is not a number of seconds from {low} to {high}.": "设置项 {key} = {value} 不是 {low} 到 {high} 之间的秒数。",
"Warning: the token is sent unencrypted over plain http:// to {endpoint}; anyone on the way can read it. Use the https:// address.": "警告:令牌正通过未加密的 http:// 发送到 {endpoint},传输途中任何人都能读取。请使用 https:// 地址。",
"Waiting {wait:.0f} s before trying again: {reason} ({cause}). Ctrl-C stops; the items stay in the outbox.": "等待 {wait:.0f} 秒后重试:{reason}({cause})。按 Ctrl-C 可中止,条目仍留在发件箱中。",
})
