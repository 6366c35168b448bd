"""Input every page refuses before any view runs."""
import pytest


@pytest.mark.parametrize("url", ["/dataset?q=%00", "/daftar-data?organisation=a%00b",
                                 "/statistik?x=%00"])
def test_nul_bytes_are_refused_with_a_clear_message(client, url):
    resp = client.get(url)
    assert resp.status_code == 400
    assert "karakter yang tidak valid" in resp.get_data(as_text=True)


def test_nul_in_a_form_is_refused(client, form):
    resp = form(client, "/masuk", {"email": "a\x00@b.id", "password": "x"})
    assert resp.status_code == 400
    assert "karakter yang tidak valid" in resp.get_data(as_text=True)
