"""Drug names that health sources use for the same substance.

British and European sources write the International Nonproprietary Name
(INN) or a British Approved Name (BAN), American ones the United States
Adopted Name (USAN): "paracetamol" and "acetaminophen", "salbutamol" and
"albuterol".  Older British sources keep the BANs that the UK replaced by
the INN in the 2000s ("frusemide", "lignocaine", "amoxycillin").  Each group
below names one substance by those names, from the WHO's INN lists, the
British and European Pharmacopoeias and the USAN Council's names.

An index searches them as if they were groups of the corpus's synonym map
(`synonyms.toml`, see `query.with_built_ins`), and a group of the map that
names one of these terms takes in its whole group.  The list is closed;
a group may be added when:

- every name in it is an INN, a BAN (current or former), a USAN or a
  pharmacopoeia's name for exactly the same substance: not another salt or
  ester, a prodrug ("carbimazole" for "thiamazole"), a name that also means
  something else ("thyroxine", the body's own hormone, for
  "levothyroxine"), a class, a brand or an abbreviation;
- health sources write both names for the drug itself;
- the names differ after `indexer/spellings.py` and stemming, which
  already match "sulphasalazine" with "sulfasalazine", "oestradiol" with
  "estradiol" and "cyclosporine" with "cyclosporin"
  (`tests/test_drug_names.py` checks each group).
"""

from __future__ import annotations

#: Each group: the names of one substance, the international (or British)
#: name first.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("paracetamol", "acetaminophen"),
    ("epinephrine", "adrenaline"),
    ("norepinephrine", "noradrenaline"),
    ("acetylsalicylic acid", "aspirin"),
    ("salbutamol", "albuterol"),
    ("levosalbutamol", "levalbuterol"),
    ("formoterol", "eformoterol"),
    ("isoprenaline", "isoproterenol"),
    ("beclometasone", "beclomethasone"),
    ("cromoglicate", "cromoglycate", "cromolyn"),
    ("lidocaine", "lignocaine"),
    ("tetracaine", "amethocaine"),
    ("furosemide", "frusemide"),
    ("bendroflumethiazide", "bendrofluazide"),
    ("chlortalidone", "chlorthalidone"),
    ("torasemide", "torsemide"),
    ("glyceryl trinitrate", "nitroglycerin"),
    ("acenocoumarol", "nicoumalone"),
    ("colestyramine", "cholestyramine"),
    ("pentoxifylline", "oxpentifylline"),
    ("moxisylyte", "thymoxamine"),
    ("pethidine", "meperidine"),
    ("metamizole", "dipyrone"),
    ("indometacin", "indomethacin"),
    ("ciclosporin", "cyclosporine"),
    ("tioguanine", "thioguanine"),
    ("hydroxycarbamide", "hydroxyurea"),
    ("mitoxantrone", "mitozantrone"),
    ("rifampicin", "rifampin"),
    ("aciclovir", "acyclovir"),
    ("valaciclovir", "valacyclovir"),
    ("ribavirin", "tribavirin"),
    ("amoxicillin", "amoxycillin"),
    ("flucloxacillin", "floxacillin"),
    ("cefalexin", "cephalexin"),
    ("cefazolin", "cephazolin"),
    ("cefalotin", "cephalothin"),
    ("cefradine", "cephradine"),
    ("methenamine", "hexamine"),
    ("glibenclamide", "glyburide"),
    ("thiamazole", "methimazole"),
    ("tetracosactide", "tetracosactrin", "cosyntropin"),
    ("colecalciferol", "cholecalciferol"),
    ("phytomenadione", "phytonadione"),
    ("norethisterone", "norethindrone"),
    ("diethylstilbestrol", "stilboestrol"),
    ("clomifene", "clomiphene"),
    ("ergometrine", "ergonovine"),
    ("leuprorelin", "leuprolide"),
    ("mesalazine", "mesalamine"),
    ("dicycloverine", "dicyclomine"),
    ("hyoscine", "scopolamine"),
    ("chlorphenamine", "chlorpheniramine"),
    ("alimemazine", "trimeprazine"),
    ("pizotifen", "pizotyline"),
    ("guaifenesin", "guaiphenesin"),
    ("dimeticone", "dimethicone"),
    ("phenobarbital", "phenobarbitone"),
    ("thiopental", "thiopentone"),
    ("suxamethonium", "succinylcholine"),
    ("glycopyrronium", "glycopyrrolate"),
    ("clomethiazole", "chlormethiazole"),
    ("dosulepin", "dothiepin"),
    ("levomepromazine", "methotrimeprazine"),
    ("flupentixol", "flupenthixol"),
    ("trihexyphenidyl", "benzhexol"),
    ("benzatropine", "benztropine"),
    ("amfetamine", "amphetamine"),
    ("dexamfetamine", "dexamphetamine", "dextroamphetamine"),
    ("lisdexamfetamine", "lisdexamphetamine"),
    ("metamfetamine", "methamphetamine"),
    ("calcipotriol", "calcipotriene"),
    ("dithranol", "anthralin"),
)
