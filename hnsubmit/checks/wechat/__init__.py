"""The "海南政务" WeChat channel: the WCH rules (rules.py), what ffmpeg says of a rendition (probe.py),
and the renditions `fix --channel wechat` makes beside the originals (crop.py, image.py, video.py, make.py).
It may import checks (formats, media, run), submission, rules, policy, config, errors and i18n.
"""
