"""NUL bytes: dropped from query strings (a page still answers), refused in forms."""
import pytest


@pytest.mark.parametrize("url", ["/dataset?q=%00", "/daftar-data?organisation=a%00b",
                                 "/daftar-data.csv?topic=%00", "/statistik?x=%00"])
def test_nul_bytes_in_a_query_string_still_give_the_page(client, url):
    assert client.get(url).status_code == 200


def test_nul_in_a_form_is_refused(client, form):
    resp = form(client, "/masuk", {"email": "a\x00@b.id", "password": "x"})
    assert resp.status_code == 400
    assert "karakter yang tidak valid" in resp.get_data(as_text=True)


def test_login_limit_counts_the_client_behind_a_trusted_proxy(app_factory, csrf):
    """Behind a proxy every visitor would share the proxy's address, and one person's typos
    would lock everyone out; TRUSTED_PROXIES makes the limit see the real client."""
    proxied = app_factory(TRUSTED_PROXIES=1, LOGIN_RATE_LIMIT="2 per minute")
    client = proxied.test_client()
    token = csrf(client)

    def attempt(ip):
        return client.post("/masuk", data={"email": "x@y.id", "password": "salah",
                                           "csrf_token": token},
                           headers={"X-Forwarded-For": ip}).status_code

    assert [attempt("10.0.0.1") for _ in range(3)] == [401, 401, 429]
    assert attempt("10.0.0.2") == 401
