"""Chinese for the server's own check on arrival (issue 14) and the WeChat renditions in review (issue 18)."""

ZH = {
    "the server is still checking this item; show it again in a moment": "服务器仍在检查这条报送,请稍后再查看",
    "the server's check of this item failed: {error}": "服务器检查这条报送时出错:{error}",
    "checked when first opened, {time}: this item arrived before the server checked items on arrival":
        "{time} 首次打开时检查:这条报送到达时服务器尚未在接收时检查",
    "checked by the server on arrival, {time}": "服务器于接收时检查,{time}",
    "{path}: {n} more finding(s) not kept": "{path}:另有 {n} 条发现未保留",
    "too large to open": "文件过大,未打开",
    "its file is missing on the server": "服务器上缺少该文件",
    "{path}: not checked ({reason})": "{path}:未检查({reason})",
    "cover 2.35:1": "封面 2.35:1",
    "cover 1:1": "封面 1:1",
    "smaller image": "压缩图片",
    "video MP4": "MP4 视频",
    "WeChat": "微信",
}
