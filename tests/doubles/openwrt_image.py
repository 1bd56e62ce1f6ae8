#!/usr/bin/python3
"""OpenWrt firmware image format used by fwhub's test doubles (local mirror, test ImageBuilder,
simulated devices): a gzip-compressed tar of a root file system, followed by OpenWrt's fwtool
metadata block and, for sysupgrade images, a fwtool signature block.

fwtool block layout (as OpenWrt's fwtool appends it): the data, then a 16-byte big-endian trailer
  magic "FWx0" (0x46577830) | crc32 | type (0 = signature, 1 = metadata) | 3 pad bytes | size
where size = len(data) + 16 and crc32 is the CRC-32 of the whole file up to the trailer, computed
with initial value ~0 and no final inversion (= zlib.crc32(...) ^ 0xffffffff). Metadata data is an
8-byte header (version 0, flags 0) followed by JSON; signature data is a usign signature file.
"""
import gzip
import io
import json
import struct
import subprocess
import sys
import tarfile
import zlib

MAGIC = 0x46577830
TYPE_SIGNATURE = 0
TYPE_METADATA = 1
TRAILER = struct.Struct(">IIB3xI")
MTIME = 1700000000  # fixed, so that output is reproducible


def rootfs(files):
    """A reproducible .tar.gz of {path: bytes or str}."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for path in sorted(files):
            data = files[path].encode() if isinstance(files[path], str) else files[path]
            info = tarfile.TarInfo(path)
            info.size, info.mtime, info.mode = len(data), MTIME, 0o644
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=MTIME) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def append_block(image, data, block_type):
    crc = zlib.crc32(image + data) ^ 0xFFFFFFFF
    return image + data + TRAILER.pack(MAGIC, crc, block_type, len(data) + TRAILER.size)


def metadata(supported_devices, version, revision, target, board):
    return {
        "metadata_version": "1.1",
        "compat_version": "1.0",
        "supported_devices": list(supported_devices),
        "version": {"dist": "OpenWrt", "version": version, "revision": revision,
                    "target": target, "board": board},
    }


def build_image(files, meta, sign=None):
    """files: rootfs content; meta: metadata dict; sign: callable(bytes) -> usign signature text.
    Returns (image, sha256_unsigned_input) where the second is the image before the signature."""
    image = append_block(rootfs(files), struct.pack(">II", 0, 0) + json.dumps(meta, sort_keys=True).encode(),
                         TYPE_METADATA)
    unsigned = image
    if sign is not None:
        image = append_block(image, sign(image).encode(), TYPE_SIGNATURE)
    return image, unsigned


def blocks(image):
    """The fwtool blocks from the end: [(type, data, offset_of_data)], checking magic and CRC."""
    found = []
    end = len(image)
    while end >= TRAILER.size:
        magic, crc, block_type, size = TRAILER.unpack_from(image, end - TRAILER.size)
        if magic != MAGIC or size < TRAILER.size or size > end:
            break
        start = end - size
        if zlib.crc32(image[:end - TRAILER.size]) ^ 0xFFFFFFFF != crc:
            raise ValueError("fwtool block CRC mismatch")
        found.append((block_type, image[start:end - TRAILER.size], start))
        end = start
    return found


def read_metadata(image):
    for block_type, data, _ in blocks(image):
        if block_type == TYPE_METADATA:
            return json.loads(data[8:])
    raise ValueError("no fwtool metadata in image")


def strip_trailers(image):
    """The image without any fwtool blocks (the rootfs archive)."""
    found = blocks(image)
    return image[:found[-1][2]] if found else image


def strip_signature(image):
    found = blocks(image)
    if found and found[0][0] == TYPE_SIGNATURE:
        return image[:found[0][2]]
    return image


def read_rootfs(image):
    """{path: bytes} of the image's root file system."""
    with tarfile.open(fileobj=io.BytesIO(strip_trailers(image)), mode="r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def signify_signer(secret_key):
    def sign(data):
        return subprocess.run(["signify-openbsd", "-S", "-s", secret_key, "-m", "-", "-x", "-"],
                              input=data, capture_output=True, check=True).stdout.decode()
    return sign


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "info":
        with open(sys.argv[2], "rb") as f:
            print(json.dumps(read_metadata(f.read()), indent=2))
    else:
        sys.exit("usage: openwrt_image.py info FILE")
