"""Chinese translations of the exchange server's interface strings (serve, admin fsck), issue 11."""

ZH = {
    "Checking blobs": "正在校验文件",
    "Checked {count} blob files ({size} bytes).": "已校验 {count} 个文件(共 {size} 字节)。",
    "damaged: {digest} (its bytes hash to {actual})": "损坏:{digest}(实际内容的摘要为 {actual})",
    "[quarantined]": "[已隔离]",
    "missing: {digest}": "缺失:{digest}",
    "unreferenced: {digest}": "无引用:{digest}",
    "affects submissions {ids}: {digest}": "影响报送 {ids}:{digest}",
    "The blob store is sound.": "文件库完好。",
    "Run again with --repair to quarantine the damaged blobs; the units' next push uploads them again.":
        "加 --repair 再运行一次即可隔离损坏的文件;各单位下次报送时会重新上传。",
    "WARNING: serving plain HTTP on {host}, which is not this machine's loopback: tokens and content "
    "cross the network unencrypted. Use --tls-cert/--tls-key, or put an HTTPS proxy in front and "
    "listen on 127.0.0.1.":
        "警告:正在 {host} 上以明文 HTTP 提供服务,这不是本机回环地址:凭据和报送内容将以明文经过网络。"
        "请使用 --tls-cert/--tls-key,或在前面放置 HTTPS 反向代理并只监听 127.0.0.1。",
    "--tls-key needs --tls-cert.": "--tls-key 须与 --tls-cert 一起使用。",
    "Cannot use the TLS certificate {path}: {problem}": "无法使用 TLS 证书 {path}:{problem}",
    "Refused credentials a minute per client address (half that per token prefix) before 429.":
        "每个客户端地址每分钟允许的凭据验证失败次数(每个令牌前缀为其一半),超过后回答 429。",
}
