"""The words that say who speaks: verbs of saying, capitalised words that name nobody, roles, bodies and offices."""

from __future__ import annotations

import re

# titles written abbreviated before a name ("Sen. Elizabeth Warren", "Gov. George E. Pataki")
TITLES = r"(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Lt|Gen|Col|Maj|Capt|Cmdr|Sgt|Adm|Rev|Msgr|Atty|Supt|Insp|Amb|Pres|Sec)\."
VERBS = (
    r"said|says|say|told|tells|stated|states|stressed|stresses|noted|notes|added|adds|explained|explains|warned|warns"
    r"|urged|urges|announced|announces|declared|declares|insisted|insists|argued|argues|claimed|claims|wrote|writes"
    r"|asked|asks|replied|replies|recalled|recalls|emphasi[sz]ed|emphasi[sz]es|pointed out|believes|believed|confirmed|confirms"
    r"|reiterated|reiterates|vowed|vows|promised|promises|rejected|rejects|dismissed|dismisses|denied|denies"
    r"|acknowledged|acknowledges|admitted|admits|suggested|suggests|predicted|predicts|tweeted|tweets"
    r"|called|calls|critici[sz]ed|critici[sz]es|condemned|condemns|accused|accuses|rebuked|rebukes|slammed|slams"
    r"|praised|praises|welcomed|welcomes|demanded|demands|described|describes|points out|remarked|responded"
    r"|responds|cautioned|cautions|conceded|concedes|contended|contends|quipped|quips|recounted|recounts"
)

# Verbs that put the speaker after them ("…," said Varga; "…?" asked Varga); "urged Putin", "told May" name who is
# spoken to, and so does "asked Kelly to provide …"
_ASKED = r"(?:asked|asks)(?!\s+(?:[A-Z][\w.’'\-]*\s+){1,4}(?:to|for|about|whether|if|why|how|what|when|where|who)\b)"
INVERTED = _ASKED + r"|said|says|added|adds|noted|notes|stressed|stresses|explained|explains|wrote|writes|replied|replies|insisted|insists|declared|declares|stated|states|argued|argues|continued|continues"

NOT_NAMES = frozenset(
    """He She It They We I You The This That There A An In On But And As At Nobody Everyone Everybody Someone Somebody
    Anyone Anybody None One Many Some Most Few Others Officials Critics Analysts Experts Sources Witnesses Residents
    Police Reporters People Observers Diplomats Authorities When While If After Before Asked Speaking Responding Earlier
    Later Meanwhile However Yet Still Now Today Previously Similarly Likewise Instead Indeed Moreover Furthermore
    Additionally Nevertheless Nonetheless Also Again Thus Therefore Hence Consequently Finally Ultimately Specifically
    Notably Separately Elsewhere Ironically Interestingly Importantly Initially Eventually Recently Currently Otherwise
    Overall Besides Accordingly Subsequently His Her Its Their Our My Your Protesters Demonstrators Investors Supporters
    Opponents Voters Lawmakers Officers Doctors Researchers Scientists Students Workers Parents Fans Leaders""".split()
)

# Who someone is in the article: "Foreign Minister Sergey Lavrov", "Kremlin spokesman Dmitry Peskov", "Russia's top
# diplomat Sergey Lavrov"; a later "the (Russian) foreign minister said" refers back to them.
ROLE_NOUNS = (r"minister|diplomat|secretary|president|spokesman|spokeswoman|spokesperson|chancellor|ambassador|envoy"
              r"|director|mayor|governor|senator|premier|prosecutor|commander|negotiator|adviser|advisor")

# "The Department of Justice said", "the Bank of England said": a body named with what it is of speaks as a whole
BODIES = re.compile(
    r"Department|Ministry|Bureau|Office|Agency|Administration|Service|Services|Commission|Council|Committee|Board|Court"
    r"|Bank|University|College|School|Institute|Academy|Center|Centre|Association|Society|Federation|Union|League"
    r"|Chamber|Foundation|Fund|Trust|Museum|Church|Embassy|Government|Parliament|Assembly|Congress|Senate|House|Party"
    r"|Authority|Organi[sz]ation|Corporation|Company|Group|Police|Army|Navy|Force|Forces|Command|Republic|Kingdom|State"
    r"|States|Members|Friends|Citizens"
)

# "the President of Slovenia said" is the office; "Secretary of State Rex Tillerson said", the one who holds it
OFFICES = re.compile(r"Minister|Secretary|President|Chief|Chiefs|Director|Head|Chairman|Chairwoman|Chair|Governor|Mayor"
                     r"|Speaker|Attorney|General|Ambassador|Envoy|Commissioner|Chancellor|Deputy|Founder|Editor|Professor"
                     r"|Dean|Judge|Leader|Spokes(?:man|woman|person)|Archbishop|Bishop|Abbot|King|Queen|Prince|Princess"
                     r"|Duke|CEO")

# someone the article does not name says it: "a U.S. official told ABC News", "…," the official said, "…," said a
# senior diplomat: not whoever was quoted before ("the spokesman said" is the spokesman the article named, if any)
SOMEONE = (r"officials?|sources?|aides?|analysts?|experts?|residents?|witness(?:es)?|critics?|observers?|lawmakers?"
           r"|legislators?|investigators?|insiders?|people|person|someone|statement|report|study")

SOMEONE_IN_ROLE = r"spokesm[ae]n|spokeswom[ae]n|spokespe(?:rson|ople)|diplomats?|prosecutors?|advis[eo]rs?"

PLURAL_SOMEONE = r"officials|sources|aides|analysts|experts|residents|witnesses|critics|observers|lawmakers|diplomats|investigators"
