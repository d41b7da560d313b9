"""One spelling for words that sources write in several ways.

Health sources mix British and American spelling ("tumour" and "tumor",
"haemoglobin" and "hemoglobin", "randomised" and "randomized"), write Greek
letters either as letters or as names ("TNF-α" and "TNF-alpha"), and write
accents, ligatures and sub- or superscripts or leave them out ("Sjögren" and
"Sjogren", "œdema" and "oedema", "B₁₂" and "B12").  The stemmer keeps those
apart, so a search for one form missed passages with the other.
`normalise` maps a lower-case word to one form before stemming, at indexing
and at search time alike; the text shown to users is never changed.

Every rule is a plain substitution over a closed list, so a word either
matches a listed form or is left exactly as it was.
"""

from __future__ import annotations

import re
import unicodedata

#: Greek letters by their names (lower-case, as the analyzer sees them after
#: lower-casing).  Mu is "micro": in health texts "μg", "μM" and "μl" are far
#: more common than the letter's own name, and "mum" must not match "5 μM".
GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon",
    "ϵ": "epsilon", "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "theta",
    "ι": "iota", "κ": "kappa", "ϰ": "kappa", "λ": "lambda", "μ": "micro",
    "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi", "ϖ": "pi", "ρ": "rho",
    "ϱ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "ϐ": "beta", "µ": "micro",
}
_GREEK_TABLE = str.maketrans(GREEK)
_GREEK_CHARS = frozenset(GREEK)

#: Latin letters that Unicode does not decompose into a letter and an accent.
#: "ß" is beta: English health texts use it for "β" ("IL-1ß", "IκB kinase ß")
#: far more often than they quote German.
LETTERS = {
    "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
    "ı": "i", "ß": "beta",
}
_FOLD_TABLE = str.maketrans({**GREEK, **LETTERS})

#: British spellings and their American forms, matched anywhere in a word
#: ("lymphoedema", "hypoglycaemic", "neighbouring").  Each British form is
#: long or specific enough not to occur inside an unrelated word.
BRITISH = {
    # -our
    "tumour": "tumor", "behaviour": "behavior", "colour": "color", "labour": "labor",
    "odour": "odor", "humour": "humor", "vapour": "vapor", "flavour": "flavor",
    "favour": "favor", "neighbour": "neighbor", "honour": "honor", "harbour": "harbor",
    "rigour": "rigor", "vigour": "vigor", "savour": "savor", "rumour": "rumor",
    "fervour": "fervor", "clamour": "clamor", "candour": "candor", "armour": "armor",
    "endeavour": "endeavor",
    # ae and oe
    "haem": "hem", "aemi": "emi", "anaes": "anes", "paed": "ped", "oestr": "estr",
    "oesoph": "esoph", "oedem": "edem", "foet": "fet", "coeliac": "celiac",
    "rrhoe": "rrhe", "gynaec": "gynec", "faec": "fec", "caec": "cec",
    "aetiol": "etiol", "caesar": "cesar", "manoeuvr": "maneuver",
    # -re
    "centred": "centered", "centring": "centering", "centre": "center", "fibre": "fiber",
    "litre": "liter", "metre": "meter",
    "theatre": "theater", "calibre": "caliber", "lustre": "luster",
    "spectre": "specter", "sombre": "somber", "meagre": "meager",
    # others
    "analogue": "analog", "catalogue": "catalog", "dialogue": "dialog",
    "defence": "defense", "offence": "offense", "licence": "license",
    "programme": "program", "sulph": "sulf", "aluminium": "aluminum",
}
_BRITISH = re.compile("|".join(sorted(map(re.escape, BRITISH), key=len, reverse=True)))
#: Letters each British form holds at least one run of: a word holding none
#: of them holds no British form (about nine words in ten), found faster
#: than `_BRITISH` finds nothing in it.
_BRITISH_HINTS = ("our", "ae", "oe", "re", "ntr", "gue", "nce", "mme", "lph", "ium")
assert all(any(hint in form for hint in _BRITISH_HINTS) for form in BRITISH)
_BRITISH_HINT = re.compile("|".join(_BRITISH_HINTS))

# -ise/-yse verbs written -ize/-yze in American English ("randomised",
# "hospitalisation", "analysed").  Only stems ending in a pair that real -ize
# verbs end in are rewritten, so "exercise", "precise", "revise", "advertise",
# "surprise" and "noise" stay as they are; the few words that fit the pattern
# but are not -ize verbs are listed.
_ISE = re.compile(
    r"^(\w+(?:al|ol|il|ll|ar|er|or|ur|rd|rg|an|en|on|in|un|gn|om|im|at|it|et|ot|ic|id|og|es|as|ph))"
    r"is(e|ed|es|ing|ation|ations|er|ers|able)$"
)
_NOT_ISE = frozenset({"promise", "promised", "promises", "promising", "compromise",
                      "compromised", "compromises", "compromising", "treatise",
                      "treatises", "valise", "valises", "cerise"})
_YSE = re.compile(r"^(\w+l)ys(e|ed|ing|er|ers)$")


def fold(word: str) -> str:
    """`word` without accents, ligatures, sub- or superscripts and Greek
    letters ("sjögren" -> "sjogren", "b₁₂" -> "b12", "κb" -> "kappab"), when
    that leaves plain ASCII; otherwise only its Greek letters named, so that
    words of other scripts keep their vowel signs and accents."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = bare.translate(_FOLD_TABLE)
    if folded.isascii():
        return folded
    if _GREEK_CHARS.intersection(word):
        return word.translate(_GREEK_TABLE)
    return word


def _american(match: re.Match) -> str:
    return BRITISH[match.group()]


def normalise(word: str) -> str:
    """The one spelling of a lower-case word that the index keeps.

    >>> normalise("tumours"), normalise("κb"), normalise("randomised"), normalise("naïve")
    ('tumors', 'kappab', 'randomized', 'naive')
    """
    word = fold(word)
    if _BRITISH_HINT.search(word):
        for _ in range(4):  # until nothing changes ("aaemi" -> "aemi" -> "emi"): idempotent
            american = _BRITISH.sub(_american, word)
            if american == word:
                break
            word = american
    if "is" in word and word not in _NOT_ISE:
        word = _ISE.sub(r"\1iz\2", word)
    if "lys" in word:
        word = _YSE.sub(r"\1yz\2", word)
    return word
