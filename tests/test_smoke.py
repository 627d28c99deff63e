from tests.conftest import page


def test_home_page_says_what_the_platform_is(client):
    response = client.get("/")
    assert response.status_code == 200
    soup = page(response)
    assert "Training of trainers" in soup.h1.get_text()
    links = {a["href"] for a in soup.select("main a")}
    assert "/login" in links
    assert "/register" in links
