#!/usr/bin/env python3
"""boto3 peer: import NDJSON with table.batch_writer(), as its documentation shows.

    python3 bench/peers/boto3_import.py ENDPOINT TABLE FILE.ndjson

One item a line, numbers as Decimal (boto3 refuses floats). Prints one JSON line:
{"items": n, "seconds": s} (seconds from the first line read to the last batch flushed).
"""
import json
import sys
import time
from decimal import Decimal

import boto3

endpoint, table_name, path = sys.argv[1:4]
if not endpoint.startswith("http://127.0.0.1:"):
    sys.exit("boto3_import.py: the endpoint must be http://127.0.0.1:PORT")
table = boto3.resource("dynamodb", endpoint_url=endpoint, region_name="us-east-1").Table(table_name)
count = 0
started = time.monotonic()
with open(path, encoding="utf-8") as f, table.batch_writer() as writer:
    for line in f:
        if line.strip():
            writer.put_item(Item=json.loads(line, parse_float=Decimal))
            count += 1
print(json.dumps({"items": count, "seconds": time.monotonic() - started}))
