"""Top-level domains accepted in e-mail addresses and URLs.

Every ISO 3166 country code plus the generic TLDs that occur in practice;
``example.invalid`` style names and file names like ``config.yaml`` fail.
"""

_COUNTRY_CODES = (
    "ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz "
    "ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk "
    "fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq "
    "ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh "
    "mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk "
    "pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl sm sn so sr ss st su sv sx sy sz "
    "tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw"
)
_GENERIC = (
    "com org net edu gov mil int info biz name pro aero coop museum mobi asia tel travel jobs cat "
    "app dev io ai cloud online site tech store shop blog xyz top club live email page news media "
    "agency digital solutions services company group global network systems software studio design "
    "consulting finance bank insurance health care legal law academy school university college "
    "international world life today work works space website host press social"
)
# ".md", ".py", ".sh", ".rs" are country codes and also file extensions; e-mail
# and URL recognizers accept them, which is the right call for addresses.
VALID_TLDS: frozenset[str] = frozenset((_COUNTRY_CODES + " " + _GENERIC).split())


def tld_valid(domain: str) -> bool:
    """True when the last label of ``domain`` is a known top-level domain."""
    return domain.rsplit(".", 1)[-1].lower() in VALID_TLDS
