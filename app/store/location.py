"""Is the data folder a safe place for SQLite's WAL? Warn about network and synced folders.

WAL keeps its index in shared memory, which works only when every reader is on the same
computer as a local disk; on a network share two PCs can corrupt the file. Sync clients
(OneDrive, 坚果云 …) copy the file while it is being written, and may put back an older
copy or a "conflicted copy" beside it.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path, PurePath, PureWindowsPath

NETWORK_FS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "fuse.sshfs", "afs",
    "ncpfs", "davfs", "fuse.davfs", "9p", "fuse.rclone", "ceph", "glusterfs", "fuse.glusterfs",
})
SYNC_FOLDERS = {
    "onedrive": "OneDrive",
    "dropbox": "Dropbox",
    "坚果云": "坚果云",
    "nutstore": "坚果云",
    "我的坚果云": "坚果云",
    "百度网盘": "百度网盘",
    "baidunetdisk": "百度网盘",
    "baidu netdisk": "百度网盘",
    "icloud drive": "iCloud",
    "icloud": "iCloud",
    "iclouddrive": "iCloud",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "我的云端硬盘": "Google Drive",
    "my drive": "Google Drive",
    "wpsdrive": "WPS 云文档",
    "wps云盘": "WPS 云文档",
    "syncthing": "Syncthing",
    "seafile": "Seafile",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "阿里云盘": "阿里云盘",
    "aliyundrive": "阿里云盘",
    "腾讯微云": "腾讯微云",
}
DRIVE_REMOTE = 4


def synced_service(path: PurePath) -> str | None:
    """The sync service whose folder holds `path`, by the names they give their folders."""
    for part in path.parts:
        lowered = part.lower()
        if lowered in SYNC_FOLDERS:
            return SYNC_FOLDERS[lowered]
        if lowered.startswith(("onedrive - ", "dropbox (")):
            return "OneDrive" if lowered.startswith("onedrive") else "Dropbox"
    return None


def _linux_fs_type(path: PurePath, mounts: str) -> str | None:
    """The type of the mount that holds `path`, from /proc/mounts text."""
    best, fs_type = "", None
    target = str(path)
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = fields[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, fs_type = mount_point, fields[2]
    return fs_type


def network_reason(path: PurePath, *, platform: str | None = None, mounts: str | None = None) -> str | None:
    """Why `path` is on a network drive, or None if it looks local."""
    platform = platform or sys.platform
    if platform == "win32":
        text = str(path)
        if text.startswith(("\\\\", "//")):
            return f"它位于网络共享路径 {PureWindowsPath(text).anchor} 上"
        anchor = PureWindowsPath(text).anchor
        if anchor and sys.platform == "win32":
            import ctypes

            if ctypes.windll.kernel32.GetDriveTypeW(anchor) == DRIVE_REMOTE:  # type: ignore[attr-defined]
                return f"驱动器 {anchor} 是映射的网络驱动器"
        return None
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    fs_type = _linux_fs_type(path, mounts)
    if fs_type and (fs_type in NETWORK_FS or fs_type.startswith(("nfs", "cifs", "smb", "fuse.sshfs"))):
        return f"它位于网络文件系统（{fs_type}）上"
    return None


def location_warning(db_path: str | Path, *, platform: str | None = None, mounts: str | None = None) -> str | None:
    """A Chinese warning for a data file outside a plain local folder, or None."""
    where: PurePath
    if (platform or sys.platform) == "win32" and sys.platform != "win32":
        where = PureWindowsPath(db_path)  # a test describing a Windows path on Linux
    else:
        where = Path(os.path.abspath(db_path))
    reason = network_reason(where, platform=platform, mounts=mounts)
    if reason:
        return (f"数据文件 {where} 不在本机硬盘上：{reason}。\n"
                "本程序的数据库需要放在本机硬盘上：在网络驱动器上，断网或两台电脑同时打开都可能损坏文件。"
                "请把数据文件移到本机硬盘（例如默认位置），再用“备份到…”把副本存到别处。")
    service = synced_service(where)
    if service:
        return (f"数据文件 {where} 位于 {service} 同步文件夹中。\n"
                f"{service} 会在程序写入时上传或覆盖这个文件，可能用旧版本替换新数据，或产生冲突副本。"
                "请把数据文件移到不同步的本机文件夹（例如默认位置）；需要异地保存时，用“备份到…”把备份存到同步文件夹。")
    return None
