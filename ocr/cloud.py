"""What leaves the machine when pages go to a vision-language model, and what it costs.

Pupils' handwriting is personal data. Before a batch is sent, the teacher is told in plain words
where the pages go: a server on this machine (or one the school listed as its own in
``[ocr.vlm] local_hosts``) keeps everything inside; any other host is a cloud service, and then
the statement names the host, the number of pages and an estimated price, and sending needs
explicit consent (``--yes`` or ``consent = true in [ocr.vlm]``). :func:`confirm_sending` is the one
function commands call for this.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from examkit.errors import UserInputError
from examkit.service_client import resolve_base_url

#: Rough USD per handwritten A4 page: the image at <= 2048 px in high detail plus ~500 output
#: tokens, at the providers' list prices of PRICES_DATE. An estimate to decide by, not a bill:
#: set ``price_per_page`` in ``[ocr.vlm]`` for your model and your current prices.
PRICES_DATE = "2025-04"
PRICE_PER_PAGE: dict[str, float] = {
    "gpt-4o-mini": 0.006,  # images are billed at ~33x the text token count on the mini model
    "gpt-4o": 0.008,
    "gpt-4.1-nano": 0.001,
    "gpt-4.1-mini": 0.002,
    "gpt-4.1": 0.007,
}


@dataclass(frozen=True)
class Disclosure:
    """Where a batch goes. ``statement`` is the sentence shown to the teacher before sending."""

    local: bool
    host: str
    pages: int
    cost_usd: float | None
    statement: str


def host_of(base_url: str) -> str:
    host = urlsplit(base_url if "://" in base_url else f"http://{base_url}").hostname
    if not host:
        raise UserInputError(f"not a server URL: {base_url!r}", advice="Give it as http://HOST:PORT/v1.")
    return host


def is_local(base_url: str, local_hosts: list[str] | tuple[str, ...] = ()) -> bool:
    """True when ``base_url`` points at this machine (localhost, 127.0.0.0/8, ::1) or at a host or
    network the user listed as their own (``[ocr.vlm] local_hosts``: names, addresses or CIDR)."""
    host = host_of(base_url).lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and address.is_loopback:
        return True
    for entry in local_hosts:
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry == host:
            return True
        if address is not None:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
    return False


def price_per_page(model: str, configured: float | None = None) -> float | None:
    """Configured price, else the built-in estimate for the longest matching model prefix."""
    if configured is not None:
        return configured
    matches = [prefix for prefix in PRICE_PER_PAGE if model.startswith(prefix)]
    return PRICE_PER_PAGE[max(matches, key=len)] if matches else None


def disclose(pages: int, *, model: str, base_url: str | None, local_hosts: list[str] | tuple[str, ...] = (),
             price: float | None = None) -> Disclosure:
    """Describe where ``pages`` page images would go and what they would cost (``price``: USD per
    page as configured; None: the built-in estimate)."""
    url = resolve_base_url(base_url)
    host = host_of(url)
    noun = "page" if pages == 1 else "pages"
    if is_local(url, local_hosts):
        return Disclosure(True, host, pages, 0.0,
                          f"{pages} {noun} go to the model {model} at {host} (local): nothing leaves this machine "
                          "or your network.")
    per_page = price_per_page(model, price)
    if per_page is None:
        cost_text = "cost unknown for this model (set price_per_page in [ocr.vlm] in examkit.toml)"
        cost = None
    else:
        cost = round(per_page * pages, 4)
        source = "your [ocr.vlm] price_per_page" if price is not None else f"list prices of {PRICES_DATE}"
        cost_text = f"estimated cost about ${cost:.2f} (${per_page:.4f} per page, {source})"
    return Disclosure(False, host, pages, cost,
                      f"{pages} {noun} of pupils' handwriting will be sent to {host} (a cloud service) for the "
                      f"model {model}; {cost_text}. Red teacher ink is removed first; the images still show "
                      "whatever is written on the page, names included.")


def confirm_sending(pages: int, *, model: str, base_url: str | None, local_hosts: list[str] | tuple[str, ...] = (),
                    price: float | None = None, consent: bool = False, yes: bool = False) -> Disclosure:
    """The check every command runs before pages go to a model.

    Returns the disclosure (print its ``statement`` on stderr). For a cloud host without ``yes``
    and without ``consent`` (``consent = true in [ocr.vlm]``) raises :class:`UserInputError`: nothing
    is sent.
    """
    disclosure = disclose(pages, model=model, base_url=base_url, local_hosts=local_hosts, price=price)
    if not disclosure.local and not (yes or consent):
        raise UserInputError(
            f"{disclosure.statement} Not sent: this needs your consent",
            advice="Run again with --yes, set consent = true in [ocr.vlm] in examkit.toml, or use a local server "
                   "(--base-url http://127.0.0.1:PORT/v1).",
        )
    return disclosure
