"""Chinese translations of the proofreading (PRF) interface strings: `hnsubmit proof`, the
`--terms/--leaders` options of `check`, and the errors of reading the lists."""

ZH = {
# errors of the lists (hnsubmit/checks/proofing/lists.py)
"The proofing list {source} does not exist": "校对词表 {source} 不存在",
"The proofing list {source} is larger than 20 MB": "校对词表 {source} 超过 20 MB",
"The proofing list {source} cannot be read: {problems}": "无法读取校对词表 {source}：{problems}",
"The proofing list {source} has no correct form on line {line}": "校对词表 {source} 第 {line} 行没有正确写法",
"The leaders list {source} has no title on line {line}": "领导名单 {source} 第 {line} 行没有职务",
# hnsubmit proof
"Lists in effect (later ones override earlier ones):": "当前生效的词表(后面的覆盖前面的):",
"wrong": "错误写法",
"correct": "正确写法",
"leader": "姓名",
"position": "职务",
"No leaders list: PRF007 and PRF008 are not checked (use --leaders or the policy's [proofing] leaders).": "没有领导名单:不检查 PRF007 和 PRF008(用 --leaders 或策略的 [proofing] leaders 指定)。",
"A proof copy is written for .docx files only: {path}": "校对稿只能为 .docx 文件生成:{path}",
"Save the file as .docx in Word or WPS first.": "请先在 Word 或 WPS 中另存为 .docx。",
"The proof copy must not replace the original: {path}": "校对稿不能覆盖原文件:{path}",
"{count} comments written to {path} ({elsewhere} at the start of the body for text in headers, footers or text boxes).": "已写入 {count} 条批注到 {path}(其中 {elsewhere} 条针对页眉、页脚或文本框中的文字,放在正文开头)。",
# review show
"proofreading (PRF)": "文字校对(PRF)",
"nothing found": "未发现问题",
}
