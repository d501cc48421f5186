"""Sign in with an email and password, as the platform's machine-to-machine notebooks do: signed in
already as that user it is True at once; refused (a server without passwords), False and signed out."""

import os

import dtlpy as dl

url, key = os.environ["DLW_URL"], os.environ["DLW_TOKEN"]
gate = url.removesuffix("/api/v1")
dl.add_environment(environment=url, gate_url=gate, url=gate + "/", alias="m2m", verify_ssl=False)
dl.setenv("m2m")
dl.login_api_key(api_key=key)
user = dl.info()["user_email"]
already = dl.login_m2m(email=user, password="not checked")
refused = dl.login_m2m(email="someone.else@example.com", password="secret")

result = {
    "user": user,
    "already signed in": already,
    "refused": refused,
    "after": [dl.token_expired(), dl.info()["user_email"]],
}
