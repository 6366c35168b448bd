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
