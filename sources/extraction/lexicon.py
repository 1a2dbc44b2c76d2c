"""The words attribution is made of, per language: speech verbs, titles, role nouns, pronouns.

A ``Lexicon`` is built for the article's language (``"en"``, ``"es"``; an unknown language gets
both) and compiles the regular expressions the other modules use. Everything here is general news
writing vocabulary; nothing is specific to one article.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĵķĺļľŀłńņňŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżž"


def _words(text: str) -> list[str]:
    return text.split()


EN = {
    "verbs": _words(
        "said says say told tells tell wrote writes added adds insisted insists recounted recounts "
        "emphasized emphasizes emphasised emphasises stressed stresses stated states explained "
        "explains noted notes declared declares argued argues claimed claims asked asks replied "
        "replies answered answers warned warns announced announces confirmed confirms continued "
        "continues recalled recalls affirmed affirms assured assures maintained maintains tweeted "
        "tweets posted posts commented comments remarked remarks acknowledged acknowledges admitted "
        "admits urged urges concluded concludes reiterated reiterates responded responds promised "
        "promises vowed vows denied denies countered counters conceded concedes predicted predicts "
        "cautioned cautions joked jokes quipped quips boasted boasts complained complains observed "
        "observes pointed suggested suggests shouted shouts exclaimed exclaims wondered wonders "
        "testified testifies lamented laments praised praises criticized criticised criticizes "
        "insisting saying adding explaining noting telling writing arguing warning stressing "
        "laughed smiled shrugged sighed recalling calling describing describes described "
        "summed sums called calls accused accuses"
    ),
    "aux": _words("has had have was is were would will also then later again once previously"),
    "adverbs": _words("later then again also yesterday today tonight afterwards earlier simply"),
    "titles": _words(
        "President Vice-President Vice Prime Minister Senator Sen. Representative Rep. Governor Gov. "
        "Mayor Secretary Chancellor Judge Justice General Gen. Mr. Mrs. Ms. Miss Dr. Prof. Sir Dame "
        "Congressman Congresswoman Ambassador King Queen Pope Premier Commissioner Chairman "
        "Chairwoman Director Chief Minister Attorney Sheriff Coach Captain Capt. Col. Lt. Sgt. "
        "Rev. Father Sister Lord Lady Prince Princess Speaker Leader Councillor Councilor "
        "Councilman Councilwoman Cllr Sgt Det. Insp. Supt. Assemblymember Delegate Commander"
    ),
    "roles": _words(
        "leader president minister spokesperson spokesman spokeswoman official senator governor "
        "mayor chancellor secretary director chief head ceo cfo coo cto chairman chairwoman chair "
        "candidate lawmaker legislator congressman congresswoman representative ambassador envoy "
        "diplomat general commander judge justice author journalist activist advocate expert "
        "economist premier king queen pope prosecutor attorney president-elect lawyer counsel "
        "analyst researcher scientist professor doctor physician officer coach manager striker "
        "midfielder goalkeeper keeper defender forward player captain quarterback founder "
        "co-founder executive owner commissioner sheriff detective investigator nominee "
        "democrat republican witness resident victim husband wife mother father son daughter "
        "teacher student nurse chairperson superintendent inspector adviser advisor strategist "
        "historian owner host anchor reporter aide negotiator mediator forecaster meteorologist "
        "singer musician actor actress artist writer novelist poet farmer driver worker "
        "firefighter engineer senior junior sophomore freshman parent neighbor neighbour chef "
        "pastor priest bishop rabbi imam organiser organizer volunteer survivor year-old "
        "teenager veteran shareholder investor trader banker consultant tenant landlord "
        "pensioner retiree councillor councilor councilman councilwoman assistant deputy "
        "correspondent commentator pundit lecturer principal dean coroner paramedic "
        "sergeant lieutenant constable superintendent trustee campaigner "
        "spokesmen"
    ),
    "determiners": _words("the his her their its a an our"),
    "pronouns3": _words("he she they"),
    "pronouns1": _words("i we"),
    "according": ["according to", "in the words of"],
    "prepositions": _words(
        "of to for with from by about against at in on into over under after before than like "
        "between among toward towards during without per via including with"
    ),
    "that": ["that"],
    "naming": ["nicknamed", "dubbed", "known as", "called", "aka", "a.k.a.", "alias", "titled",
               "entitled", "named"],
    "not_names": _words(
        "The A An In On At Although Though But And However After Before When While If This That "
        "These Those It Its As For From With Without By Of To Then Yet So Also Meanwhile Still Now "
        "Here There Despite During Since Until Under Over About Against Among Between Both Either "
        "Neither Each Every Some Many Most Such What Which Who Whom Whose Why How Where Our Your "
        "Their His Her My We They He She I You Published Updated Photo Credit Source According "
        "Last Next No Yes Not Asked Speaking Earlier Later Today Tomorrow Yesterday Tonight "
        "Subscribe Advertisement Related Editing Reporting Compiled Writing "
        "Additional Thanks Please Mr Mrs Ms Dr Sen Rep Gov"
    ),
}

ES = {
    "verbs": _words(
        "dijo dice dijeron dicen afirmó afirma afirmaron aseguró asegura aseguraron señaló señala "
        "señalaron expresó expresa explicó explica explicaron indicó indica indicaron advirtió "
        "advierte advirtieron sostuvo sostiene respondió responde agregó agrega añadió añade "
        "comentó comenta declaró declara destacó destaca subrayó subraya insistió insiste apuntó "
        "apunta manifestó manifiesta precisó precisa reconoció reconoce detalló detalla bromeó "
        "admitió admite reiteró reitera sentenció concluyó recalcó recalca enfatizó enfatiza "
        "puntualizó lamentó lamenta denunció denuncia criticó critica celebró prometió promete "
        "anunció anuncia aclaró aclara alertó confesó confiesa contó cuenta relató relata narró "
        "replicó replica contestó contesta preguntó pregunta exclamó escribió escribe publicó "
        "tuiteó defendió defiende argumentó argumenta planteó plantea resaltó resalta remarcó "
        "acotó zanjó cuestionó cuestiona consideró considera opinó opina estimó valoró mencionó "
        "refirió informó comunicó afirmaba decía aseguraba advertía insistía sostenía explicaba "
        "contaba recordaba lamentaba pedía pidió pide reclamó reclama exigió exige instó insta "
        "propuso matizó comentaba señalaba reconocía admitía bromeaba confesaba detallaba "
        "repetía repitió concluía contestaba respondía preguntaba relataba narraba habló habla "
        "calificó describió definió resumió agradecía celebraba criticaba denunciaba avisó avisa "
        "alertaba prometía anunciaba aclaraba ironizaba sentenciaba zanjaba replicaba apostilló "
        "decir acusó acusa acusaba"
        "recordó recuerda agradeció ironizó suspiró añadía agregaba subrayaba dicho afirmado "
        "señalado asegurado expresado explicado indicado advertido sostenido respondido agregado "
        "añadido comentado declarado destacado subrayado insistido apuntado manifestado precisado "
        "reconocido detallado admitido reiterado anunciado aclarado escrito publicado"
    ),
    "aux": _words("ha había habría han habían también ya luego después incluso además lo la le "
                  "les los las se me nos"),
    "adverbs": _words("ayer hoy anoche luego después entonces también además finalmente antes "
                      "ahora"),
    "titles": _words("Don Doña Sr. Sra. Srta. Dr. Dra. Lic. Ing. Mtro. Mtra. Fray Sor San Santa"),
    "roles": _words(
        "presidente presidenta mandatario mandataria secretario secretaria senador senadora "
        "diputado diputada gobernador gobernadora alcalde alcaldesa ministro ministra canciller "
        "portavoz vocero vocera entrenador entrenadora técnico técnica director directora jefe jefa "
        "fiscal juez jueza magistrado magistrada líder dirigente legislador legisladora consejero "
        "consejera delegado delegada embajador embajadora abogado abogada analista experto experta "
        "economista investigador investigadora profesor profesora doctor doctora candidato "
        "candidata panista panistas morenista morenistas priista perredista emecista petista "
        "capitán capitana jugador jugadora delantero delantera portero portera guardameta extremo "
        "defensa centrocampista atleta piloto ejecutivo ejecutiva funcionario funcionaria titular "
        "coordinador coordinadora comisionado comisionada rector rectora obispo papa rey reina "
        "príncipe princesa activista periodista escritor escritora autor autora premier "
        "vicepresidente vicepresidenta subsecretario subsecretaria representante sindicalista "
        "empresario empresaria fundador fundadora cofundador consejero mediocampista arquero "
        "capitán dt míster seleccionador seleccionadora defensor defensora vocal edil regidor "
        "regidora alcaldía diputados senadores ministro vicecanciller procurador procuradora "
        "ombudsman comandante general coronel policía agente testigo víctima vecino vecina "
        "esposo esposa marido mujer madre padre hijo hija "
        "vecino vecina inquilino inquilina arquitecto arquitecta ingeniero ingeniera bombero "
        "bombera agricultor agricultora cantante actor actriz artista novelista poeta "
        "conductor conductora trabajador trabajadora enfermero enfermera médico médica "
        "epidemiólogo epidemióloga consejera concejal concejala joven superviviente "
        "accionista inversor inversora banquero analista presentador presentadora "
        "árbitro árbitra delegada representante catedrático catedrática investigadora "
        "sindicalista gerente reportero reportera corresponsal"
    ),
    "determiners": _words("el la los las un una su sus nuestro nuestra este esta ese esa"),
    "pronouns3": _words("él ella ellos ellas"),
    "pronouns1": _words("yo nosotros nosotras"),
    "according": ["según", "de acuerdo con", "a juicio de", "en palabras de", "en opinión de"],
    "prepositions": _words(
        "de del a al con para por sobre en entre contra hacia hasta desde sin ante tras bajo "
        "durante mediante"
    ),
    "that": ["que"],
    "naming": ["apodó", "apodado", "apodada", "apodan", "apodaban", "llamado", "llamada",
               "conocido como", "conocida como", "alias", "bautizado", "bautizada", "titulado",
               "titulada", "denominado", "denominada", "mote", "apodo"],
    "not_names": _words(
        "El La Los Las Un Una Unos Unas En Con Por Para Pero Sin Sobre Tras Ante Desde Hasta Según "
        "Aunque Cuando Mientras Si Este Esta Estos Estas Ese Esa Eso Esto Aquel Su Sus Nuestro "
        "Nuestra Mi Tu Yo Él Ella Ellos Ellas Nosotros De Del Al Lo Le Les Se No Sí Ya Así También "
        "Además Luego Después Antes Hoy Ayer Mañana Quien Quienes Qué Cómo Dónde Cuál Porque Pues "
        "Entonces Sin Embargo Asimismo Publicado Actualizado Lea Vea Lunes Martes "
        "Miércoles Jueves Viernes Sábado Domingo Todo Todos Cada Otro Otra Otros Tanto Hay "
        "Ni Ni O Y E"
    ),
}

COMMON_NOT_NAMES = _words(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept "
    "Oct Nov Dec AM PM GMT UTC EST EDT PST CET Q1 Q2 Q3 Q4 OK TV VAR"
)

# Role nouns that mean the same job: "the coach" finds a person introduced as "manager".
ROLE_SYNONYMS = [
    {"coach", "manager", "entrenador", "entrenadora", "técnico", "técnica", "dt", "míster",
     "seleccionador", "seleccionadora"},
    {"president", "presidente", "presidenta", "mandatario", "mandataria"},
    {"ceo", "chief", "executive", "ejecutivo", "ejecutiva", "director", "directora"},
    {"spokesperson", "spokesman", "spokeswoman", "portavoz", "vocero", "vocera"},
    {"goalkeeper", "keeper", "portero", "portera", "guardameta", "arquero"},
    {"senator", "senador", "senadora", "lawmaker", "legislator", "legislador", "legisladora"},
    {"minister", "ministro", "ministra", "secretary", "secretario", "secretaria"},
    {"lawyer", "attorney", "abogado", "abogada", "counsel"},
    {"judge", "justice", "juez", "jueza", "magistrado", "magistrada"},
    {"governor", "gobernador", "gobernadora"},
    {"mayor", "alcalde", "alcaldesa"},
    {"husband", "esposo", "marido"}, {"wife", "esposa", "mujer"},
]
# Role nouns that fit any job ("the Mexican leader" may be its president or prime minister).
GENERIC_ROLES = frozenset(_words("leader líder head official chief jefe jefa dirigente funcionario "
                                 "funcionaria officer"))
ROLE_GROUP = {word: min(group) for group in ROLE_SYNONYMS for word in group}

# Demonyms and country names: "the Mexican leader" fits "the president of Mexico".
DEMONYMS = {
    "mexican": "mexico", "mexicano": "mexico", "mexicana": "mexico", "méxico": "mexico",
    "american": "united-states", "estadounidense": "united-states", "u.s.": "united-states",
    "us": "united-states", "america": "united-states", "ee.uu.": "united-states",
    "british": "united-kingdom", "uk": "united-kingdom", "u.k.": "united-kingdom",
    "britain": "united-kingdom", "británico": "united-kingdom", "británica": "united-kingdom",
    "french": "france", "francés": "france", "francesa": "france", "francia": "france",
    "german": "germany", "alemán": "germany", "alemana": "germany", "alemania": "germany",
    "canadian": "canada", "canadiense": "canada", "canadá": "canada",
    "chinese": "china", "chino": "china", "china": "china", "russian": "russia", "ruso": "russia",
    "rusa": "russia", "rusia": "russia", "ukrainian": "ukraine", "ucraniano": "ukraine",
    "ucrania": "ukraine", "spanish": "spain", "español": "spain", "española": "spain",
    "españa": "spain", "brazilian": "brazil", "brasileño": "brazil", "brasileña": "brazil",
    "brasil": "brazil", "argentine": "argentina", "argentinian": "argentina",
    "argentino": "argentina", "colombian": "colombia", "colombiano": "colombia",
    "colombiana": "colombia", "venezuelan": "venezuela", "venezolano": "venezuela",
    "venezolana": "venezuela", "cuban": "cuba", "cubano": "cuba", "cubana": "cuba",
    "israeli": "israel", "israelí": "israel", "italian": "italy", "italiano": "italy",
    "italiana": "italy", "italia": "italy", "indian": "india", "japanese": "japan",
    "japonés": "japan", "japonesa": "japan", "japón": "japan", "chilean": "chile",
    "chileno": "chile", "chilena": "chile", "peruvian": "peru", "peruano": "peru",
    "peruana": "peru", "perú": "peru",
}

# Words that tell a person's gender in a role or title ("la ministra", "Mrs.", "spokeswoman"),
# so "she" and "la mandataria" are not resolved to a man the text called "el presidente".
FEMININE = frozenset(_words(
    "la una sra. sra mrs. mrs ms. ms miss dra. dra doña lady queen princess dame spokeswoman "
    "chairwoman congresswoman councilwoman businesswoman actress wife mother daughter sister "
    "grandmother widow she ella"))
MASCULINE = frozenset(_words(
    "el un sr. sr mr. mr don sir lord king prince spokesman chairman congressman councilman "
    "businessman actor husband father son brother grandfather widower he él"))

PARTICLES = _words("de del la las los van von der den da di du dos das bin al el le y e ibn ben st.")

# Words that make a name an organisation's ("the White House", "the Ministry of Foreign Affairs").
ORGANIZATION_WORDS = frozenset(_words(
    "House Ministry Ministries Department Office Bank Agency Commission Council Court Party "
    "Government Administration Army Navy Military Police Pentagon Kremlin Secretariat Institute "
    "University Union Nations Committee Company Corporation Association Foundation Federation "
    "Bureau Service Embassy Consulate Congress Senate Parliament Cabinet Presidency Campaign Guard "
    "Organization Organisation Authority Board Group Network Press Reuters Times Post Journal "
    "News Inc Inc. Corp Corp. Ltd LLC Watch Fund Center Centre Coalition Alliance Movement Chamber "
    "Assembly Tribunal Command Forces Cartel Registry Club FC Team Holdings Partners Systems "
    "Technologies Labs Capital Airlines Motors Energy Group Ministerio Secretaría Gobierno "
    "Presidencia Tribunal Corte Suprema Congreso Senado Cámara Partido Comisión Consejo Instituto "
    "Universidad Asociación Fundación Federación Banco Agencia Ayuntamiento Junta Fiscalía "
    "Policía Ejército Comité Sindicato Empresa Compañía Club Equipo Selección Oficina Embajada "
    "Alcaldía Procuraduría Defensoría Organización Naciones Unidas Movimiento Frente Red SA S.A. "
    "Sociedad Grupo Cruz Media Council"
))
# Title-case words of places and common non-person capitalised words: a run made only of these
# (plus organisation words) is never a person.
PLACE_WORDS = frozenset(_words(
    "United States Kingdom America American New York Washington London Paris Madrid Mexico México "
    "City Ciudad Street Avenue Road Square Park River North South East West Northern Southern "
    "Eastern Western Central Middle Island Islands Republic Federal National International "
    "European European Union Africa Asia Europe Latin Gulf Sea Ocean Valley Mountain Mountains "
    "County State Province Provinces Región Region Capitol Hill White Supreme Circuit District "
    "Appeals Superior Day Christmas Easter Cup League Liga Copa Champions World Olympic Games "
    "Premier Internet Google Facebook Twitter Instagram TikTok YouTube Truth Social Zoom Covid "
    "COVID Wall Street Dow Jones Nasdaq Street Stock Exchange Airport Station Hospital Stadium "
    "Estadio Plaza Calle Avenida Norte Sur Este Oeste Estados Unidos Nueva España Spanish English "
    "Democratic Republican Democrats Republicans Conservative Labour Liberal"
))


def trie_regex(words) -> str:
    """One regular expression for a set of words, as a trie: "sa(?:id|ys)" rather than
    "said|says" — hundreds of alternatives tried at every position are what made extraction
    slow. Longer words are preferred (the optional continuation is greedy)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return "(?:" + build(trie) + ")"


@dataclass(frozen=True)
class Lexicon:
    languages: tuple[str, ...]
    verbs: frozenset[str]
    aux: tuple[str, ...]
    adverbs: tuple[str, ...]
    titles: tuple[str, ...]
    roles: frozenset[str]
    determiners: frozenset[str]
    pronouns3: frozenset[str]
    pronouns1: frozenset[str]
    according: tuple[str, ...]
    prepositions: frozenset[str]
    that: tuple[str, ...]
    naming: tuple[str, ...]
    not_names: frozenset[str]

    # --- compiled patterns ---
    @functools.cached_property
    def verb(self) -> str:
        return trie_regex(self.verbs)

    @functools.cached_property
    def verbs_folded(self) -> frozenset[str]:
        """The last word of every speech verb, lower case ("acertó a decir" → "decir")."""
        return frozenset(verb.split()[-1].lower() for verb in self.verbs)

    @functools.cached_property
    def verb_re(self) -> re.Pattern:
        return re.compile(r"\b" + self.verb + r"\b", re.I)

    @functools.cached_property
    def title(self) -> str:
        # "Sgt." and "Sgt" alike (British usage drops the full stop).
        spellings = {t for title in self.titles for t in (title, title.rstrip("."))}
        return trie_regex(spellings) + r"\b\.?"

    @functools.cached_property
    def role_noun(self) -> str:
        return trie_regex(self.roles)

    @functools.cached_property
    def determiner(self) -> str:
        alternatives = sorted(self.determiners, key=len, reverse=True)
        return r"(?:" + "|".join(w for d in alternatives for w in (d, d.capitalize())) + r")"

    @functools.cached_property
    def pronoun(self) -> str:
        words = sorted(self.pronouns3 | self.pronouns1, key=len, reverse=True)
        spellings = [w for p in words for w in ((p, p.capitalize()) if p != "i" else ("I",))]
        return r"\b(?:" + "|".join(spellings) + r")\b"


@functools.cache
def lexicon_for(language: str | None) -> Lexicon:
    """The lexicon for an ISO 639-1 code; English and Spanish together for anything else."""
    parts = {"en": [EN], "es": [ES]}.get((language or "").lower()[:2], [EN, ES])
    if parts == [ES]:
        # Spanish news quotes English speakers ("said") rarely, but its titles and stop words
        # (Mr., The) appear; English closed-class words are harmless in Spanish text.
        parts = [ES, {k: EN[k] for k in ("titles", "not_names")}]

    def union(key: str) -> list[str]:
        return [w for part in parts for w in part.get(key, [])]

    return Lexicon(
        languages=tuple(p for p, d in (("en", EN), ("es", ES)) if any(d is part for part in parts)),
        verbs=frozenset(union("verbs")), aux=tuple(dict.fromkeys(union("aux"))),
        adverbs=tuple(dict.fromkeys(union("adverbs"))),
        titles=tuple(dict.fromkeys(union("titles"))), roles=frozenset(union("roles")),
        determiners=frozenset(union("determiners")), pronouns3=frozenset(union("pronouns3")),
        pronouns1=frozenset(union("pronouns1")), according=tuple(union("according")),
        prepositions=frozenset(union("prepositions")), that=tuple(union("that")),
        naming=tuple(union("naming")),
        not_names=frozenset(union("not_names")) | frozenset(COMMON_NOT_NAMES),
    )
