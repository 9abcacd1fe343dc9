"""Chinese translations of the office's commands at a distance and the adoption report (issue 15 §1, §5):
`review`, `report weekly|quarter`, `admin unit|token` over the network, the office token at login,
and the columns of the 督查通报 / 考核 tables (render/reports.py)."""

ZH = {
# hnsubmit/cli/office.py: the shared options
"The exchange endpoint URL, to work at a distance with a reviewer or admin token (default: the profile's `endpoint`).": "交换接口地址,用审核人员或管理员令牌远程操作(默认:配置档案中的 `endpoint`)。",
"Data directory of the exchange server (default: HNSUBMIT_EXCHANGE_DATA or the user data folder). Given, the command works on the server's own data folder instead of over the network.": "交换接口服务器的数据目录(默认:HNSUBMIT_EXCHANGE_DATA 或用户数据文件夹)。指定后,命令直接在服务器本机的数据目录上操作,不经网络。",
"Not a valid quarter (YYYY-Qn, e.g. 2026-Q4): {quarter}": "不是有效的季度(YYYY-Qn,例如 2026-Q4):{quarter}",
# hnsubmit/client/office.py: what a 403 says
"This token may not review submissions: it is not a reviewer or admin token of the portal office.": "此令牌无权审核报送信息:它不是州政府办公室审核人员或管理员的令牌。",
"This token may not read the office's reports: it is not a reviewer or admin token of the portal office.": "此令牌无权查看州政府办公室的通报:它不是审核人员或管理员的令牌。",
"This token may not manage units and tokens: that needs an admin token of the portal office.": "此令牌无权管理单位和令牌:这需要州政府办公室管理员的令牌。",
"Ask the portal office for a token of that role, then run `hnsubmit login --endpoint URL` (without --unit) and paste it, or set HNSUBMIT_TOKEN.": "请向州政府办公室申领相应角色的令牌,然后运行 `hnsubmit login --endpoint 地址`(不带 --unit)并粘贴令牌,或设置环境变量 HNSUBMIT_TOKEN。",
"Not a valid unit code: {code}": "单位代码无效:{code}",
# hnsubmit login with an office token
"Stored the office's token for {endpoint} ({place}): review, report and admin work over the network now.": "已保存 {endpoint} 的州政府办公室令牌({place}):review、report 和 admin 现在可以通过网络使用。",
# review
"Policy TOML file instead of the built-in default (with --data; over the network the server proofreads with the office's lists).": "使用此策略文件(TOML)代替内置默认策略(仅配合 --data;通过网络时由服务器用州政府办公室的词表校对)。",
"Show one submission: metadata, files, the history of its states and its proofreading (PRF).": "显示一条报送信息:基本信息、文件、状态变更记录和文字校对(PRF)结果。",
"--policy, --terms and --leaders work with --data only: over the network the exchange proofreads with the office's own lists.": "--policy、--terms 和 --leaders 只能配合 --data 使用:通过网络时,交换接口用州政府办公室自己的词表校对。",
# admin
"Units and tokens of the exchange server (over the network with an admin token, or on its data directory).": "交换接口的单位和令牌(用管理员令牌通过网络操作,或直接操作其数据目录)。",
# report weekly | quarter
"Per unit: items sent, approved, published, rejected, the adoption rate, whether the week's minimum of 3 was met, and the points.": "按单位统计:报送、已审批、采用、退回条数,采用率,是否达到每周至少 3 条,以及得分。",
"Per unit over a quarter: items sent, approved, published, rejected, the adoption rate, weeks that met the minimum of 3, and the points.": "按单位统计一个季度:报送、已审批、采用、退回条数,采用率,达到每周至少 3 条的周数,以及得分。",
"YYYY-Qn, e.g. 2026-Q4: the ISO weeks whose Thursday falls in the quarter (Asia/Shanghai); default: this quarter.": "YYYY-Qn,例如 2026-Q4:周四落在该季度内的各 ISO 周(北京时间);默认:本季度。",
"Write to this file (xlsx default: 考核-QUARTER.xlsx).": "写入此文件(xlsx 默认:考核-季度.xlsx)。",
"Unit code": "单位代码",
"Unit name": "单位名称",
"Sent": "报送",
"Approved": "已审批",
"Published": "采用",
"Rejected": "退回",
"Withdrawn": "撤回",
"With the office": "待审",
"Awaiting approval": "待领导审批",
"Adoption rate": "采用率",
"Met (≥ 3 a week)": "达标(每周≥3条)",
"Weeks met": "达标周数",
"Score": "得分",
"Submissions and points by unit, {quarter}": "各单位报送及考核得分:{quarter}",
"Portal submissions by unit, week {period}": "海南州政府门户网站信息报送情况通报({period})",
"Portal submissions and points by unit, {period}": "海南州政府门户网站信息报送考核({period})",
"Points (the office's policy, [scoring]): {weekly} a week with at least {n} approved items, {published} an item published, {rejected} an item rejected": "计分(州政府办公室策略中的计分规则):每周审批通过至少 {n} 条得 {weekly} 分,每采用一条得 {published} 分,每退回一条得 {rejected} 分",
"With --data: the policy whose [scoring] gives the points (default: the profile's policy, else the built-in one); over the network the exchange's own policy applies.": "配合 --data:按此策略文件中的计分规则计分(默认:配置档案中的策略,否则为内置策略);通过网络时适用交换接口自己的策略。",
"{option} works with --data only: over the network the exchange applies the office's own policy.": "{option} 只能配合 --data 使用:通过网络时,交换接口适用州政府办公室自己的策略。",
"Removed the office's token for {endpoint}.": "已删除 {endpoint} 的州政府办公室令牌。",
"No office token for {endpoint} was stored.": "没有保存 {endpoint} 的州政府办公室令牌。",
"Nothing was changed; check the endpoint and the network, then run the same command again.": "没有做任何更改;请检查接口地址和网络,然后再运行同一条命令。",
"A column id the unit feeds (repeat); replaces the unit's columns.": "该单位负责的栏目编号(可重复);替换其原有栏目。",
"Set the columns a unit feeds (its row of the 分工表), replacing the ones it had.": "设置单位负责的栏目(分工表中的一行),替换原有栏目。",
"Name at least one column with --column (see `hnsubmit admin unit list`).": "请用 --column 至少指定一个栏目(见 `hnsubmit admin unit list`)。",
"Unit {code} feeds: {columns}": "单位 {code} 负责的栏目:{columns}",
}
