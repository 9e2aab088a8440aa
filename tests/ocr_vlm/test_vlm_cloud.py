"""Cost and privacy: what leaves the machine is said beforehand, and cloud sending needs consent."""

from __future__ import annotations

import pytest

from examkit.errors import UserInputError
from ocr.cloud import confirm_sending, disclose, is_local, price_per_page
from ocr.vlm import VlmEngine


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/v1", "http://127.3.4.5/v1", "http://localhost:11434/v1",
                                 "http://[::1]:8080/v1", "http://gpu.localhost/v1"])
def test_loopback_is_local(url):
    assert is_local(url)


@pytest.mark.parametrize("url", ["https://api.openai.com/v1", "http://192.168.1.20:8000/v1", "http://10.0.0.5/v1",
                                 "https://example.org/v1"])
def test_everything_else_is_cloud_unless_listed(url):
    assert not is_local(url)


def test_lan_hosts_and_networks_the_user_listed_count_as_local():
    assert is_local("http://192.168.1.20:8000/v1", ["192.168.1.20"])
    assert is_local("http://10.0.0.5/v1", ["10.0.0.0/8"])
    assert is_local("http://gpu-server.schule.lan/v1", ["gpu-server.schule.lan"])
    assert not is_local("http://192.168.2.1/v1", ["192.168.1.0/24", "not a network"])


def test_cloud_without_consent_is_refused_with_advice():
    with pytest.raises(UserInputError) as caught:
        confirm_sending(12, model="gpt-4o", base_url="https://api.openai.com/v1")
    line = caught.value.one_line()
    assert "12 pages" in line and "api.openai.com" in line and "cloud" in line and "$" in line
    assert "--yes" in line and "consent = true in [ocr.vlm]" in line


def test_yes_or_config_consent_allows_cloud_and_the_statement_names_host_pages_cost():
    done = confirm_sending(3, model="gpt-4o-2024-08-06", base_url="https://api.openai.com/v1", yes=True)
    assert not done.local and done.host == "api.openai.com" and done.pages == 3
    assert done.cost_usd == pytest.approx(3 * price_per_page("gpt-4o"))
    assert "2025-04" in done.statement  # the built-in price is dated
    configured = confirm_sending(2, model="my-model", base_url="https://vlm.example.org/v1", price=0.05, consent=True)
    assert configured.cost_usd == pytest.approx(0.10) and "[ocr.vlm] price_per_page" in configured.statement


def test_unknown_price_is_said_not_guessed():
    assert disclose(1, model="some-vl", base_url="https://x.example/v1").cost_usd is None
    assert "cost unknown" in disclose(1, model="some-vl", base_url="https://x.example/v1").statement


def test_local_url_needs_no_consent_and_says_nothing_leaves():
    done = confirm_sending(40, model="qwen2.5-vl", base_url="http://127.0.0.1:8000/v1")
    assert done.local and "nothing leaves" in done.statement and done.cost_usd == 0


def test_engine_takes_consent_price_and_lan_hosts_from_the_config(monkeypatch, configured_ws):
    from ocr.factory import engine_for

    ws = configured_ws('[ocr.vlm]\nmodel = "gpt-4o"\nconsent = true\nprice_per_page = 0.02\nlocal_hosts = ["192.168.1.20"]\n')
    cloud = engine_for(ws, "vlm", base_url="https://api.openai.com/v1")
    assert cloud.confirm_sending(5).cost_usd == pytest.approx(0.10)
    lan = engine_for(ws, "vlm", base_url="http://192.168.1.20:8000/v1")
    assert lan.confirm_sending(5).local
    refused = engine_for(configured_ws(), "vlm", model="gpt-4o", base_url="https://api.openai.com/v1")
    with pytest.raises(UserInputError, match="consent"):
        refused.confirm_sending(1)


def test_cloud_engine_without_a_key_stops_before_any_page(monkeypatch):
    engine = VlmEngine(model="gpt-4o", base_url="https://api.openai.com/v1", layout=False)
    with pytest.raises(UserInputError, match="no API key"):
        engine.check()
    VlmEngine(model="m", base_url="http://127.0.0.1:1/v1", layout=False).check()  # local: any key will do
