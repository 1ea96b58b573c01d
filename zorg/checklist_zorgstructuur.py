"""The standard questionnaires of the zelfevaluatie, copied into a school's own editable Vragenlijst
by zorg.zelfevaluatie.standaard_vragenlijst().

CHECKLIST_ZORGSTRUCTUUR: "Checklist voor de zorgstructuur in het voortgezet onderwijs" (seed 000,
Bijlage 5, L3009-3264): 20 rubrieken, 121 statements, scored -- - + ++ ? by management, zorgfunctie,
mentor and docent. Texts as in the source (line breaks joined, a missing full stop added).

EVALUATIE_ZORGOVERLEG: the yearly evaluation of the zorgoverleg (ZAT/IZO), written from the basic
elements of an effective and efficient zorgoverleg (seed 003, L4927-4957, after Slotboom en
Louwersheimer 2001) as statements on the same scale.
"""

CHECKLIST_NAAM = "Checklist zorgstructuur"

CHECKLIST_TOELICHTING = (
    "Checklist voor de zorgstructuur in het voortgezet onderwijs.\n\n"
    "Hoe goed kloppen de volgende zaken? Kies per vraag één antwoord: "
    "++ sterk, + meer sterk dan zwak, - meer zwak dan sterk, -- zwak, ? weet ik niet. "
    "Als u een vraag niet kunt beantwoorden, laat u haar leeg.\n\n"
    "Onderaan kunt u opmerkingen over de checklist kwijt. "
    "Hartelijk dank voor het serieus invullen van de checklist!"
)

CHECKLIST_ZORGSTRUCTUUR = [
    (
        "Stimulerende leeromgeving",
        [
            "Onze leerlingen krijgen positieve feedback.",
            "Leerlingen werken bij ons samen.",
            "De communicatie in onze school is ontspannen en positief.",
            "Bij ons laten leraren merken dat ze positieve verwachtingen hebben van leerlingen.",
            "Onze leraren laten merken dat ze vertrouwen hebben in de leerlingen.",
            "De lokalen in onze school zijn gezellig en verzorgd.",
        ],
    ),
    (
        "Schoolklimaat",
        [
            "Wij zorgen ervoor dat de lokalen en materialen veilig zijn.",
            "Bij ons houden leraren en leerlingen zich aan de afgesproken schoolregels.",
            "Bij ons op school hebben we een omgangsregels vastgelegd in een gedragscode.",
            "Bij ons houden leraren en leerlingen zich aan de afgesproken omgangsregels.",
            "Bij ons spreken leraren de leerlingen aan op de afgesproken omgangsregels.",
            "Wij hanteren afspraken op schoolniveau omtrent straffen en belonen.",
            "Wij gaan vertrouwelijk om met informatie over leerlingen en hun thuissituatie.",
            "Wij behandelen leerlingen gelijkwaardig en rechtvaardig.",
        ],
    ),
    (
        "Betrokkenheid van leerlingen",
        [
            "Leerlingen mogen zich bij ons uiten.",
            "Leerlingen mogen meedenken over de inrichting van de leerstof.",
            "Leerlingen mogen meedenken over de beoordeling van het werk.",
            "Wij schakelen leerlingen in bij het organiseren van activiteiten.",
            "Wij schakelen leerlingen in bij het helpen van elkaar.",
            "Wij dagen leerlingen uit zelf initiatieven te nemen.",
            "Bij ons op school is een leerlingenraad actief.",
        ],
    ),
    (
        "Adaptief onderwijs",
        [
            "Bij ons passen leraren de instructie aan op de onderwijsbehoeften van de leerlingen.",
            "Bij ons passen leraren de inhouden aan op de onderwijsbehoeften van de leerlingen.",
            "Bij ons passen leraren de leeractiviteiten aan op de onderwijsbehoeften van de leerlingen.",
            "Bij ons passen leraren de werkvormen aan op de onderwijsbehoeften van de leerlingen.",
            "Bij ons passen leraren de taal aan op de taalbehoeften van de leerlingen.",
            "Bij ons nemen leraren zonodig dispenserende of compenserende maatregelen.",
        ],
    ),
    (
        "Begeleiding in de lessen",
        [
            "Bij ons observeren leraren leerlingen.",
            "Bij ons leggen leraren de observatiegegevens vast.",
            "Bij ons signaleren leraren pedagogische problemen bij leerlingen.",
            "Bij ons signaleren leraren didactische problemen bij leerlingen.",
            "Bij ons bespreken leraren regelmatig met elkaar welke begeleidingsactiviteiten worden ondernomen.",
            "Bij ons voeren leraren afgesproken begeleidingsactiviteiten uit.",
            "Leraren op onze school zijn beschikbaar voor leerlingen.",
        ],
    ),
    (
        "De mentor",
        [
            "Elke leerling heeft op onze school een goed functionerende mentor.",
            "De mentor signaleert ontwikkelingsbehoeften op het gebied van de persoonlijke kwaliteiten van de "
            "leerling.",
            "De mentor leidt bij ons de leerlingbesprekingen van zijn groep.",
            "De mentor houdt in het eerste jaar contact met de toeleverende basisscholen over de leerlingen.",
            "Leerlingen mogen bij ons hun eigen mentor kiezen.",
            "Op onze school kunnen ook leerlingen optreden als begeleider.",
        ],
    ),
    (
        "Eigen voortgang",
        [
            "Bij ons krijgt elke leerling regelmatig informatie over zijn voortgang en ontwikkeling.",
            "Bij ons houden leerlingen hun eigen voortgang bij.",
            "Elke leerling heeft op onze school een loopbaanportfolio.",
            "Elke leerling werkt met een persoonlijk ontwikkelingsplan.",
        ],
    ),
    (
        "Sociaal-emotionele problemen en gedragsproblemen",
        [
            "Bij ons zijn leraren bekwaam in het analyseren van probleemgedrag en probleemsituaties.",
            "Bij ons zijn leraren in staat om tijdig sociaal-emotionele problemen en gedragsproblemen aan te pakken.",
            "Bij ons vragen leraren feedback op hun interacties met ‘problematische’ leerlingen.",
            "Bij ons verdiepen leraren zich in de achtergronden en aanpakken van probleemgedrag.",
        ],
    ),
    (
        "Handelingsplannen",
        [
            "Op onze school wordt gewerkt met gestructureerd handelingsplannen.",
            "De mentor is betrokken bij het opstellen van het handelingsplan van leerlingen in zijn klas.",
            "De mentor overlegt over het handelingsplan met het zorgteam.",
            "De mentor overlegt in het eerste leerjaar over het handelingsplan met de toeleverende school.",
            "Een leerling en zijn ouders/verzorgers mogen bij ons het handelingsplan inzien.",
            "Het handelingsplan is opgesteld met medeweten van de leerling.",
            "Op onze school zijn gestructureerde groepsbesprekingen.",
            "Indien nodig wordt voor groepen een passend groepsplan gemaakt.",
            "Bij ons wordt het groepsplan opgesteld samen met de leerlingen.",
        ],
    ),
    (
        "Tussentijdse in- en uitstroom",
        [
            "Op onze school krijgt elke leerling een rapportage mee bij het voortijdig verlaten van de school.",
            "Bij tussentijds instromen op school ontvangen wij de leerlinginformatie van de toeleverende school.",
            "Bij ons krijgen alle ingeschreven leerlingen de juiste begeleiding, opvang en zorg, inclusief de "
            "leerlingen die veel verzuimen of die te vroeg uitstromen.",
            "Wij registreren en melden ingeschreven leerlingen die veel verzuimen, niet verschijnen, niet instromen "
            "of te vroeg uitstromen.",
        ],
    ),
    (
        "Ouderbetrokkenheid",
        [
            "Onze school voert een gesprek met ouders/verzorgers bij aanmelding van de leerling.",
            "De mentor informeert ouders/verzorgers tijdig en regelmatig over de voortgang van hun kind.",
            "Bij ons maken de mentor of counselor, de leerling en de ouders/verzorgers samen afspraken over de "
            "begeleiding.",
            "Wij betrekken ouders/verzorgers bij de profielkeuze van de leerling.",
            "Wij betrekken ouders/verzorgers bij de keuze voor de vervolgopleiding van de leerling.",
            "Bij ons op school is een oudercommissie actief.",
        ],
    ),
    (
        "Beleid zorgstructuur",
        [
            "Op onze school waarborgt het management de algemene condities voor zorg.",
            "Bij ons wordt leerlingenzorg door het schoolmanagement aangestuurd.",
            "Het management van onze school heeft in samenspraak met het zorgteam een visie op zorg uitgewerkt.",
            "Onze visie op zorg is uitgewerkt in een zorgplan.",
        ],
    ),
    (
        "Zorgteam",
        [
            "Op onze school coördineert 1 persoon alle zorgactiviteiten.",
            "Deze coördinator geeft leiding aan het zorgteam binnen onze school.",
            "Deze coördinator voert overleg met het extern/bovenschoolse zorgteam.",
            "Onze school heeft voldoende deskundigen op het gebied van sociaal-emotionele begeleiding.",
            "Onze school heeft voldoende deskundigen op het gebied van begeleiding van leerlingen met leerproblemen.",
            "Onze school heeft voldoende deskundigen op het gebied van begeleiding van keuzeprocessen.",
            "Deze deskundigen werken samen in een zorgteam.",
            "Het zorgteam neemt deel aan de leerlingbesprekingen.",
            "Het zorgteam neemt deel aan de groepsbesprekingen.",
            "Het zorgteam neemt deel aan de rapportbesprekingen.",
            "De afspraken die tijdens besprekingen worden gemaakt worden op papier vastgelegd.",
        ],
    ),
    (
        "Veiligheidsbeleid",
        [
            "Onze school heeft protocollen over hoe te handelen in gevallen als pesten, diefstal, geweld, alcohol en "
            "drugs, ongevallen en wapenbezit.",
            "Onze school heeft een opvang georganiseerd voor leerlingen bij ernstige conflicten of crisissituaties.",
            "Onze school heeft personeelsopvang geregeld bij ernstige conflicten of crisissituaties.",
            "Onze school heeft een vertrouwenspersoon/vertrouwenspersonen.",
            "Onze school heeft duidelijke regels omtrent waarborging van privacy.",
            "Onze school heeft een sluitende incidentenregistratie.",
            "Het management bewaakt de afspraken en regels die gelden voor leraren en leerlingen.",
        ],
    ),
    (
        "Leerlingvolgsysteem / pedagogisch-didactische administratie",
        [
            "Onze school heeft voor alle leerlingen een leerlingvolgsysteem.",
            "Onze leerlinggegevens zijn in gevoerd in een geautomatiseerd systeem.",
            "Onze school waarborgt de privacy van leerlinggegevens.",
            "De leerlinggegevens worden structureel bijgehouden.",
            "De leerlinggegevens worden structureel gebruikt.",
            "Onze school voert een actief verzuimbeleid.",
        ],
    ),
    (
        "Zorgvoorzieningen",
        [
            "Bij ons op school zijn er literatuur, films of andere bronnen aanwezig met tips over sociaal-emotionele "
            "problematiek bij jongeren (orthotheek).",
            "Bij ons op school is er materiaal aanwezig om leerlingen met leerproblemen te ondersteunen.",
            "Op onze school worden specifieke maatregelen getroffen voor dyslectische leerlingen.",
        ],
    ),
    (
        "Afstemming met naastliggende onderwijstypen",
        [
            "Bij ons krijgen leerlingen een zorgvuldige intake.",
            "Onze school maakt gebruik van instroomtoetsen.",
            "Onze school organiseert proeflessen voor leerlingen in de zesde klas.",
            "Onze school heeft een programma ter introductie van nieuwe leerlingen aan het begin van het schooljaar.",
            "Onze school zorgt voor pedagogisch-didactische afstemming met de basisscholen.",
            "Onze school rapporteert systematisch terug aan basisscholen over de vorderingen van leerlingen.",
            "Leraren op onze school hebben voldoende kennis van het vervolgonderwijs.",
            "Onze school zorgt voor pedagogisch-didactische afstemming met de scholen voor vervolgonderwijs.",
        ],
    ),
    (
        "Profiel- en beroepskeuze",
        [
            "Elke leerling krijgt bij ons begeleiding bij zijn/haar keuzeproces.",
            "Onze leerlingen krijgen een oriëntatieprogramma, gericht op de keuze van profiel en eindexamenpakket.",
            "Op onze school krijgt elke leerling begeleiding bij de overgang naar het vervolgonderwijs.",
            "Onze leerlingen krijgen een oriënterende dag in het arbeidsveld door middel van workshadowing.",
            "Onze leerlingen bezoeken het vervolgonderwijs in het kader van een meer definitieve keus.",
            "Onze school nodigt oud-leerlingen uit ons te informeren over hun ervaringen in het vervolgonderwijs.",
        ],
    ),
    (
        "Zorgpartners",
        [
            "Onze school is op de hoogte van het zorgaanbod van relevante instellingen op het eiland.",
            "Onze school heeft georganiseerd overleg met relevante instellingen op het gebied van zorg.",
            "Onze school neemt deel aan het buurtplatform (plataforma di bario).",
            "De aanmeldingsprocedure van externe instellingen is bekend bij ons zorgteam.",
            "Onze school werkt samen met zorgteams van andere scholen voor voortgezet onderwijs.",
        ],
    ),
    (
        "Externe ondersteuning",
        [
            "Op onze school zijn de externe en interne begeleiding op elkaar afgestemd.",
            "Leerlingen op onze school die externe hulp behoeven, worden snel geholpen.",
            "Bij ons wordt de begeleiding door de externe instelling meegenomen in het handelingsplan van de leerling.",
            "Bij ons vindt een geregelde feedback plaats tussen externe hulpverlener en de betrokken mentor.",
        ],
    ),
]

ZORGOVERLEG_NAAM = "Jaarlijkse evaluatie zorgoverleg"

ZORGOVERLEG_TOELICHTING = (
    "Jaarlijkse evaluatie van het zorgoverleg (zorgadviesteam / intern zorgoverleg). "
    "De stellingen volgen de basiselementen van een effectief en efficiënt zorgoverleg "
    "(Slotboom en Louwersheimer, 2001).\n\n"
    "Hoe goed kloppen de volgende zaken? Kies per stelling één antwoord: "
    "++ sterk, + meer sterk dan zwak, - meer zwak dan sterk, -- zwak, ? weet ik niet. "
    "Als u een stelling niet kunt beantwoorden, laat u haar leeg."
)

EVALUATIE_ZORGOVERLEG = [
    (
        "Organisatie van het overleg",
        [
            "De duur van het overleg is vastgelegd.",
            "Er is een vastgestelde agenda.",
            "Er vindt verslaglegging plaats ten behoeve van de voortgang.",
            "Er is een heldere taak- en functieomschrijving van de verschillende deelnemers.",
            "De gegevensverzameling over de ingebrachte leerlingen verloopt efficiënt en systematisch.",
        ],
    ),
    (
        "Besluitvorming",
        [
            "De voorzitter controleert of er een vraagstelling is bij de ingebrachte leerlingen.",
            "De voorzitter controleert of er over elke ingebrachte leerling besluitvorming plaatsvindt.",
            "De besluitvorming vindt plaats in drie fasen: probleembeschrijving, analyse van het probleem "
            "en interventieplanning.",
            "De gemaakte afspraken staan in relatie tot het ingebrachte probleem en de analyse van het probleem.",
        ],
    ),
    (
        "Privacy",
        [
            "De ouders en de leerling geven toestemming voordat de leerling wordt besproken.",
            "Er zijn afspraken over het soort gegevens dat wordt opgeslagen.",
            "Er zijn afspraken over het beheer van de opgeslagen gegevens.",
        ],
    ),
    (
        "Samenwerking en terugkoppeling",
        [
            "De begeleiding op school en de hulp van externe instellingen worden systematisch op elkaar "
            "afgestemd.",
            "Bij doorverwijzing naar jeugdhulpverlening behoudt de school haar begeleidingstaak.",
            "De inbrenger krijgt tijdig terugkoppeling over wat er met de ingebrachte leerling gebeurt.",
            "Het zorgoverleg wordt jaarlijks geëvalueerd en de uitkomsten worden gebruikt om het overleg "
            "te verbeteren.",
        ],
    ),
]

STANDAARD = {
    "zorgstructuur": (CHECKLIST_NAAM, CHECKLIST_TOELICHTING, CHECKLIST_ZORGSTRUCTUUR),
    "zorgoverleg": (ZORGOVERLEG_NAAM, ZORGOVERLEG_TOELICHTING, EVALUATIE_ZORGOVERLEG),
}
