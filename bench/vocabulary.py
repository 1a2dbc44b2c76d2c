"""Words the synthetic newsroom writes with: enough variety that full-text search behaves as it
would on real claims (common words match many rows, names and places few)."""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = _words("""
James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan
Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony
Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth
Carol Kevin Amanda Brian Dorothy George Melissa Timothy Deborah Ronald Stephanie Edward Rebecca
Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas Angela Eric Shirley
Jonathan Anna Stephen Brenda Larry Pamela Justin Emma Scott Nicole Brandon Helen Benjamin Samantha
Samuel Katherine Gregory Christine Alexander Debra Frank Rachel Patrick Carolyn Raymond Janet Jack
Catherine Dennis Maria Jerry Heather Tyler Diane Aaron Ruth Jose Julie Adam Olivia Nathan Joyce
Henry Virginia Douglas Victoria Zachary Kelly Peter Lauren Kyle Christina Ethan Joan Walter Evelyn
Noah Judith Jeremy Megan Christian Andrea Keith Cheryl Roger Hannah Terry Jacqueline Gerald Martha
Harold Gloria Sean Teresa Austin Ann Carl Sara Arthur Madison Lawrence Frances Dylan Kathryn Jesse
Janice Jordan Jean Bryan Abigail Billy Alice Joe Judy Bruce Sophia Gabriel Grace Logan Denise Albert
Amber Willie Doris Alan Marilyn Juan Danielle Wayne Beverly Elijah Isabella Randy Theresa Roy Diana
Vincent Natalie Ralph Brittany Eugene Charlotte Russell Marie Bobby Kayla Mason Alexis Philip Lori
Claudia Javier Lucia Mateo Camila Diego Valentina Andres Sofia Ignacio Fernanda Rafael Gabriela
Alejandro Daniela Emilio Ximena Santiago Paula
""")

LAST_NAMES = _words("""
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark
Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams
Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker
Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper
Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James
Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez
Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez
Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole
Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens
Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker
Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz
Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice
Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley
Spencer Hawkins Arnold Pierce Sheinbaum Obrador Calderon Navarro Delgado Aguirre Salinas Ibarra
Villanueva Espinoza Figueroa
""")

TITLES = [
    "Senator", "Governor", "Mayor", "Representative", "Minister of Finance", "Minister of Health",
    "Secretary of State", "Party spokesperson", "Campaign manager", "President", "Prime Minister",
    "City councillor", "Chief executive", "Economist", "Union leader", "Commentator", "Attorney general",
    "Minister of the Interior", "Opposition leader", "Health commissioner", "Police chief",
]

PLACES = _words("""
Mexico Texas California Florida Arizona Ohio Michigan Georgia Pennsylvania Nevada Colorado Oregon
Washington Virginia Carolina Wisconsin Minnesota Iowa Kansas Missouri Alabama Tennessee Kentucky
Louisiana Oklahoma Utah Idaho Montana Nebraska Maine Vermont Alaska Hawaii Chicago Houston Phoenix
Philadelphia Dallas Austin Denver Boston Seattle Miami Atlanta Detroit Baltimore Milwaukee Tucson
Sacramento Albuquerque Portland Guadalajara Monterrey Tijuana Puebla Canada Brazil Argentina
Colombia Chile Peru Venezuela Cuba Spain France Germany Italy Britain Ireland Poland Ukraine Russia
China Japan India Pakistan Nigeria Kenya Egypt Israel Turkey Iran Australia Sweden Norway
""")

SUBJECTS = [
    "unemployment", "inflation", "violent crime", "the murder rate", "illegal immigration",
    "border crossings", "gas prices", "electricity bills", "the minimum wage", "median income",
    "the national debt", "the budget deficit", "health insurance premiums", "drug overdoses",
    "fentanyl seizures", "vaccination rates", "hospital waiting times", "teacher salaries",
    "school enrollment", "college tuition", "rent", "home prices", "homelessness", "food prices",
    "egg prices", "tariff revenue", "corporate taxes", "property taxes", "income taxes",
    "the sales tax", "oil production", "coal jobs", "solar capacity", "wind power",
    "carbon emissions", "air pollution", "water quality", "wildfire damage", "flood insurance",
    "farm subsidies", "exports", "imports", "the trade deficit", "manufacturing jobs",
    "factory output", "small business loans", "bank lending", "mortgage rates", "child poverty",
    "life expectancy", "infant mortality", "abortion rates", "gun deaths", "police funding",
    "prison population", "deportations", "asylum claims", "refugee admissions", "military spending",
    "foreign aid", "pension payments", "social security", "medicare spending", "prescription drug prices",
    "broadband access", "voter turnout", "mail ballots", "voter fraud", "election spending",
    "cartel violence", "kidnappings", "remittances", "troop deployments", "drug trafficking",
    "public transit ridership", "traffic deaths", "road repairs", "bridge safety", "housing starts",
    "the poverty rate", "wages", "overtime pay", "union membership", "strikes", "GDP growth",
    "the stock market", "cryptocurrency fraud", "data breaches", "censorship", "press freedom",
    "sovereignty", "border security", "wall construction", "vaccine injuries", "measles cases",
    "obesity", "smoking rates", "opioid prescriptions", "literacy", "test scores",
]

TRENDS = [
    "rose by {n} percent", "fell by {n} percent", "doubled", "tripled", "dropped to a {n}-year low",
    "hit a record high", "grew faster than anywhere else", "has not changed in {n} years",
    "went up {n} percent under this government", "fell {n} percent since {year}",
    "is the highest in {n} years", "is lower than it was in {year}", "increased {n}-fold",
]

TIMEFRAMES = [
    "last year", "since {year}", "in the past {n} months", "over the last decade",
    "during the pandemic", "this quarter", "under the previous administration", "in {year}",
]

FILLER = _words("""
officials data report numbers figures statistics government agency federal state local budget plan
policy program law bill vote voters families workers businesses taxpayers children students patients
doctors nurses teachers police farmers drivers residents citizens immigrants veterans seniors
communities cities counties region country nation economy market prices costs spending revenue jobs
growth decline record increase decrease average median total share rate percent million billion
thousand dollars pesos per capita annual monthly weekly official independent analysis estimate
survey census study researchers experts economists academics critics supporters opponents campaign
speech interview debate rally statement press conference social media post video chart graph
misleading accurate context missing exaggerated cherry-picked outdated compared baseline methodology
definition sample margin error adjusted nominal real seasonal trend long-term short-term temporary
permanent partial complete preliminary revised final
""")

TOPIC_BASES = [
    "Economy", "Immigration", "Health", "Education", "Crime", "Energy", "Environment", "Climate",
    "Elections", "Foreign policy", "Taxes", "Housing", "Labor", "Trade", "Agriculture",
    "Transportation", "Technology", "Media", "Defense", "Justice", "Drugs", "Guns", "Religion",
    "Science", "Social security", "Poverty", "Water", "Infrastructure", "Pandemic", "Vaccines",
    "Budget", "Debt", "Corruption", "Human rights", "Border", "Security", "Veterans", "Children",
    "Women", "Sports",
]
TOPIC_QUALIFIERS = ["", " policy", " spending", " reform", " statistics"]

OUTLET_WORDS = _words("""
Daily Morning Evening Weekly National Metro Valley Coast Capital Pacific Atlantic Central Northern
Southern Western Eastern Free Independent Public Citizen Republic Union Frontier Border Lakeside
Mountain River Harbor Prairie Desert
""")
OUTLET_NOUNS = _words("""
Times Post Herald Tribune Journal Ledger Gazette Observer Courier Chronicle Record News
""")

RELATION_NOTES = [
    "", "", "Official figures from the statistics agency.", "The original speech, at minute 12.",
    "An independent analysis of the same data.", "The agency's own report contradicts the figure.",
    "Context: the series was revised in {year}.", "Interview with the researcher who built the index.",
]

CORRECTION_NOTES = [
    "An earlier version misstated the year of the comparison.",
    "We updated this fact check with the agency's revised figures.",
    "An earlier version misspelled the claimant's name.",
]
