"""Where a Windows install keeps its files, computed on Linux through platformdirs' own Windows rules.

docs/install.md tells the liaison: config, token file and outbox under %LOCALAPPDATA%\\hnsubmit\\, with no
vendor folder (appauthor=False), so a path in a support call is the same on every PC.  platformdirs reads
WIN_PD_OVERRIDE_<FOLDER> before asking Windows, which lets its Windows class run here.
"""

from __future__ import annotations

from pathlib import PureWindowsPath

import platformdirs
import platformdirs.windows

LOCAL = r"C:\Users\张三\AppData\Local"
ROAMING = r"C:\Users\张三\AppData\Roaming"


def test_config_data_token_file_and_outbox_under_localappdata(monkeypatch):
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", LOCAL)
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", ROAMING)
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    from hnsubmit.client.outbox import default_root
    from hnsubmit.client.token_file import token_file_path
    from hnsubmit.config import config_dir, data_dir

    home = PureWindowsPath(LOCAL) / "hnsubmit"
    assert PureWindowsPath(str(config_dir())) == home
    assert PureWindowsPath(str(data_dir())) == home
    assert PureWindowsPath(str(default_root())) == home / "outbox"
    assert PureWindowsPath(str(token_file_path())).parent == home
