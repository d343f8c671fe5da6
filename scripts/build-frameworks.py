#!/usr/bin/env python3
"""Builds the two shipped competence frameworks (JSON, the same format as framework export/import) from the
reference data in ../shared/reference plus the translations below. Run once when the reference data changes;
the output is committed under crates/domain/data/frameworks/.

The Norwegian (bokmål) DigComp titles are the reference data's own suggestions; nynorsk titles and the
bokmål/nynorsk descriptions and level statements are this project's translations (no official Norwegian
DigComp 2.2 exists; see reference/digcomp-notes.md)."""
import csv, json, sys, pathlib

ref = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference")
out = pathlib.Path(__file__).resolve().parent.parent / "crates/domain/data/frameworks"

AREA_NN = {
    "1": "Informasjons- og datakompetanse", "2": "Kommunikasjon og samarbeid", "3": "Digital innhaldsproduksjon",
    "4": "Tryggleik", "5": "Problemløysing",
}
COMP = {  # code: (nynorsk title, bokmål description, nynorsk description)
    "1.1": ("Søkje etter, finne og filtrere data, informasjon og digitalt innhald",
            "Finne ut hva slags informasjon du trenger, søke etter den og navigere mellom relevante data og digitalt innhold.",
            "Finne ut kva informasjon du treng, søkje etter han og navigere mellom relevante data og digitalt innhald."),
    "1.2": ("Vurdere data, informasjon og digitalt innhald",
            "Vurdere hvor troverdige og pålitelige kilder er, og tolke og kritisk vurdere data og digitalt innhold.",
            "Vurdere kor truverdige og pålitelege kjelder er, og tolke og kritisk vurdere data og digitalt innhald."),
    "1.3": ("Organisere og forvalte data, informasjon og digitalt innhald",
            "Organisere, lagre og finne igjen data og digitalt innhold i mapper, regneark, fagsystemer og databaser.",
            "Organisere, lagre og finne att data og digitalt innhald i mapper, rekneark, fagsystem og databasar."),
    "2.1": ("Samhandle gjennom digitale teknologiar",
            "Kommunisere og samhandle med ulike digitale verktøy og velge kanalen som passer situasjonen.",
            "Kommunisere og samhandle med ulike digitale verktøy og velje kanalen som passar situasjonen."),
    "2.2": ("Dele gjennom digitale teknologiar",
            "Dele data, informasjon og digitalt innhold med andre, og oppgi kilder.",
            "Dele data, informasjon og digitalt innhald med andre, og oppgje kjelder."),
    "2.3": ("Delta i samfunnet gjennom digitale teknologiar",
            "Bruke offentlige og private digitale tjenester for å delta i samfunnet, og hjelpe andre med det.",
            "Bruke offentlege og private digitale tenester for å delta i samfunnet, og hjelpe andre med det."),
    "2.4": ("Samarbeide gjennom digitale teknologiar",
            "Bruke digitale verktøy til å samarbeide og skape ressurser og kunnskap sammen med andre.",
            "Bruke digitale verktøy til å samarbeide og skape ressursar og kunnskap saman med andre."),
    "2.5": ("Nettvett (nettikette)",
            "Følge normer for god oppførsel på nett og tilpasse kommunikasjonen til mottakeren.",
            "Følgje normer for god åtferd på nett og tilpasse kommunikasjonen til mottakaren."),
    "2.6": ("Handtere digital identitet",
            "Skape og forvalte en eller flere digitale identiteter og verne eget omdømme.",
            "Skape og forvalte ein eller fleire digitale identitetar og verne eige omdøme."),
    "3.1": ("Utvikle digitalt innhald",
            "Lage og redigere digitalt innhold i ulike formater.",
            "Lage og redigere digitalt innhald i ulike format."),
    "3.2": ("Integrere og omarbeide digitalt innhald",
            "Endre, forbedre og sette sammen eksisterende innhold til nytt og relevant innhold.",
            "Endre, forbetre og setje saman eksisterande innhald til nytt og relevant innhald."),
    "3.3": ("Opphavsrett og lisensar",
            "Forstå hvordan opphavsrett og lisenser gjelder for data og digitalt innhold.",
            "Forstå korleis opphavsrett og lisensar gjeld for data og digitalt innhald."),
    "3.4": ("Programmering",
            "Planlegge og lage instruksjoner en datamaskin kan utføre for å løse en oppgave.",
            "Planleggje og lage instruksjonar ei datamaskin kan utføre for å løyse ei oppgåve."),
    "4.1": ("Verne einingar",
            "Beskytte enheter og digitalt innhold, og forstå risiko og trusler i digitale miljøer.",
            "Verne einingar og digitalt innhald, og forstå risiko og truslar i digitale miljø."),
    "4.2": ("Verne personopplysningar og personvern",
            "Beskytte personopplysninger og personvern, og vite hvordan opplysninger brukes og deles.",
            "Verne personopplysningar og personvern, og vite korleis opplysningar blir brukte og delte."),
    "4.3": ("Verne helse og velvære",
            "Unngå helserisiko og trusler mot fysisk og psykisk velvære ved bruk av digital teknologi.",
            "Unngå helserisiko og truslar mot fysisk og psykisk velvære ved bruk av digital teknologi."),
    "4.4": ("Verne miljøet",
            "Være bevisst miljøpåvirkningen av digital teknologi og bruken av den.",
            "Vere medviten om miljøpåverknaden av digital teknologi og bruken av han."),
    "5.1": ("Løyse tekniske problem",
            "Finne og løse tekniske problemer ved bruk av enheter og digitale miljøer.",
            "Finne og løyse tekniske problem ved bruk av einingar og digitale miljø."),
    "5.2": ("Identifisere behov og teknologiske løysingar",
            "Vurdere behov og finne, velge og bruke digitale verktøy og løsninger som møter dem.",
            "Vurdere behov og finne, velje og bruke digitale verktøy og løysingar som møter dei."),
    "5.3": ("Bruke digital teknologi kreativt",
            "Bruke digitale verktøy til å skape kunnskap og forbedre prosesser og tjenester.",
            "Bruke digitale verktøy til å skape kunnskap og forbetre prosessar og tenester."),
    "5.4": ("Identifisere eigne digitale kompetansebehov",
            "Forstå hvor egen digital kompetanse må forbedres, og støtte andre i deres utvikling.",
            "Forstå kvar eigen digital kompetanse må bli betre, og støtte andre i utviklinga deira."),
}
# "I can …" statements per DigComp proficiency level (generic across competences, after the JRC level keywords).
LEVELS = {
    1: ("Grunnleggende 1", "Grunnleggjande 1", "Foundation 1",
        "Jeg kan utføre enkle oppgaver med veiledning.", "Eg kan utføre enkle oppgåver med rettleiing.",
        "I can carry out simple tasks with guidance."),
    2: ("Grunnleggende 2", "Grunnleggjande 2", "Foundation 2",
        "Jeg kan utføre enkle oppgaver på egen hånd, og spør om hjelp ved behov.",
        "Eg kan utføre enkle oppgåver på eiga hand, og spør om hjelp ved behov.",
        "I can carry out simple tasks on my own, asking for help when needed."),
    3: ("Middels 3", "Middels 3", "Intermediate 3",
        "Jeg kan selvstendig løse veldefinerte rutineoppgaver og enkle problemer.",
        "Eg kan sjølvstendig løyse veldefinerte rutineoppgåver og enkle problem.",
        "I can independently carry out well-defined routine tasks and solve straightforward problems."),
    4: ("Middels 4", "Middels 4", "Intermediate 4",
        "Jeg kan selvstendig håndtere oppgaver og veldefinerte, ikke-rutinemessige problemer etter egne behov.",
        "Eg kan sjølvstendig handtere oppgåver og veldefinerte, ikkje-rutineprega problem etter eigne behov.",
        "I can independently handle tasks and well-defined non-routine problems according to my needs."),
    5: ("Avansert 5", "Avansert 5", "Advanced 5",
        "Jeg kan bruke kunnskapen på ulike oppgaver og problemer, og veilede andre.",
        "Eg kan bruke kunnskapen på ulike oppgåver og problem, og rettleie andre.",
        "I can apply my knowledge to different tasks and problems and guide others."),
    6: ("Avansert 6", "Avansert 6", "Advanced 6",
        "Jeg kan vurdere og velge den beste fremgangsmåten og tilpasse meg andre i sammensatte situasjoner.",
        "Eg kan vurdere og velje den beste framgangsmåten og tilpasse meg andre i samansette situasjonar.",
        "I can evaluate and choose the most appropriate approach and adapt to others in complex contexts."),
    7: ("Høyt spesialisert 7", "Høgt spesialisert 7", "Highly specialised 7",
        "Jeg kan løse komplekse problemer med få mulige løsninger, bidra til fagfeltet og veilede andre.",
        "Eg kan løyse komplekse problem med få moglege løysingar, bidra til fagfeltet og rettleie andre.",
        "I can solve complex problems with few solutions, contribute to professional practice and guide others."),
    8: ("Høyt spesialisert 8", "Høgt spesialisert 8", "Highly specialised 8",
        "Jeg kan løse komplekse problemer med mange faktorer og foreslå nye ideer og prosesser for fagfeltet.",
        "Eg kan løyse komplekse problem med mange faktorar og føreslå nye idear og prosessar for fagfeltet.",
        "I can solve complex problems with many interacting factors and propose new ideas and processes to the field."),
}

def text(nb, nn, en):
    return {"nb": nb, "nn": nn, "en": en}

def digcomp():
    areas = {}
    for r in csv.DictReader(open(ref / "digcomp.csv", encoding="utf-8")):
        a = areas.setdefault(r["area_no"], {
            "code": r["area_no"],
            "title": text(r["area_title_nb"], AREA_NN[r["area_no"]], r["area_title_en"]),
            "competences": [],
        })
        nn, desc_nb, desc_nn = COMP[r["competence_no"]]
        a["competences"].append({
            "code": r["competence_no"],
            "title": text(r["competence_title_nb"], nn, r["competence_title_en"]),
            "description": text(desc_nb, desc_nn, r["description_en"]),
        })
    levels = [{"number": n, "title": text(*v[:3]), "descriptor": text(*v[3:])} for n, v in LEVELS.items()]
    return {
        "key": "digcomp", "version": "2.2",
        "title": text("DigComp 2.2 – EUs rammeverk for digital kompetanse",
                      "DigComp 2.2 – EU sitt rammeverk for digital kompetanse",
                      "DigComp 2.2 – The Digital Competence Framework for Citizens"),
        "source": "Vuorikari, Kluzer and Punie, DigComp 2.2, EUR 31006 EN, 2022 (CC BY 4.0); descriptions paraphrased, Norwegian texts are Løft's translations",
        "levels": levels, "areas": list(areas.values()),
    }

REGIONAL_LEVELS = [
    ("Kjenner til", "Kjenner til", "Aware",
     "Jeg kjenner til temaet og vet hvor jeg finner mer informasjon.",
     "Eg kjenner til temaet og veit kvar eg finn meir informasjon.",
     "I know of the topic and where to find out more."),
    ("Bruker", "Brukar", "Practising",
     "Jeg bruker dette i eget arbeid, med støtte når jeg trenger det.",
     "Eg bruker dette i eige arbeid, med støtte når eg treng det.",
     "I apply this in my own work, with support when I need it."),
    ("Selvstendig", "Sjølvstendig", "Independent",
     "Jeg mestrer dette selvstendig, også i nye situasjoner.",
     "Eg meistrar dette sjølvstendig, også i nye situasjonar.",
     "I master this on my own, also in new situations."),
    ("Leder og veileder", "Leiar og rettleiar", "Leading",
     "Jeg leder arbeidet med dette og veileder andre.",
     "Eg leiar arbeidet med dette og rettleier andre.",
     "I lead the work on this and guide others."),
]
REGIONAL_DESC = {  # goal: (bokmål, nynorsk, English) — from the project mandate's goals, section 3
    "K1": ("Kompetanse til å iverksette endringsprosesser og involvere de rette aktørene basert på tjenestenes behov.",
           "Kompetanse til å setje i verk endringsprosessar og involvere dei rette aktørane ut frå behova i tenestene.",
           "The competence to carry out change and involve the right people, based on what the services need."),
    "K2": ("Kompetanse til å utnytte anskaffelsesprosessen som et strategisk virkemiddel for å fremme innovasjon.",
           "Kompetanse til å nytte innkjøpsprosessen som eit strategisk verkemiddel for å fremje innovasjon.",
           "The competence to use procurement as a strategic tool to promote innovation."),
    "K3": ("Tilstrekkelig kompetanse til å bruke aktuelle IKT-løsninger i kommunen.",
           "Tilstrekkeleg kompetanse til å bruke aktuelle IKT-løysingar i kommunen.",
           "Enough competence to use the municipality's ICT systems."),
    "K4": ("Kan gi innbyggere og næringsliv støtte og veiledning i bruk av de digitale løsningene.",
           "Kan gi innbyggjarar og næringsliv støtte og rettleiing i bruken av dei digitale løysingane.",
           "Able to support and guide citizens and businesses in using digital services."),
    "K5": ("Kjenner lovpålagte krav til personvern, taushetsplikt og informasjonssikkerhet.",
           "Kjenner lovpålagde krav til personvern, teieplikt og informasjonstryggleik.",
           "Knows the legal requirements for privacy, confidentiality and information security."),
    "L1": ("Ser sammenhengen mellom tjenesteproduksjon og teknologibruk og bruker dette i tjenesteutviklingen.",
           "Ser samanhengen mellom tenesteproduksjon og teknologibruk og nyttar dette i tenesteutviklinga.",
           "Sees how services and technology connect and uses this to develop services."),
    "L4": ("Forstår at gevinstene ved innføring av IKT ikke kan realiseres umiddelbart.",
           "Forstår at gevinstane ved innføring av IKT ikkje kan realiserast med ein gong.",
           "Understands that the benefits of new ICT cannot be realised at once."),
}

def regional():
    areas = {}
    for r in csv.DictReader(open(ref / "regional-goals.csv", encoding="utf-8")):
        code = "K" if r["goal_id"].startswith("K") else "L"
        a = areas.setdefault(code, {
            "code": code,
            "title": text(r["strategy_area"], "Kompetanse" if code == "K" else "Strategisk leiing og IKT",
                          "Competence" if code == "K" else "Strategic leadership and ICT"),
            "competences": [],
        })
        a["competences"].append({
            "code": r["goal_id"],
            "title": text(r["title_nb"], r["title_nn"], r["title_en"]),
            "description": text(*REGIONAL_DESC[r["goal_id"]]),
            "related": [f"digcomp:{c}" for c in r["related_digcomp"].split(";") if c],
            "role_groups": [g.replace("å", "a").replace("ø", "o") for g in r["primary_role_groups"].split(";") if g],
        })
    levels = [{"number": i + 1, "title": text(*v[:3]), "descriptor": text(*v[3:])} for i, v in enumerate(REGIONAL_LEVELS)]
    return {
        "key": "regionale-mal", "version": "2016",
        "title": text("Regionale kompetansemål (Digital kompetanse 2016–2018)",
                      "Regionale kompetansemål (Digital kompetanse 2016–2018)",
                      "Regional competence goals (Digital competence 2016–2018)"),
        "source": "Prosjektmandat Hovedprosjekt «Digital kompetanse 2016–2018», Kongsbergregionen, section 3",
        "levels": levels, "areas": list(areas.values()),
    }

for name, fw in (("digcomp-2.2.json", digcomp()), ("regionale-mal-2016.json", regional())):
    (out / name).write_text(json.dumps(fw, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("wrote", out / name)
