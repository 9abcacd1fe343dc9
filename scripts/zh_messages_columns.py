"""Chinese translations of column freshness and expiry (issue 15 §3, §4): `report columns`, `report expired`,
`admin column list|set`, and what `status` tells a unit (render/columns.py)."""

ZH = {
# render/columns.py: states, types, headings
"up to date": "正常",
"about to go stale": "即将超期",
"stale": "已超期",
"news and dynamic": "动态要闻类",
"notices and policy documents": "通知公告政策文件类",
"other": "其他",
"Column": "栏目",
"Type": "类型",
"Limit (days)": "期限(天)",
"Responsible units": "责任单位",
"Last published item": "最近发布的信息",
"Published on": "发布时间",
"Days since": "已过天数",
"Days left": "剩余天数",
"State": "状态",
"Published this quarter": "本季度发布",
"By unit": "按单位",
"Submission": "报送编号",
"Unit": "单位",
"Title": "标题",
"Expires": "失效日期",
"Days past": "已过期天数",
"never updated": "从未更新",
"column_id": "栏目代码",
"{first} and others, {total} units": "{first}等 {total} 个单位",
"Column updates, {quarter}, as of {date}": "栏目更新情况,{quarter},截至 {date}",
"Limits: news and dynamic columns 14 days, notices and policy documents 6 months (2019 inspection indicators), unless the office set others; a column is about to go stale when a fifth of its limit or less is left, at least 3 days.":
    "期限:动态、要闻类栏目 14 天,通知公告、政策文件类栏目 6 个月(2019 年政府网站检查指标),州政府办公室另有设定的除外;剩余天数不超过期限的五分之一(至少 3 天)时为“即将超期”。",
"{overdue} stale, {due_soon} about to go stale, {ok} up to date": "已超期 {overdue} 个,即将超期 {due_soon} 个,正常 {ok} 个",
"No published item is past its expiry date (as of {date}).": "没有已过失效日期的已发布信息(截至 {date})。",
"Published items past their expiry date, as of {date}: to withdraw": "已过失效日期的已发布信息(截至 {date}),应撤回",
"Column {column}: {since} days since its last published item, {left} day(s) left before it goes stale (limit {limit} days).":
    "栏目“{column}”距上次发布已 {since} 天,还剩 {left} 天即超期(期限 {limit} 天)。",
"Column {column}: stale, {since} days since its last published item, {over} day(s) over its limit of {limit} days.":
    "栏目“{column}”已超期:距上次发布已 {since} 天,超过期限 {over} 天(期限 {limit} 天)。",
"Nothing published yet in {columns}: they count as stale.": "栏目 {columns} 尚无已发布的信息,按未更新计算。",
"{id} {title}: expiry date {date}, expired, please withdraw it (`hnsubmit withdraw {id}`).":
    "{id} {title}:失效日期 {date},已过期,请撤回(`hnsubmit withdraw {id}`)。",
# cli/commands/report.py
"YYYY-Qn (or YYYYQn), e.g. 2026-Q4: the quarter whose publications are counted, as `report quarter` counts it; default: this quarter.":
    "季度,如 2026-Q4(也可写 2026Q4):统计该季度发布的信息,与 `report quarter` 的季度相同;默认:本季度。",
"Write to this file (xlsx default: 栏目更新-QUARTER.xlsx).": "写入此文件(xlsx 默认:栏目更新-季度.xlsx)。",
"Each column: its responsible units, last published item, days since, state (up to date, about to go stale, stale) and the quarter's count.":
    "每个栏目:责任单位、最近发布的信息、已过天数、状态(正常、即将超期、已超期)和本季度发布数。",
"table or csv.": "table(表格)或 csv。",
"Published items past their expiry date (失效日期), for their units to withdraw.": "已过失效日期的已发布信息,由报送单位撤回。",
# cli/commands/admin.py
"The portal's columns: each one's type and the most days it may go without a published item (栏目更新).":
    "门户网站栏目:每个栏目的类型和最长不更新天数(栏目更新)。",
"List the columns with their type and limit in days.": "列出栏目及其类型和期限(天)。",
"The column id, e.g. county-news (see `admin column list`).": "栏目代码,如 county-news(见 `admin column list`)。",
"news (news and dynamic columns, default 14 days), notice (notices and policy documents, 180 days) or other (365 days).":
    "`news`(动态、要闻类栏目,默认 14 天)、`notice`(通知公告、政策文件类栏目,180 天)或 `other`(其他栏目,365 天)。",
"The most days the column may go without a published item.": "栏目最长可以多少天不发布信息。",
"Set a column's type and its limit in days; a type alone takes that type's default limit.":
    "设定栏目的类型和期限(天);只给类型时采用该类型的默认期限。",
"Give --type, --max-days or both.": "请给出 --type、--max-days 或两者。",
"Column {column}: type {kind}, at most {days} days without a published item": "栏目 {column}:类型 {kind},最长 {days} 天不发布信息",
# cli/commands/demo.py
"9b. column updates (栏目更新): each column's last published item and days left": "9b. 栏目更新:每个栏目最近发布的信息和剩余天数",
}
