"""One name per outlet: a site's address or a stated name ("tass.com", "TASS", "www.bbc.co.uk") to the name readers know."""

from __future__ import annotations

import re
from urllib.parse import urlparse

# registrable domain -> the outlet's name
DOMAINS = {
    "tass.com": "TASS", "tass.ru": "TASS", "reuters.com": "Reuters", "apnews.com": "AP", "afp.com": "AFP",
    "cnn.com": "CNN", "bbc.co.uk": "BBC", "bbc.com": "BBC", "theguardian.com": "The Guardian", "guardian.co.uk": "The Guardian",
    "aljazeera.com": "Al Jazeera", "aljazeera.net": "Al Jazeera", "dw.com": "DW", "dw.de": "DW",
    "chinadaily.com.cn": "China Daily", "chinadailyuk.com": "China Daily", "huffingtonpost.com": "HuffPost",
    "huffpost.com": "HuffPost", "huffingtonpost.co.uk": "HuffPost", "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post", "wsj.com": "The Wall Street Journal", "ft.com": "Financial Times",
    "bloomberg.com": "Bloomberg", "abcnews.go.com": "ABC News", "abc.net.au": "ABC (Australia)", "cbsnews.com": "CBS News",
    "nbcnews.com": "NBC News", "foxnews.com": "Fox News", "npr.org": "NPR", "usatoday.com": "USA Today",
    "rte.ie": "RTÉ", "irishtimes.com": "The Irish Times", "independent.co.uk": "The Independent",
    "telegraph.co.uk": "The Telegraph", "economist.com": "The Economist", "politico.com": "Politico",
    "politico.eu": "Politico", "euronews.com": "Euronews", "france24.com": "France 24", "rt.com": "RT",
    "sputniknews.com": "Sputnik", "interfax.com": "Interfax", "themoscowtimes.com": "The Moscow Times",
    "xinhuanet.com": "Xinhua", "news.cn": "Xinhua", "globaltimes.cn": "Global Times", "scmp.com": "South China Morning Post",
    "timesofindia.indiatimes.com": "The Times of India", "hindustantimes.com": "Hindustan Times", "dawn.com": "Dawn",
    "haaretz.com": "Haaretz", "timesofisrael.com": "The Times of Israel", "jpost.com": "The Jerusalem Post",
    "spiegel.de": "Der Spiegel", "lemonde.fr": "Le Monde", "elpais.com": "El País", "un.org": "UN News",
    "news.un.org": "UN News", "prnewswire.com": "PR Newswire", "theconversation.com": "The Conversation",
    "vox.com": "Vox", "time.com": "Time", "newsweek.com": "Newsweek", "latimes.com": "Los Angeles Times",
}
# names as articles and tables write them -> the same outlet's name
ALIASES = {
    "tass": "TASS", "itar-tass": "TASS", "reuters": "Reuters", "thomson reuters": "Reuters", "ap": "AP",
    "associated press": "AP", "the associated press": "AP", "afp": "AFP", "agence france-presse": "AFP",
    "agence france presse": "AFP", "cnn": "CNN", "bbc": "BBC", "bbc news": "BBC", "guardian": "The Guardian",
    "the guardian": "The Guardian", "al jazeera": "Al Jazeera", "al jazeera english": "Al Jazeera", "aljazeera": "Al Jazeera",
    "dw": "DW", "deutsche welle": "DW", "china daily": "China Daily", "huffington post": "HuffPost",
    "the huffington post": "HuffPost", "huffpost": "HuffPost", "new york times": "The New York Times",
    "the new york times": "The New York Times", "nyt": "The New York Times", "abc news": "ABC News", "rte": "RTÉ",
    "rté": "RTÉ", "rte news": "RTÉ", "rté news": "RTÉ", "xinhua": "Xinhua", "prnewswire": "PR Newswire", "pr newswire": "PR Newswire",
}
# second-level labels under which names are registered ("bbc.co.uk", "chinadaily.com.cn")
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go", "gob", "nic", "mil"})
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")


def host(url: str) -> str:
    """The lower-case host of an address, with or without its scheme; "" when there is none."""
    url = url.strip()
    if not url:
        return ""
    try:
        name = urlparse(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return ""
    return name.rstrip(".") if _HOST.match(name.rstrip(".")) else ""


def registrable(hostname: str) -> str:
    """The name a site registered: "europe.chinadaily.com.cn" -> "chinadaily.com.cn", "www.bbc.co.uk" -> "bbc.co.uk"."""
    labels = hostname.lower().split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def from_url(url: str) -> str:
    """The outlet behind an address: a known site's name, else its registrable domain; "" without a host."""
    name = host(url)
    if not name:
        return ""
    labels = name.split(".")
    for i in range(len(labels) - 1):  # the longest known suffix: "abcnews.go.com" before "go.com"
        known = DOMAINS.get(".".join(labels[i:]))
        if known:
            return known
    return registrable(name)


def normalise(name: str) -> str:
    """A stated source in the one spelling used for its outlet: "tass.com" -> "TASS", "Reuters" stays, unknown names kept."""
    name = " ".join(name.split())
    if not name:
        return ""
    alias = ALIASES.get(name.lower().removesuffix("."))
    if alias:
        return alias
    if "." in name and " " not in name:  # an address: "tass.com", "https://www.reuters.com/..."
        return from_url(name) or name
    return name


def source_for(stated: str, url: str, from_text: str = "") -> str:
    """The article's source: a stated one (metadata), else the address's outlet, else a name the text gives."""
    return normalise(stated) or from_url(url) or normalise(from_text)
