"""Chinese translations of the WeChat channel's interface strings (issue 18): `fix --channel wechat`
and the errors of making renditions.  Rule texts (WCH) are in hnsubmit/rules/catalog/WCH.toml."""

ZH = {
# hnsubmit fix --channel wechat
"Make a channel's renditions beside the originals instead (wechat: cover crops, smaller images, MP4 video).": "改为在原文件旁生成发布渠道的版本(微信:封面裁切、压缩图片、MP4 视频)。",
"Unknown channel {channel}: renditions are made for wechat": "未知的发布渠道 {channel}:只能为 wechat(微信)生成版本",
"--channel wechat needs a submission folder (one with submission.toml)": "--channel wechat 需要一个报送文件夹(含 submission.toml)",
"Interrupted: the originals are untouched; each rendition under renditions/wechat/ was either made whole or not at all; run the same `hnsubmit fix --channel wechat` again to continue.": "已中断:原文件未改动;renditions/wechat/ 中的每个版本要么已完整生成,要么尚未生成;再次运行同一条 `hnsubmit fix --channel wechat` 即可继续。",
"No JPEG quality or size fits WeChat's image limit": "任何 JPEG 质量和尺寸都达不到微信的图片大小上限",
# hnsubmit/checks/wechat/video.py
"making the WeChat MP4": "生成微信 MP4",
"{path} lasts {seconds} s, longer than WeChat takes ({limit} s)": "{path} 时长 {seconds} 秒,超过微信的上限({limit} 秒)",
"this ffmpeg has no H.264 encoder (libx264 or libopenh264)": "此 ffmpeg 没有 H.264 编码器(libx264 或 libopenh264)",
"{path} is too long to fit in {limit} MB as an MP4 WeChat can play": "{path} 太长,无法压缩成不超过 {limit} MB 且微信能播放的 MP4",
}
