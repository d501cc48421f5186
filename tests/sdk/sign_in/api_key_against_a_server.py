"""Sign in to a server as the platform's notebooks do, with an API key (``$DLW_URL``, ``$DLW_TOKEN``)."""

import os

import dtlpy as dl

url, key = os.environ["DLW_URL"], os.environ["DLW_TOKEN"]
gate = url.removesuffix("/api/v1")
dl.add_environment(environment=url, gate_url=gate, url=gate + "/", alias="team", verify_ssl=False)
dl.setenv("team")
forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")  # a signature this server never made
try:
    dl.login_api_key(api_key=forged)
    bad_key = "accepted"
except ValueError:
    bad_key = "refused"
dl.login_api_key(api_key=key)
dl.projects.create(project_name="signed-in-with-a-key")

result = {
    "bad key": bad_key,
    "user": dl.info()["user_email"],
    "expired": dl.token_expired(),
    "projects": [p.name for p in dl.projects.list()],
}
