"""Chinese translations of the approver step (issue 15 §2): `hnsubmit approve`, the approver role,
the states 待审批 / 审批人已退回, `admin token issue --name`, and what `status` says about them."""

ZH = {
# states and role (render/words.py, render/status.py)
"awaiting approval": "待审批",
"returned by the approver": "审批人已退回",
"approver": "审批人",
"registered name": "登记姓名",
"approval record": "审批记录",
"{name} (approver token {token}), {time}": "{name}(审批人令牌 {token}),{time}",
"{count} more await the approver and count once approved.": "另有 {count} 条待审批,审批通过后才计入。",
# hnsubmit approve
"The unit's approver: list the items awaiting approval, show one, accept it or return it with a reason.":
    "本单位审批人(分管领导):列出待审批的信息,查看一条,审批通过,或说明理由退回。",
"List the unit's items awaiting approval (or in another state), newest first.": "列出本单位待审批(或处于其他状态)的信息,最新的在前。",
"awaiting_approval (default), returned, received, in_review, published, rejected or withdrawn.":
    "awaiting_approval(待审批,默认)、returned(审批人已退回)、received(已接收)、in_review(审核中)、published(已发布)、rejected(已退回)或 withdrawn(已撤回)。",
"The submission id (e.g. HN-20261118-7KQ2XM).": "报送编号(例如 HN-20261118-7KQ2XM)。",
"Show one item: metadata, files and the history of its states, as `review show` does.": "显示一条信息:基本信息、文件和状态变更记录,与 `review show` 相同。",
"Approve an item: it goes on to the office's queue, and the approval is recorded with your token.":
    "审批通过一条信息:它进入州政府办公室的待审队列,审批记录注明您的令牌和时间。",
"Return an item to the liaison with a reason; it does not reach the office.": "说明理由,将信息退回信息报送员;它不会送到州政府办公室。",
"Give the reason for returning it with --reason.": "请用 --reason 说明退回理由。",
# hnsubmit demo
"Office: registered each unit's approver (分管领导) by name: {names}.": "办公室:按姓名登记各单位的审批人(分管领导):{names}。",
"6b. each unit's approver approves its items with their own token (approver mode)": "6b. 各单位审批人用自己的令牌审批本单位的信息(审批人模式)",
"Approver {name} ({unit}) approved {count} item(s); e.g. {id}: {record}.": "审批人 {name}({unit})审批通过 {count} 条信息;例如 {id}:{record}。",
# hnsubmit review list --state
"received, in_review, published, rejected, withdrawn; awaiting_approval or returned (approver mode).":
    "received(已接收)、in_review(审核中)、published(已发布)、rejected(已退回)、withdrawn(已撤回);审批人模式下还有 awaiting_approval(待审批)或 returned(审批人已退回)。",
# hnsubmit status
"Only this state: awaiting_approval, returned, received, in_review, published, rejected, withdrawn.":
    "只看此状态:awaiting_approval(待审批)、returned(审批人已退回)、received(已接收)、in_review(审核中)、published(已发布)、rejected(已退回)、withdrawn(已撤回)。",
"This token may not approve items: only an approver token, issued by the office to one of the unit's responsible leaders, may.":
    "此令牌无权审批:只有州政府办公室发给本单位分管领导的审批人令牌才能审批。",
"On the leader's own computer: `hnsubmit login --endpoint URL --unit CODE` with the approver token the office issued (`hnsubmit admin token issue --role approver --unit CODE --name NAME`).":
    "请在分管领导自己的电脑上运行 `hnsubmit login --endpoint 地址 --unit 单位代码`,粘贴州政府办公室发放的审批人令牌(`hnsubmit admin token issue --role approver --unit 单位代码 --name 姓名`)。",
# hnsubmit admin token issue
"unit, approver, reviewer or admin.": "unit(报送单位)、approver(审批人)、reviewer(审核人员)或 admin(管理员)。",
"The unit code (roles unit and approver only).": "单位代码(仅 unit 和 approver 角色)。",
"Role approver: the leader's registered name (姓名), which a submission's [approval] approver must match.":
    "角色为 approver(审批人)时:登记的领导姓名;报送信息 `[approval]` 中的 `approver`(审核领导)须与之一致。",
}
