"""Which S3 client the blob store uses (issue 17): boto3 against obstore, in one run, on one S3 server.

    python benchmarks/s3_client.py [--endpoint URL] [--small 300] [--large-mib 64] [--rounds 3]

Without --endpoint the script starts moto's S3 server on 127.0.0.1 (the one the tests use; keys from
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY otherwise). Measured, alternating the two clients `--rounds` times:
  small   PUT + HEAD + GET of --small 4 KiB objects, one after another (the exchange's per-blob calls:
          `size()` is a HEAD on every "which blobs are missing" check)
  large   one --large-mib object written in 8 MiB parts and read back streamed
The ratio is boto3's time over obstore's (below 1: boto3 faster). What the measurement does not decide, the
API does: a resumable session that another instance continues needs CreateMultipartUpload / UploadPart /
CompleteMultipartUpload by upload id and part number, which boto3 exposes and obstore (object_store's
in-process multipart writer) does not.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

PART = 8 << 20


def boto3_client(endpoint: str):
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        config=Config(s3={"addressing_style": "path"}, max_pool_connections=16))


def obstore_store(endpoint: str, bucket: str):
    from obstore.store import S3Store

    return S3Store(bucket, endpoint=endpoint, region="us-east-1", access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
                   secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"], client_options={"allow_http": True},
                   virtual_hosted_style_request=False)


def small_boto3(c, bucket: str, n: int) -> float:
    body = os.urandom(4096)
    t = time.perf_counter()
    for i in range(n):
        key = f"small/b{i}"
        c.put_object(Bucket=bucket, Key=key, Body=body)
        c.head_object(Bucket=bucket, Key=key)
        c.get_object(Bucket=bucket, Key=key)["Body"].read()
    return time.perf_counter() - t


def small_obstore(store, n: int) -> float:
    import obstore as obs

    body = os.urandom(4096)
    t = time.perf_counter()
    for i in range(n):
        key = f"small/o{i}"
        obs.put(store, key, body)
        obs.head(store, key)
        obs.get(store, key).bytes()
    return time.perf_counter() - t


def large_boto3(c, bucket: str, data: bytes) -> float:
    t = time.perf_counter()
    key = "large/b"
    mpu = c.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    parts = []
    for n, start in enumerate(range(0, len(data), PART), 1):
        etag = c.upload_part(Bucket=bucket, Key=key, UploadId=mpu, PartNumber=n, Body=data[start:start + PART])["ETag"]
        parts.append({"PartNumber": n, "ETag": etag})
    c.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=mpu, MultipartUpload={"Parts": parts})
    got = sum(len(chunk) for chunk in c.get_object(Bucket=bucket, Key=key)["Body"].iter_chunks(1 << 20))
    assert got == len(data)
    return time.perf_counter() - t


def large_obstore(store, data: bytes) -> float:
    import obstore as obs

    t = time.perf_counter()
    obs.put(store, "large/o", [data[i:i + PART] for i in range(0, len(data), PART)], chunk_size=PART)
    got = sum(len(chunk) for chunk in obs.get(store, "large/o").stream(min_chunk_size=1 << 20))
    assert got == len(data)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint")
    ap.add_argument("--small", type=int, default=300)
    ap.add_argument("--large-mib", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    server = None
    if args.endpoint is None:
        from exchange.engines import start_s3

        server = start_s3()
        os.environ.update(server.env())
        args.endpoint = server.endpoint
    try:
        c = boto3_client(args.endpoint)
        bucket = f"bench-{os.getpid()}"
        c.create_bucket(Bucket=bucket)
        store = obstore_store(args.endpoint, bucket)
        data = os.urandom(args.large_mib << 20)
        small_boto3(c, bucket, 10), small_obstore(store, 10)  # warm both (connections, imports)
        times: dict[str, list[float]] = {"small boto3": [], "small obstore": [], "large boto3": [], "large obstore": []}
        for _ in range(args.rounds):
            times["small boto3"].append(small_boto3(c, bucket, args.small))
            times["small obstore"].append(small_obstore(store, args.small))
            times["large boto3"].append(large_boto3(c, bucket, data))
            times["large obstore"].append(large_obstore(store, data))
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"S3 server: {'moto (127.0.0.1)' if server else args.endpoint}; rounds {args.rounds}, alternated")
        print(f"small ({args.small} x PUT+HEAD+GET of 4 KiB): boto3 {med['small boto3']:.3f} s vs obstore "
              f"{med['small obstore']:.3f} s = {med['small boto3'] / med['small obstore']:.2f}x "
              f"({args.small * 3 / med['small boto3']:.0f} vs {args.small * 3 / med['small obstore']:.0f} requests/s)")
        print(f"large ({args.large_mib} MiB in 8 MiB parts, then read back): boto3 {med['large boto3']:.3f} s vs "
              f"obstore {med['large obstore']:.3f} s = {med['large boto3'] / med['large obstore']:.2f}x "
              f"({2 * args.large_mib / med['large boto3']:.0f} vs {2 * args.large_mib / med['large obstore']:.0f} MiB/s)")
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
