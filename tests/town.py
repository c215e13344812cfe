"""A small town for the search and browser tests: 78 published businesses whose names,
categories, places, short texts and services the relevance table
(tests/search/test_relevance.py) ranks, with hours of every kind (lunch breaks, past
midnight, Sundays, Christmas special days, a holiday opening), delivery and pickup, and a
few entries that are not public.

The wording started as the demo's and is the tests' own now: edit it here, not in
seed_data/. ``build_town(factories)`` builds it (flushed, not committed) and returns the
businesses by name; tests/search/conftest.py builds it once per search module, and the
browser tests build it on their live server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Shop:
    name: str
    category: str  # slug of the reference data
    district: str
    address: tuple[str, str, str]  # street, house number, postcode
    point: tuple[float, float]
    text: str  # the short description
    description: str = ""
    services: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    delivery: tuple[str, ...] = ()


# fmt: off
TOWN = [
    Shop(
        "Pizzeria Da Franco", "restaurants", "stadtmitte",
        ("Gladbecker Straße", "41", "46236"), (51.52793, 6.92896),
        "Neapolitanische Pizza aus dem Steinofen und hausgemachte Pasta mitten in der "
        "Fußgängerzone.",
        services=(
            "Pizza Margherita", "Pizza Diavola", "Spaghetti alle vongole", "Lasagne della casa",
            "Tiramisu",
        ),
        attributes=("kartenzahlung", "wlan"),
        delivery=("delivery", "pickup"),
    ),
    Shop(
        "Taverna Thalassa", "restaurants", "eigen",
        ("Am Köllnischen Wald", "14", "46240"), (51.54813, 6.92728),
        "Griechische Taverne mit Grillspezialitäten, Meeresfrüchten und großer Sonnenterrasse.",
        services=(
            "Gyros-Teller", "Gegrillter Oktopus", "Bifteki gefüllt mit Schafskäse",
            "Mezedes-Platte für zwei",
        ),
        attributes=("kartenzahlung", "parkplaetze"),
        delivery=("pickup",),
    ),
    Shop(
        "Landgasthaus Hegemann", "restaurants", "grafenwald",
        ("Hegestraße", "88", "46244"), (51.57148, 6.89848),
        "Westfälisches Landgasthaus in vierter Generation mit Kaminstube, Kegelbahn und "
        "Biergarten.",
        services=(
            "Rehragout mit Spätzle und Preiselbeeren",
            "Westfälischer Grünkohl mit Mettwurst und Kassler", "Gänsekeule mit Rotkohl und Klößen",
            "Kegelbahn",
        ),
        attributes=("barrierefrei", "kartenzahlung", "parkplaetze", "wlan"),
        delivery=("pickup",),
    ),
    Shop(
        "Café Kaffeeklatsch", "cafes", "stadtmitte",
        ("Kirchplatz", "4", "46236"), (51.52628, 6.92672),
        "Gemütliches Café am Kirchplatz mit selbst gebackenen Torten und fair gehandeltem Kaffee.",
        services=(
            "Stück Torte", "Cappuccino", "Frühstück Kirchplatz", "Ganze Torte auf Bestellung",
        ),
        attributes=("barrierefrei", "fairtrade", "kartenzahlung", "wlan"),
        delivery=("pickup",),
    ),
    Shop(
        "Café Hofgarten", "cafes", "kirchhellen",
        ("Johann-Breuker-Platz", "3", "46244"), (51.60255, 6.92195),
        "Frühstückscafé am Marktplatz von Kirchhellen mit Sonnenterrasse und hausgemachtem "
        "Kuchen.",
        services=(
            "Bauernfrühstück", "Westfälisches Frühstück", "Waffel mit heißen Kirschen",
            "Milchkaffee",
        ),
        attributes=("barrierefrei", "fairtrade", "kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "Café Marktzeit", "cafes", "boy", ("Boyer Markt", "5", "46240"), (51.53221, 6.96389),
        "Nachbarschaftscafé am Boyer Markt mit Mittagstisch, Kuchen und kleinem Lesetisch.",
        services=("Tagesgericht", "Kaffee und Kuchen", "Belegtes Brötchen"),
        attributes=("barrierefrei", "fairtrade", "kartenzahlung"),
    ),
    Shop(
        "Dürüm-Ecke Yıldız", "imbiss", "stadtmitte",
        ("Horster Straße", "52", "46236"), (51.52507, 6.9315),
        "Dürüm, Döner und Lahmacun mit frischem Brot – täglich bis 1 Uhr, am Wochenende bis 3 "
        "Uhr.",
        services=("Dürüm Kalb", "Döner Hähnchen", "Lahmacun mit Salat", "Falafel-Teller", "Ayran"),
        attributes=("kartenzahlung",),
        delivery=("delivery",),
    ),
    Shop(
        "Pommesbude Kanalblick", "imbiss", "ebel",
        ("Am Rhein-Herne-Kanal", "6", "46242"), (51.50341, 6.94792),
        "Kultiger Imbiss am Kanalufer, beliebt bei Radfahrern auf dem Emscher-Weg und Anglern.",
        services=(
            "Pommes rot-weiß", "Bratwurst im Brötchen", "Erbsensuppe mit Würstchen",
            "Fischbrötchen Bismarck",
        ),
        attributes=("parkplaetze",),
    ),
    Shop(
        "Imbiss Zum Förderkorb", "imbiss", "welheim",
        ("Welheimer Straße", "40", "46238"), (51.53604, 6.98214),
        "Familienbetriebener Imbiss in der Gartenstadt Welheim mit Mittagstisch für Handwerker.",
        services=("Mittagsgericht", "Jägerschnitzel mit Pommes", "Bratkartoffeln mit Spiegelei"),
        attributes=("kartenzahlung", "parkplaetze"),
        delivery=("delivery",),
    ),
    Shop(
        "Bierstube Kumpeltreff", "kneipen-bars", "boy",
        ("Horster Straße", "180", "46240"), (51.53615, 6.96146),
        "Traditionskneipe in Boy mit Kegelbahn, Skatrunden und kleinen Speisen zum Bier.",
        services=("Export 0,4 l", "Mettbrötchen mit Zwiebeln", "Kegelbahn"),
        attributes=("parkplaetze",),
    ),
    Shop(
        "Schankwirtschaft Lohmann", "kneipen-bars", "kirchhellen",
        ("Hauptstraße", "45", "46244"), (51.60289, 6.91932),
        "Alteingesessene Dorfkneipe mit Biergarten unter Kastanien und Altbier vom Fass.",
        services=("Altbier 0,25 l", "Strammer Max", "Biergartenreservierung für Gruppen"),
        attributes=("parkplaetze",),
    ),
    Shop(
        "The Rusty Lantern", "kneipen-bars", "stadtmitte",
        ("Hansastraße", "27", "46236"), (51.52219, 6.92549),
        "Irish Pub mit Guinness vom Fass, Whiskey-Auswahl, Quizabenden und Livemusik am Samstag.",
        description="Ein Stück Dublin in der Bottroper Innenstadt.",
        services=("Guinness 0,5 l", "Whiskey-Tasting", "Fish and Chips"),
        attributes=("kartenzahlung", "wlan"),
    ),
    Shop(
        "Sportsbar Abseitsfalle", "kneipen-bars", "fuhlenbrock",
        ("Lindhorststraße", "90", "46242"), (51.53321, 6.89605),
        "Sportsbar mit sechs Bildschirmen, Billard und Dart – alle Bundesligaspiele live.",
        services=("Pils 0,4 l", "Billard", "Chicken Wings (10 Stück)"),
        attributes=("kartenzahlung", "parkplaetze", "wlan"),
    ),
    Shop(
        "Eiscafé Gelato Lucia", "eiscafes", "stadtmitte",
        ("Hochstraße", "22", "46236"), (51.52541, 6.93116),
        "Italienisches Eiscafé in der Fußgängerzone mit 30 Sorten aus eigener Herstellung.",
        services=("Kugel Eis", "Spaghetti-Eis", "Eisbecher Lucia", "Eistorte auf Bestellung"),
        attributes=("barrierefrei", "kartenzahlung"),
    ),
    Shop(
        "Eisdiele Sahnehäubchen", "eiscafes", "eigen",
        ("Kirchhellener Straße", "244", "46240"), (51.55311, 6.93681),
        "Kleine Eisdiele in Eigen mit Softeis, Milchshakes und Eisbechern zu familienfreundlichen"
        " Preisen.",
        services=("Softeis klein", "Kugel Eis", "Milchshake"),
        attributes=("kartenzahlung",),
    ),
    Shop(
        "Eiscafé Bellavista", "eiscafes", "kirchhellen",
        ("Johann-Breuker-Platz", "11", "46244"), (51.60253, 6.92135),
        "Eiscafé am Marktplatz von Kirchhellen mit großer Außenterrasse und italienischem "
        "Espresso.",
        services=("Kugel Eis", "Erdbeerbecher", "Espresso", "Waffel mit Eis"),
        attributes=("barrierefrei", "kartenzahlung"),
    ),
    Shop(
        "Bäckerei Kruse", "baeckereien", "stadtmitte",
        ("Hochstraße", "12a", "46236"), (51.52674, 6.93104),
        "Handwerksbäckerei in dritter Generation: Sauerteigbrote, Brötchen und Blechkuchen, "
        "sonntags geöffnet.",
        description="Bei Kruse wird noch nachts in der Backstube hinter dem Laden gebacken – ohne"
                    " Fertigmischungen und mit Sauerteig, der seit über 40 Jahren weitergeführt "
                    "wird. Das Mehl stammt aus einer Mühle am Niederrhein. Im kleinen Stehcafé "
                    "gibt es fair gehandelten Kaffee zum Brötchen.",
        services=(
            "Roggenmischbrot 1 kg", "Kruse-Krüstchen", "Bienenstich vom Blech",
            "Dinkel-Vollkornbrot 750 g", "Frühstückskorb auf Bestellung",
        ),
        attributes=("barrierefrei", "fairtrade", "kartenzahlung"),
        delivery=("delivery", "pickup"),
    ),
    Shop(
        "Bäckerei Brinkhoff", "baeckereien", "kirchhellen",
        ("Hauptstraße", "24", "46244"), (51.60263, 6.91978),
        "Dorfbäckerei an der Hauptstraße mit Stuten, Printen und Kirchhellener Hochzeitskuchen.",
        description="Brinkhoff backt seit 1953 an der Hauptstraße. Bekannt ist die Bäckerei für "
                    "ihren Rosinenstuten und den Platenkuchen, der bei keiner Kirchhellener Feier"
                    " fehlen darf.",
        services=(
            "Rosinenstuten 500 g", "Platenkuchen mit Streuseln", "Röggelchen", "Hochzeitstorte",
        ),
        attributes=("fairtrade", "kartenzahlung", "parkplaetze"),
        delivery=("pickup",),
    ),
    Shop(
        "Landbäckerei Tenhagen", "baeckereien", "feldhausen",
        ("Lippweg", "7", "46244"), (51.61693, 6.96253),
        "Kleine Landbäckerei in Feldhausen mit Brot aus Getreide vom eigenen Feld.",
        description="Roggen und Dinkel baut Familie Tenhagen selbst an und lässt ihn in einer "
                    "kleinen Mühle mahlen. Der Laden ist klein, die Auswahl überschaubar – dafür "
                    "schmeckt man den Unterschied.",
        services=("Bauernbrot vom eigenen Roggen", "Dinkelbrötchen", "Apfelkuchen"),
        attributes=("fairtrade", "parkplaetze"),
        delivery=("delivery",),
    ),
    Shop(
        "Brotmanufaktur Korn & Kruste", "baeckereien", "eigen",
        ("Kantstraße", "12", "46240"), (51.54851, 6.93624),
        "Bio-Brotmanufaktur mit langer Teigführung, Urgetreide und gläserner Backstube.",
        description="Durch die große Scheibe kann man den Bäckern beim Formen der Laibe zusehen. "
                    "Alle Zutaten sind bio-zertifiziert, viele Teige reifen bis zu 36 Stunden. "
                    "Samstags gibt es Franzbrötchen – meist sind sie um zehn ausverkauft.",
        services=(
            "Emmer-Vollkornbrot 750 g", "Baguette mit Sauerteig", "Franzbrötchen", "Brotbackkurs",
        ),
        attributes=("barrierefrei", "fairtrade", "kartenzahlung"),
        delivery=("pickup",),
    ),
    Shop(
        "Bäckerei-Café Wittkamp", "baeckereien", "boy",
        ("Johannesstraße", "41", "46240"), (51.53311, 6.96536),
        "Bäckerei mit Café gegenüber St. Johannes – Torten, Frühstück und sonntags frische "
        "Brötchen.",
        description="Nach der Sonntagsmesse ist es bei Wittkamp immer voll. Unter der Woche gibt "
                    "es ein preiswertes Frühstück und mittags belegte Baguettes für Schülerinnen "
                    "und Schüler.",
        services=("Brötchen", "Frankfurter Kranz", "Schülerbaguette"),
        attributes=("fairtrade", "kartenzahlung"),
    ),
    Shop(
        "Bäckerei Pöppinghaus", "baeckereien", "vonderort",
        ("Vonderorter Straße", "30", "46242"), (51.50973, 6.90725),
        "Familienbäckerei in Vonderort mit Brötchen-Lieferservice und großer Kuchenauswahl am "
        "Wochenende.",
        description="Pöppinghaus beliefert jeden Morgen Haushalte in Vonderort und Fuhlenbrock "
                    "mit frischen Brötchen an die Haustür. Am Wochenende stehen bis zu zwölf "
                    "Sorten Kuchen in der Theke.",
        services=("Brötchen", "Sonntagsstuten", "Käsekuchen ganz"),
        attributes=("kartenzahlung", "parkplaetze"),
        delivery=("delivery",),
    ),
    Shop(
        "Metzgerei Schulte-Wessel", "metzgereien", "kirchhellen",
        ("Kirchstraße", "14", "46244"), (51.60223, 6.92013),
        "Landmetzgerei mit eigener Schlachtung, hausgemachter Wurst und Partyservice für Feiern.",
        services=(
            "Westfälischer Knochenschinken 100 g", "Grobe Mettwurst", "Rinderroulade küchenfertig",
            "Kaltes Buffet", "Warmes Buffet",
        ),
        attributes=("kartenzahlung", "parkplaetze"),
        delivery=("delivery", "pickup"),
    ),
    Shop(
        "Fleischerei Rüther", "metzgereien", "stadtmitte",
        ("Böckenhoffstraße", "9", "46236"), (51.52288, 6.92857),
        "Innenstadt-Fleischerei mit täglich wechselndem Mittagstisch und Frikadellen nach "
        "Hausrezept.",
        services=(
            "Frikadelle", "Mittagstisch", "Schweinenacken mariniert", "Leberkäse im Brötchen",
        ),
        attributes=("kartenzahlung",),
    ),
    Shop(
        "Metzgerei Budde", "metzgereien", "fuhlenbrock",
        ("Im Fuhlenbrock", "110", "46242"), (51.53575, 6.89934),
        "Traditionsmetzgerei im Fuhlenbrock mit Grillspezialitäten und eigener Räucherei.",
        services=("Mettendchen geräuchert", "Grillbratwurst", "Grillpaket für 6 Personen"),
        attributes=("kartenzahlung", "parkplaetze"),
        delivery=("pickup",),
    ),
    Shop(
        "Hofmetzgerei Heitkamp", "metzgereien", "ekel",
        ("Alter Postweg", "19", "46244"), (51.63425, 6.93093),
        "Hofmetzgerei mit Weidehaltung: Rind und Schwein vom eigenen Hof, Verkauf freitags und "
        "samstags.",
        services=("Rinderhackfleisch", "Suppenfleisch vom Weiderind", "Fleischpaket gemischt 5 kg"),
        attributes=("parkplaetze",),
        delivery=("delivery", "pickup"),
    ),
    Shop(
        "Hofladen Sommerkamp", "hofladen", "hardinghausen",
        ("Weseler Weg", "82", "46244"), (51.59886, 6.87641),
        "Hofladen mit Kartoffeln, Eiern, Gemüse der Saison und selbst gemachten Marmeladen.",
        services=(
            "Speisekartoffeln festkochend 5 kg", "Eier aus Freilandhaltung (10 Stück)",
            "Erdbeer-Rhabarber-Marmelade",
        ),
        attributes=("parkplaetze",),
    ),
    Shop(
        "Spargel- und Erdbeerhof Tenbrink", "hofladen", "holthausen",
        ("Bottroper Straße", "301", "46244"), (51.58682, 6.91767),
        "Spargel, Erdbeeren und Heidelbeeren vom Feld – im Hofladen und zum Selberpflücken.",
        services=("Spargel Klasse I", "Erdbeeren zum Selberpflücken", "Apfelsaft naturtrüb 1 l"),
        attributes=("kartenzahlung", "parkplaetze"),
        delivery=("pickup",),
    ),
    Shop(
        "Milchhof Beckmann-Kottenhoff", "hofladen", "ekel",
        ("Alter Postweg", "45", "46244"), (51.63259, 6.9342),
        "Milchtankstelle rund um die Uhr plus Hofladen mit Käse, Joghurt und Butter vom Hof.",
        services=("Rohmilch", "Hofkäse mittelalt", "Naturjoghurt 500 g"),
        attributes=("parkplaetze",),
    ),
    Shop(
        "Weinkontor Rebenglück", "feinkost", "kirchhellen",
        ("Gartenstraße", "5", "46244"), (51.60168, 6.91551),
        "Weinhandlung mit 400 Weinen, Probierabenden und Versand – Schwerpunkt deutsche Winzer.",
        services=("Riesling trocken, Mosel", "Weinprobe", "Weinpaket Entdecker"),
        attributes=("kartenzahlung", "parkplaetze"),
        delivery=("delivery", "shipping"),
    ),
    Shop(
        "Getränkewelt Batenbrock", "getraenke", "batenbrock",
        ("Knappenstraße", "50", "46238"), (51.51897, 6.95581),
        "Getränkemarkt mit Lieferservice, Festzeltgarnituren und Zapfanlagen zum Ausleihen.",
        services=(
            "Mineralwasser 12 × 0,7 l", "Pils 20 × 0,5 l", "Zapfanlage leihen", "Festzeltgarnitur",
        ),
        attributes=("barrierefrei", "kartenzahlung", "parkplaetze"),
        delivery=("delivery", "pickup"),
    ),
    Shop(
        "Modehaus Terhorst", "bekleidung", "stadtmitte",
        ("Hochstraße", "51", "46236"), (51.52527, 6.92379),
        "Modehaus auf zwei Etagen mit Damen- und Herrenmode, Änderungsschneiderei im Haus.",
        services=("Hose kürzen", "Persönliche Stilberatung", "Sakko anpassen"),
        attributes=("barrierefrei", "kartenzahlung"),
    ),
    Shop(
        "Schuhhaus Brockmann", "schuhe", "stadtmitte",
        ("Hochstraße", "60", "46236"), (51.52652, 6.92897),
        "Schuhfachgeschäft mit Bequemschuhen, Einlagenversorgung und Kinderschuhen mit "
        "Fußmessung.",
        services=("Fußvermessung", "Wanderschuh Leder", "Einlagen anpassen"),
        attributes=("barrierefrei", "kartenzahlung"),
    ),
    Shop(
        "Schuhhaus Lütke-Wiesmann", "schuhe", "kirchhellen",
        ("Hauptstraße", "50", "46244"), (51.60206, 6.92234),
        "Schuhe für die ganze Familie im Dorfkern – mit Reparaturannahme und Pflegeservice.",
        services=("Damenstiefelette", "Reparaturannahme", "Schuhpflege-Set"),
        attributes=("kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "Schuhkarussell", "schuhe", "lehmkuhle",
        ("Südring-Center-Promenade", "1", "46236"), (51.51584, 6.93214),
        "Kinderschuhladen im Südring-Center mit Spielecke, Fußmessung und Barfußschuhen.",
        services=("Lauflernschuh", "Barfußschuh Kinder", "Gummistiefel"),
        attributes=("barrierefrei", "kartenzahlung"),
    ),
    Shop(
        "Juwelier Mersmann", "schmuck-uhren", "stadtmitte",
        ("Hansastraße", "15", "46236"), (51.52548, 6.92944),
        "Juwelier mit Trauringen, Uhrenwerkstatt und Ankauf von Altgold nach tagesaktuellem Kurs.",
        description="Seit 1921 in Bottrop.",
        services=(
            "Batteriewechsel Armbanduhr", "Revision mechanische Uhr", "Trauringberatung",
            "Ring weiten oder enger machen",
        ),
        attributes=("barrierefrei", "kartenzahlung"),
    ),
    Shop(
        "Goldschmiede Feuerstein", "schmuck-uhren", "stadtmitte",
        ("Peterstraße", "3", "46236"), (51.52275, 6.9286),
        "Goldschmiedewerkstatt mit Unikaten, Umarbeitungen von Erbstücken und Trauringkursen.",
        services=("Trauringkurs für Paare", "Umarbeitung Erbstück", "Silberkette reparieren"),
        attributes=("kartenzahlung",),
    ),
    Shop(
        "Kamillen-Apotheke", "apotheken", "stadtmitte",
        ("Hochstraße", "30", "46236"), (51.52678, 6.92418),
        "Apotheke in der Fußgängerzone mit Naturheilkunde, Kompressionsstrümpfen und Botendienst.",
        services=("Blutdruckmessung", "Anmessen Kompressionsstrümpfe", "Medikationsanalyse"),
        attributes=("barrierefrei", "kartenzahlung"),
        delivery=("delivery",),
    ),
    Shop(
        "Holunder-Apotheke", "apotheken", "kirchhellen",
        ("Hauptstraße", "60", "46244"), (51.60179, 6.91876),
        "Apotheke in Kirchhellen mit Botendienst in alle Ortsteile und Tierarzneimitteln.",
        services=("Botendienst", "Blutzuckermessung", "Grippeschutzimpfung"),
        attributes=("barrierefrei", "kartenzahlung", "parkplaetze"),
        delivery=("delivery",),
    ),
    Shop(
        "Salbei-Apotheke", "apotheken", "boy",
        ("Johannesstraße", "55", "46240"), (51.53044, 6.96747),
        "Nachbarschaftsapotheke in Boy mit Kosmetikberatung und Verleih von Babywaagen und "
        "Milchpumpen.",
        services=("Babywaage leihen", "Milchpumpe leihen", "Hautanalyse"),
        attributes=("barrierefrei", "kartenzahlung"),
        delivery=("pickup",),
    ),
    Shop(
        "Ginkgo-Apotheke im Südring-Center", "apotheken", "lehmkuhle",
        ("Südring-Center-Promenade", "5", "46236"), (51.51524, 6.93183),
        "Apotheke im Einkaufszentrum mit langen Öffnungszeiten bis 20 Uhr, auch samstags lange "
        "geöffnet.",
        services=("Reiseapotheke zusammenstellen", "Ohrlochstechen"),
        attributes=("barrierefrei", "kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "Ringelblumen-Apotheke", "apotheken", "fuhlenbrock",
        ("Lindhorststraße", "120", "46242"), (51.53313, 6.90169),
        "Apotheke im Fuhlenbrock mit eigenem Labor für Rezepturen und Beratung zu Naturkosmetik.",
        services=("Individuelle Rezeptur", "Teemischung nach Wunsch"),
        attributes=("barrierefrei", "kartenzahlung"),
    ),
    Shop(
        "Salon Scherenschnitt", "friseure", "batenbrock",
        ("Batenbrockstraße", "40", "46238"), (51.51976, 6.94833),
        "Familienfriseur in Batenbrock mit fairen Preisen, Kinderhaarschnitten und Seniorentagen.",
        services=(
            "Kinderhaarschnitt bis 10 Jahre", "Herrenhaarschnitt",
            "Waschen, Schneiden, Föhnen Damen", "Dauerwelle",
        ),
        attributes=("barrierefrei", "kartenzahlung"),
    ),
    Shop(
        "Lockenwerk", "friseure", "kirchhellen",
        ("Gartenstraße", "11", "46244"), (51.6038, 6.91615),
        "Friseurmeisterbetrieb mit Spezialisierung auf Locken, Balayage und Schnitte für feines "
        "Haar.",
        services=("Lockenschnitt trocken", "Balayage", "Herrenhaarschnitt"),
        attributes=("kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "Kamm & Co.", "friseure", "ebel", ("Ebelstraße", "22", "46242"), (51.50294, 6.94847),
        "Kleiner Friseursalon in Ebel, in dem die Nachbarschaft sich trifft – auch Hausbesuche.",
        services=("Hausbesuch", "Herrenhaarschnitt", "Damenhaarschnitt mit Waschen"),
    ),
    Shop(
        "Salon Hülsmann", "friseure", "vonderort",
        ("Vonderorter Straße", "51", "46242"), (51.50505, 6.91568),
        "Friseursalon in Vonderort mit Färbungen, Strähnen und Make-up für festliche Anlässe.",
        services=("Strähnen mit Folie", "Festliches Make-up", "Herrenhaarschnitt"),
        attributes=("kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "Nagelstudio Glanzstück", "kosmetik", "stadtmitte",
        ("Böckenhoffstraße", "4", "46236"), (51.52285, 6.92784),
        "Nagelstudio für Maniküre, Gelnägel und Nageldesign – Termine auch kurzfristig.",
        services=(
            "Maniküre klassisch", "Gelnägel Neumodellage", "Auffüllen", "Nageldesign pro Nagel",
        ),
        attributes=("kartenzahlung",),
    ),
    Shop(
        "Kosmetikinstitut Rosenholz", "kosmetik", "kirchhellen",
        ("Schulze-Delitzsch-Straße", "6", "46244"), (51.60218, 6.92437),
        "Kosmetikinstitut mit Anti-Aging-Behandlungen, Massagen und Wellness-Tagen für zwei.",
        services=("Wellness-Nachmittag für zwei", "Hot-Stone-Massage", "Augenbrauen zupfen"),
        attributes=("kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "Fußpflege Leichter Schritt", "kosmetik", "welheim",
        ("Welheimer Straße", "12", "46238"), (51.53454, 6.98584),
        "Fußpflegepraxis mit Hausbesuchen in Welheim und Boy, auch für Diabetikerinnen und "
        "Diabetiker.",
        services=("Podologische Komplexbehandlung", "Hausbesuch", "Nagelspange"),
        attributes=("barrierefrei",),
    ),
    Shop(
        "Hörwerk & Optik Brenk", "optiker", "kirchhellen",
        ("Hauptstraße", "8", "46244"), (51.60382, 6.92023),
        "Optiker und Hörakustiker unter einem Dach – mit Hörtest und Hausbesuchen im Bezirk.",
        services=("Hörtest", "Hörgeräte-Probetragen", "Brillenreinigung Ultraschall"),
        attributes=("barrierefrei", "kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "Hörakustik Ohrwerk", "optiker", "stadtmitte",
        ("Pferdemarkt", "5", "46236"), (51.52227, 6.92417),
        "Hörakustik-Fachgeschäft mit Gehörschutz nach Maß für Musiker und Handwerker.",
        services=("Gehörschutz nach Maß", "Hörgeräte-Service", "Batterien (6 Stück)"),
        attributes=("barrierefrei", "kartenzahlung"),
    ),
    Shop(
        "Physiotherapie Bewegungsraum", "physiotherapie", "stadtmitte",
        ("Friedrich-Ebert-Straße", "40", "46236"), (51.52435, 6.92484),
        "Physiotherapiepraxis mit Krankengymnastik, Manueller Therapie und Rückenkursen.",
        description="Praxis in der Bottroper Innenstadt.",
        services=("Krankengymnastik", "Manuelle Therapie", "Rückenkurs"),
        attributes=("barrierefrei", "kartenzahlung"),
    ),
    Shop(
        "Praxis am Stenkhoff", "physiotherapie", "eigen",
        ("Stenkhoffstraße", "21", "46240"), (51.55251, 6.93771),
        "Physiotherapie und Massage in Eigen mit Lymphdrainage und Hausbesuchen.",
        services=("Manuelle Lymphdrainage", "Klassische Massage", "Hausbesuch"),
        attributes=("barrierefrei", "kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "Therapiezentrum Lindenhof", "physiotherapie", "kirchhellen",
        ("Gartenstraße", "20", "46244"), (51.60108, 6.9208),
        "Therapiezentrum mit Physiotherapie, Ergotherapie und Gerätetraining für Kirchhellen.",
        services=("Gerätetraining", "Ergotherapie", "Krankengymnastik"),
        attributes=("barrierefrei", "kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "Malerbetrieb Kaminski", "maler", "boy",
        ("Horster Straße", "220", "46240"), (51.53118, 6.97077),
        "Malermeisterbetrieb für Innen- und Fassadenarbeiten, Tapezieren und Bodenbeläge.",
        description="Seit 1988 streicht Kaminski Wohnungen, Treppenhäuser und Fassaden in Bottrop"
                    " und Gladbeck.",
        services=("Wände streichen", "Tapezieren Raufaser", "Vinylboden verlegen"),
        attributes=("kartenzahlung",),
    ),
    Shop(
        "Tischlerei Brüggemann", "tischler", "hardinghausen",
        ("Weseler Weg", "40", "46244"), (51.59668, 6.88347),
        "Tischlerei für Möbel nach Maß, Innentüren und Treppen aus heimischen Hölzern.",
        services=("Einbauschrank nach Maß", "Innentür mit Zarge", "Arbeitsstunde Werkstatt"),
        attributes=("parkplaetze",),
    ),
    Shop(
        "Tischlerei Spänemacher", "tischler", "ebel",
        ("Hafenstraße", "50", "46242"), (51.50329, 6.94644),
        "Junge Tischlerei am Kanal mit Möbelreparaturen, Upcycling und Holzkursen am Wochenende.",
        services=("Stuhl leimen", "Holzkurs Hocker", "Tisch aus Altholz"),
        attributes=("kartenzahlung",),
    ),
    Shop(
        "Schuhmacherei Absatz", "schuhmacher", "stadtmitte",
        ("Berliner Platz", "2", "46236"), (51.52553, 6.92936),
        "Schuhreparatur, Schlüsselnachfertigung und Gravuren direkt am ZOB – oft zum Mitwarten.",
        services=("Absätze erneuern Damen", "Schlüssel nachmachen", "Neue Ledersohle", "Gravur"),
        attributes=("kartenzahlung",),
    ),
    Shop(
        "Leisten & Schlüssel", "schuhmacher", "kirchhellen",
        ("Kirchstraße", "20", "46244"), (51.60282, 6.92107),
        "Schuhservice, Schlüsseldienst und Lederpflege in Kirchhellen – mit Türöffnung im "
        "Notfall.",
        services=("Türöffnung tagsüber", "Schlüssel nachmachen", "Schuhe besohlen"),
        attributes=("kartenzahlung",),
    ),
    Shop(
        "Kfz-Werkstatt Schraubwerk", "kfz", "ebel",
        ("Hafenstraße", "80", "46242"), (51.50602, 6.94385),
        "Freie Kfz-Meisterwerkstatt für alle Marken: Inspektion, HU-Vorbereitung und "
        "Klimaservice.",
        services=(
            "Inspektion nach Herstellervorgabe", "Klimaservice", "Reifenwechsel inkl. Auswuchten",
            "Arbeitsstunde",
        ),
        attributes=("kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "Autoservice Welheimer Mark", "kfz", "welheimer-mark",
        ("In der Welheimer Mark", "55", "46238"), (51.50697, 6.96439),
        "Kleine Werkstatt für Reparaturen, Reifeneinlagerung und Oldtimer-Pflege.",
        services=("Reifeneinlagerung", "Ölwechsel inkl. Filter", "Oldtimer-Durchsicht"),
        attributes=("parkplaetze",),
    ),
    Shop(
        "Kfz-Technik Ottenschlag", "kfz", "overhagen",
        ("Ottenschlag", "12", "46244"), (51.60386, 6.94209),
        "Werkstatt für Pkw, Transporter und Landmaschinen mit Hol- und Bringservice im Bezirk "
        "Kirchhellen.",
        services=("Hol- und Bringservice", "Inspektion Transporter", "Arbeitsstunde Landtechnik"),
        attributes=("kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "Blumenhaus Wiesengrün", "blumen", "stadtmitte",
        ("Kirchhellener Straße", "35", "46236"), (51.53093, 6.92486),
        "Floristikfachgeschäft mit Fairtrade-Rosen, Saisonblumen und Trauerfloristik nahe der "
        "Innenstadt.",
        services=(
            "Saisonstrauß", "Fairtrade-Rosen, 10 Stück", "Trauerkranz", "Brautstrauß mit Beratung",
        ),
        attributes=("barrierefrei", "fairtrade", "kartenzahlung"),
        delivery=("delivery", "pickup"),
    ),
    Shop(
        "Blumen Löwenzahn", "blumen", "kirchhellen",
        ("Johann-Breuker-Platz", "5", "46244"), (51.60199, 6.92166),
        "Blumengeschäft am Marktplatz mit Balkonpflanzen, Grabgestaltung und sonntags geöffnet.",
        services=("Blumenstrauß klein", "Grabgestaltung Herbst", "Balkonkasten bepflanzt"),
        attributes=("fairtrade", "kartenzahlung", "parkplaetze"),
        delivery=("delivery",),
    ),
    Shop(
        "Blumenstübchen Boy", "blumen", "boy", ("Boyer Markt", "2", "46240"), (51.53205, 6.96559),
        "Kleines Blumengeschäft am Boyer Markt mit Fairtrade-Blumen und Geschenken zum kleinen "
        "Preis.",
        services=("Strauß der Woche", "Orchidee im Topf"),
        attributes=("fairtrade", "kartenzahlung"),
    ),
    Shop(
        "Wohnwerk Interior", "wohnen-deko", "stadtmitte",
        ("Hansastraße", "30", "46236"), (51.52442, 6.92644),
        "Wohnaccessoires, Lampen und Textilien im skandinavischen Stil mit Einrichtungsberatung.",
        description="Ein Showroom in Bottrop.",
        services=("Einrichtungsberatung zu Hause", "Kissenhülle Leinen", "Tischleuchte"),
        attributes=("barrierefrei", "kartenzahlung"),
        delivery=("shipping",),
    ),
    Shop(
        "Buchhandlung Seitenwind", "buecher", "stadtmitte",
        ("Hochstraße", "35", "46236"), (51.52673, 6.93022),
        "Unabhängige Buchhandlung mit Lesungen, Ruhrgebietsliteratur und Bestellservice über "
        "Nacht.",
        description="Das Team von Seitenwind liest, was es empfiehlt, und schreibt kleine Zettel "
                    "an die Lieblingsbücher. Bestellte Titel liegen meist am nächsten Morgen "
                    "bereit. Einmal im Monat gibt es eine Lesung, oft mit Autorinnen und Autoren "
                    "aus dem Revier.",
        services=("Bestellservice", "Lesung", "Buch-Abo"),
        attributes=("barrierefrei", "fairtrade", "kartenzahlung"),
        delivery=("delivery", "pickup"),
    ),
    Shop(
        "Leseinsel Kirchhellen", "buecher", "kirchhellen",
        ("Kirchstraße", "7", "46244"), (51.60384, 6.9199),
        "Kleine Buchhandlung im Dorf mit Kinderbuchecke, Schulbüchern und Bestellungen über "
        "Nacht.",
        description="In der Leseinsel gibt es eine gemütliche Ecke mit Sitzkissen für Kinder und "
                    "eine wöchentliche Vorlesestunde. Schulbuchlisten der Kirchhellener Schulen "
                    "werden rechtzeitig vor den Ferien abgearbeitet.",
        services=("Vorlesestunde für Kinder", "Schulbuchbestellung"),
        attributes=("barrierefrei", "fairtrade", "kartenzahlung"),
        delivery=("pickup",),
    ),
    Shop(
        "Antiquariat Eselsohr", "buecher", "stadtmitte",
        ("Brauerstraße", "6", "46236"), (51.52302, 6.9271),
        "Antiquariat mit alten Stadtansichten, Bergbaugeschichte, Kinderbüchern und "
        "Schallplatten.",
        description="Zwischen den Regalen findet man Erstausgaben, Bergbauliteratur und "
                    "Postkarten des alten Bottrop. Ankauf ganzer Nachlässe nach Besichtigung.",
        services=("Ankauf von Büchersammlungen", "Historische Postkarte Bottrop"),
        delivery=("shipping",),
    ),
    Shop(
        "Fahrradwerkstatt Speiche", "fahrraeder", "stadtmitte",
        ("Hardenbergstraße", "14", "46236"), (51.52482, 6.92394),
        "Fahrradwerkstatt mit Reparaturen aller Marken, Gebrauchträdern und Lastenrad-Verleih.",
        description="Touren rund um Bottrop.",
        services=(
            "Inspektion Fahrrad", "Schlauch wechseln", "Lastenrad leihen", "Gebrauchtrad überholt",
        ),
        attributes=("kartenzahlung",),
        delivery=("pickup",),
    ),
    Shop(
        "Zweirad Pöppelbaum", "fahrraeder", "kirchhellen",
        ("Dorstener Straße", "25", "46244"), (51.60104, 6.91959),
        "Fahrradhändler mit großer E-Bike-Auswahl, Probefahrten und Werkstatt im Bezirk "
        "Kirchhellen.",
        services=("E-Bike Probefahrt", "Akku-Check", "Inspektion E-Bike"),
        attributes=("kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "E-Bike-Scheune Grafenwald", "fahrraeder", "grafenwald",
        ("Hegestraße", "70", "46244"), (51.57216, 6.89954),
        "E-Bike-Verleih und geführte Radtouren durch Kirchheller Heide und zu den Halden.",
        services=("E-Bike leihen", "Geführte Haldentour", "Kinderanhänger leihen"),
        attributes=("kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "Reisebüro Fernweh", "reisebueros", "stadtmitte",
        ("Pferdemarkt", "8", "46236"), (51.52342, 6.92733),
        "Reisebüro mit persönlicher Beratung für Pauschalreisen, Kreuzfahrten und Gruppenreisen.",
        description="Reisen ab Bottrop und Düsseldorf.",
        services=("Reiseberatung", "Gruppenreise-Planung"),
        attributes=("barrierefrei", "kartenzahlung"),
    ),
    Shop(
        "Reisekontor Kompass", "reisebueros", "kirchhellen",
        ("Hauptstraße", "15", "46244"), (51.60079, 6.92163),
        "Reisebüro in Kirchhellen mit Radreisen, Wanderurlaub und Busreisen ab dem Marktplatz.",
        services=("Busreise Weihnachtsmarkt Aachen", "Radreise-Beratung"),
        attributes=("kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "Handy-Klinik", "handy-computer", "stadtmitte",
        ("Gladbecker Straße", "20", "46236"), (51.52976, 6.93038),
        "Displaytausch, Akkuwechsel und Datenrettung für Smartphones und Tablets, oft in einer "
        "Stunde.",
        description="Reparatur in Bottrop, oft am selben Tag.",
        services=("Displaytausch", "Akkutausch", "Datenrettung"),
        attributes=("kartenzahlung",),
    ),
    Shop(
        "Rechnerwerk", "handy-computer", "kirchhellen",
        ("Schulze-Delitzsch-Straße", "30", "46244"), (51.60584, 6.91645),
        "PC-Service für Privatkunden und kleine Betriebe: Reparatur, Einrichtung und Vor-Ort-"
        "Hilfe.",
        services=("Hausbesuch", "Laptop-Reinigung", "Virenentfernung"),
        attributes=("kartenzahlung", "parkplaetze"),
    ),
    Shop(
        "Smartphone-Service Südring", "handy-computer", "lehmkuhle",
        ("Südring-Center-Promenade", "9", "46236"), (51.51547, 6.93167),
        "Handyzubehör, Reparaturen und Vertragsberatung im Südring-Center, samstags bis 20 Uhr.",
        services=("Panzerglas inkl. Anbringen", "Ladebuchse reinigen"),
        attributes=("barrierefrei", "kartenzahlung"),
    ),
    Shop(
        "Papierflieger Copy & Druck", "copyshop", "stadtmitte",
        ("Poststraße", "12", "46236"), (51.52543, 6.92898),
        "Copyshop für Kopien, Plakate, Abschlussarbeiten, Visitenkarten und Stempel.",
        description="Mitten in Bottrop.",
        services=(
            "Kopie S/W DIN A4", "Farbkopie DIN A4", "Hardcover-Bindung", "Visitenkarten 250 Stück",
        ),
        attributes=("barrierefrei", "kartenzahlung", "wlan"),
        delivery=("pickup",),
    ),
]
# fmt: on


def _week(days, *slots) -> dict:
    return {day: list(slots) for day in days}


SHOP_HOURS = {**_week(range(5), ("09:00", "18:00")), 5: [("09:00", "14:00")]}
HOURS = {  # by category; everything else keeps shop hours
    "baeckereien": {
        **_week(range(5), ("06:00", "18:00")),
        5: [("06:00", "13:00")],
        6: [("07:30", "11:00")],
    },
    "cafes": {**_week(range(6), ("08:00", "18:00")), 6: [("10:00", "18:00")]},
    "restaurants": _week(range(1, 7), ("11:30", "14:30"), ("17:30", "22:30")),
    "imbiss": {
        **_week(range(4), ("11:00", "23:00")),
        **_week((4, 5), ("11:00", "01:00")),
        6: [("12:00", "22:00")],
    },
    "kneipen-bars": {**_week(range(1, 6), ("18:00", "02:00")), 6: [("16:00", "23:00")]},
    "eiscafes": _week(range(7), ("11:00", "21:00")),
    "apotheken": {**_week(range(5), ("08:00", "18:30")), 5: [("08:30", "13:00")]},
    "friseure": {**_week(range(1, 5), ("09:00", "18:00")), 5: [("08:00", "14:00")]},
    "metzgereien": {
        **_week(range(5), ("07:30", "13:00"), ("14:30", "18:00")),
        5: [("07:00", "13:00")],
    },
}
OPEN_ON_HOLIDAYS = {"cafes", "eiscafes"}
SPECIAL_DAYS = {
    "Bäckerei Kruse": [
        {"date": date(2026, 12, 24), "opens": "06:00", "closes": "12:00", "note": "Heiligabend"},
        {"date": date(2026, 12, 25), "closed": True, "note": "1. Weihnachtstag geschlossen"},
        {"date": date(2026, 12, 26), "opens": "08:00", "closes": "11:00", "note": "Brötchen"},
        {"date": date(2026, 12, 31), "opens": "06:00", "closes": "13:00", "note": "Silvester"},
    ],
    "Café Kaffeeklatsch": [
        {"date": date(2026, 12, 25), "opens": "14:00", "closes": "18:00", "note": "Weihnachten"},
        {"date": date(2026, 12, 31), "opens": "08:00", "closes": "14:00", "note": "Silvester"},
        {"date": date(2027, 1, 1), "closed": True, "note": "Neujahr geschlossen"},
    ],
    "Bierstube Kumpeltreff": [
        {"date": date(2026, 12, 31), "opens": "18:00", "closes": "04:00", "note": "Silvester"},
    ],
    "Blumenhaus Wiesengrün": [
        {"date": date(2026, 12, 24), "opens": "08:00", "closes": "14:00", "note": "Heiligabend"},
    ],
    "Hofladen Sommerkamp": [
        {"date": date(2027, 5, 27), "opens": "10:00", "closes": "13:00", "note": "Spargel"},
    ],
}
NOT_PUBLIC = [  # name, category, status
    ("Kosmetikstudio Zartgefühl", "kosmetik", "draft"),
    ("Friseursalon Haarmonie", "friseure", "pending"),
    ("Kneipe Zur Zechenlampe", "kneipen-bars", "pending"),
    ("Druckpunkt am Hauptbahnhof", "copyshop", "archived"),
]
DELIVERY_AREA = ["46236", "46238", "46240", "46242"]


def build_town(factories) -> dict:
    """Every business of the town, by name (flushed, not committed)."""
    town = {}
    for shop in TOWN:
        street, number, postcode = shop.address
        town[shop.name] = factories.business(
            shop.name,
            shop.category,
            shop.district,
            hours=HOURS.get(shop.category, SHOP_HOURS),
            special_days=SPECIAL_DAYS.get(shop.name, []),
            delivery=[
                {"kind": kind, "postcodes": DELIVERY_AREA if kind == "delivery" else []}
                for kind in shop.delivery
            ],
            services=[{"name": name} for name in shop.services],
            attributes=shop.attributes,
            holidays_open=shop.category in OPEN_ON_HOLIDAYS,
            street=street,
            house_number=number,
            postcode=postcode,
            lat=shop.point[0],
            lon=shop.point[1],
            short_description=shop.text,
            description=shop.description,
        )
    for name, category, status in NOT_PUBLIC:
        town[name] = factories.business(name, category, "stadtmitte", status=status)
    return town
