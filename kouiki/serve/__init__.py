"""The workshop screen (`allocate serve`, issue 12): what-ifs in a browser, every scenario kept.

Needs the `serve` extra (Starlette, uvicorn, Jinja2, python-multipart);
`kouiki/serve_cli.py` says so in words when it is missing.
"""
