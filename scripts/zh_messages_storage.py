"""Chinese translations of the province storage (issue 17): serve --db/--blobs/--config/--workers, PostgreSQL
schema versions (`admin migrate`), the S3 blob store, `admin export` / `admin import` and the server config file."""

ZH = {
# serve options
"Metadata store: sqlite:///PATH or postgresql://USER@HOST:PORT/DB (default: HNSUBMIT_EXCHANGE_DB, the config file, else the data directory).":
    "元数据存储:sqlite:///路径 或 postgresql://用户@主机:端口/数据库(默认:环境变量 HNSUBMIT_EXCHANGE_DB、服务器配置文件,否则为数据文件夹)。",
"Blob store: file:///PATH or s3://BUCKET/PREFIX?endpoint=URL (default: HNSUBMIT_EXCHANGE_BLOBS, the config file, else the data directory).":
    "文件存储:file:///路径 或 s3://存储桶/前缀?endpoint=URL(默认:环境变量 HNSUBMIT_EXCHANGE_BLOBS、服务器配置文件,否则为数据文件夹)。",
"Server config file (TOML, table [server]; default: HNSUBMIT_EXCHANGE_CONFIG).":
    "服务器配置文件(TOML 格式,`[server]` 表;默认:环境变量 HNSUBMIT_EXCHANGE_CONFIG)。",
"Server processes accepting on the one port (default 1).": "在同一端口上接收请求的服务进程数(默认 1)。",
# URLs
"Not a database URL this server knows: {url}": "不是本服务器支持的数据库地址:{url}",
"Not a blob store URL this server knows: {url}": "不是本服务器支持的文件存储地址:{url}",
"sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE": "应为 sqlite:///路径 或 postgresql://用户@主机:端口/数据库",
"file:///PATH or s3://BUCKET/PREFIX?endpoint=URL": "应为 file:///路径 或 s3://存储桶/前缀?endpoint=URL",
"s3://BUCKET/PREFIX?endpoint=URL&region=R (the keys go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, never in the URL)":
    "应为 s3://存储桶/前缀?endpoint=地址&region=区域(密钥放在环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY 中,不要写进地址)",
"The database {path} holds no exchange data.": "数据库 {path} 中没有交换接口数据。",
"The exchange storage {where} cannot be used: {problem}": "无法使用交换接口存储 {where}:{problem}",
# PostgreSQL
"Cannot connect to the database {url}: {problem}": "无法连接数据库 {url}:{problem}",
"The database {url} has schema version {found}, newer than this hnsubmit knows ({known}).":
    "数据库 {url} 的结构版本为 {found},比本程序所知的版本({known})更新。",
"Upgrade hnsubmit on this machine to the version the other instances run.":
    "请把本机的 hnsubmit 升级到其他实例所用的版本。",
"The database {url} has schema version {found}; this hnsubmit needs version {known}.":
    "数据库 {url} 的结构版本为 {found};本程序需要版本 {known}。",
"Run `hnsubmit admin migrate --db URL` once (with the servers stopped or not: it waits for its turn), then start the server again.":
    "请先运行一次 `hnsubmit admin migrate --db 地址`(服务器停不停都可以,它会排队等候),然后重新启动服务器。",
# S3
"Cannot use the object store {url}: {problem}": "无法使用对象存储 {url}:{problem}",
# server config file
"Cannot read the server config file {path}: {problem}": "无法读取服务器配置文件 {path}:{problem}",
"The server config file {path} is not valid TOML: {problem}": "服务器配置文件 {path} 不是有效的 TOML:{problem}",
"The server config file {path} holds one table, [server].": "服务器配置文件 {path} 只应包含一个表:[server]。",
"Unknown key {key} in the server config file {path} (known: {known}).": "服务器配置文件 {path} 中有未知的键 {key}(可用:{known})。",
"The key {key} in the server config file {path} has the wrong type.": "服务器配置文件 {path} 中键 {key} 的类型不对。",
"The server config file {path} holds a database password; put it in PGPASSWORD or ~/.pgpass instead.":
    "服务器配置文件 {path} 中写有数据库密码;请改放在环境变量 PGPASSWORD 或 ~/.pgpass 中。",
# admin migrate / export / import
"postgresql://USER@HOST:PORT/DB (default: HNSUBMIT_EXCHANGE_DB or the server config file).":
    "postgresql://用户@主机:端口/数据库(默认:环境变量 HNSUBMIT_EXCHANGE_DB 或服务器配置文件)。",
"Bring the database's schema to this version's (PostgreSQL; a SQLite file upgrades itself when opened).":
    "把数据库结构升级到本版本(PostgreSQL;SQLite 文件打开时会自行升级)。",
"applied schema step {step}: {note}": "已执行结构升级第 {step} 步:{note}",
"The database's schema is at version {version}.": "数据库结构现为版本 {version}。",
"Where the metadata goes: postgresql://… or sqlite:///PATH.": "元数据的去处:postgresql://… 或 sqlite:///路径。",
"Where the blobs go: s3://BUCKET/PREFIX?endpoint=… or file:///PATH.": "文件的去处:`s3://存储桶/前缀?endpoint=…` 或 file:///路径。",
"Where the metadata comes from: postgresql://… or sqlite:///PATH.": "元数据的来处:postgresql://… 或 sqlite:///路径。",
"Where the blobs come from: s3://… or file:///PATH.": "文件的来处:s3://… 或 file:///路径。",
"Copy this exchange (every row, every blob) into an empty store elsewhere, then verify the copy:\nevery blob re-hashed there, every table's row count compared. The source is not changed.":
    "把本交换接口的全部数据(每一行、每个文件)复制到另一处空的存储,然后核对:在目标处重新计算每个文件的摘要,比对每张表的行数。源数据不变。",
"Copy an exchange from elsewhere (e.g. PostgreSQL + S3) into this empty one (e.g. a data folder), verified\nthe same way as export.":
    "把另一处的交换接口数据(如 PostgreSQL + S3)复制到本处空的存储(如数据文件夹),核对方式与导出相同。",
"Copying the exchange": "正在复制交换接口数据",
"{table}: {count} rows, the same count on both sides": "{table}:{count} 行,两边行数一致",
"{count} blobs ({size} bytes) copied and re-hashed at the destination.": "已复制 {count} 个文件({size} 字节),并已在目标处重新核对摘要。",
"The destination {where} is not empty: export and import fill an empty store only.":
    "目标 {where} 不是空的:导出和导入只写入空的存储。",
"The source and the destination are the same store.": "源和目标是同一个存储。",
"The blob {digest} read from the source hashes to {actual}: run `hnsubmit admin fsck` on the source first.":
    "从源读出的文件 {digest} 摘要为 {actual}:请先在源上运行 `hnsubmit admin fsck`。",
"After the copy, table {table} has {source} rows in the source and {dest} at the destination.":
    "复制后,表 {table} 在源中有 {source} 行,在目标中有 {dest} 行。",
"After the copy, the blob {digest} at the destination hashes to {actual}.": "复制后,目标处的文件 {digest} 摘要为 {actual}。",
"{what} needs packages this install of hnsubmit leaves out (missing: {modules}).":
    "{what} 存储需要的软件包本机的 hnsubmit 没有安装(缺少:{modules})。",
'Install the province extra: pip install "hnsubmit[server,province]".': '请安装 province 扩展:pip install "hnsubmit[server,province]"。',
}
