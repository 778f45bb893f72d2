import { rememberResults } from './remember-results.js';

export interface Country {
  /** ISO 3166-1 alpha-2, the code custdb stores. */
  alpha2: string;
  alpha3: string;
  /** Common English short name. */
  name: string;
}

// ISO 3166-1: alpha-2 | alpha-3 | common English name. XK (Kosovo) is not in
// ISO 3166-1 but is the user-assigned code every major platform exports.
const COUNTRY_TABLE = `
AD|AND|Andorra
AE|ARE|United Arab Emirates
AF|AFG|Afghanistan
AG|ATG|Antigua and Barbuda
AI|AIA|Anguilla
AL|ALB|Albania
AM|ARM|Armenia
AO|AGO|Angola
AQ|ATA|Antarctica
AR|ARG|Argentina
AS|ASM|American Samoa
AT|AUT|Austria
AU|AUS|Australia
AW|ABW|Aruba
AX|ALA|Åland Islands
AZ|AZE|Azerbaijan
BA|BIH|Bosnia and Herzegovina
BB|BRB|Barbados
BD|BGD|Bangladesh
BE|BEL|Belgium
BF|BFA|Burkina Faso
BG|BGR|Bulgaria
BH|BHR|Bahrain
BI|BDI|Burundi
BJ|BEN|Benin
BL|BLM|Saint Barthélemy
BM|BMU|Bermuda
BN|BRN|Brunei Darussalam
BO|BOL|Bolivia
BQ|BES|Bonaire, Sint Eustatius and Saba
BR|BRA|Brazil
BS|BHS|Bahamas
BT|BTN|Bhutan
BV|BVT|Bouvet Island
BW|BWA|Botswana
BY|BLR|Belarus
BZ|BLZ|Belize
CA|CAN|Canada
CC|CCK|Cocos (Keeling) Islands
CD|COD|Congo, Democratic Republic of the
CF|CAF|Central African Republic
CG|COG|Congo
CH|CHE|Switzerland
CI|CIV|Côte d'Ivoire
CK|COK|Cook Islands
CL|CHL|Chile
CM|CMR|Cameroon
CN|CHN|China
CO|COL|Colombia
CR|CRI|Costa Rica
CU|CUB|Cuba
CV|CPV|Cabo Verde
CW|CUW|Curaçao
CX|CXR|Christmas Island
CY|CYP|Cyprus
CZ|CZE|Czechia
DE|DEU|Germany
DJ|DJI|Djibouti
DK|DNK|Denmark
DM|DMA|Dominica
DO|DOM|Dominican Republic
DZ|DZA|Algeria
EC|ECU|Ecuador
EE|EST|Estonia
EG|EGY|Egypt
EH|ESH|Western Sahara
ER|ERI|Eritrea
ES|ESP|Spain
ET|ETH|Ethiopia
FI|FIN|Finland
FJ|FJI|Fiji
FK|FLK|Falkland Islands (Malvinas)
FM|FSM|Micronesia
FO|FRO|Faroe Islands
FR|FRA|France
GA|GAB|Gabon
GB|GBR|United Kingdom
GD|GRD|Grenada
GE|GEO|Georgia
GF|GUF|French Guiana
GG|GGY|Guernsey
GH|GHA|Ghana
GI|GIB|Gibraltar
GL|GRL|Greenland
GM|GMB|Gambia
GN|GIN|Guinea
GP|GLP|Guadeloupe
GQ|GNQ|Equatorial Guinea
GR|GRC|Greece
GS|SGS|South Georgia and the South Sandwich Islands
GT|GTM|Guatemala
GU|GUM|Guam
GW|GNB|Guinea-Bissau
GY|GUY|Guyana
HK|HKG|Hong Kong
HM|HMD|Heard Island and McDonald Islands
HN|HND|Honduras
HR|HRV|Croatia
HT|HTI|Haiti
HU|HUN|Hungary
ID|IDN|Indonesia
IE|IRL|Ireland
IL|ISR|Israel
IM|IMN|Isle of Man
IN|IND|India
IO|IOT|British Indian Ocean Territory
IQ|IRQ|Iraq
IR|IRN|Iran
IS|ISL|Iceland
IT|ITA|Italy
JE|JEY|Jersey
JM|JAM|Jamaica
JO|JOR|Jordan
JP|JPN|Japan
KE|KEN|Kenya
KG|KGZ|Kyrgyzstan
KH|KHM|Cambodia
KI|KIR|Kiribati
KM|COM|Comoros
KN|KNA|Saint Kitts and Nevis
KP|PRK|North Korea
KR|KOR|South Korea
KW|KWT|Kuwait
KY|CYM|Cayman Islands
KZ|KAZ|Kazakhstan
LA|LAO|Laos
LB|LBN|Lebanon
LC|LCA|Saint Lucia
LI|LIE|Liechtenstein
LK|LKA|Sri Lanka
LR|LBR|Liberia
LS|LSO|Lesotho
LT|LTU|Lithuania
LU|LUX|Luxembourg
LV|LVA|Latvia
LY|LBY|Libya
MA|MAR|Morocco
MC|MCO|Monaco
MD|MDA|Moldova
ME|MNE|Montenegro
MF|MAF|Saint Martin (French part)
MG|MDG|Madagascar
MH|MHL|Marshall Islands
MK|MKD|North Macedonia
ML|MLI|Mali
MM|MMR|Myanmar
MN|MNG|Mongolia
MO|MAC|Macao
MP|MNP|Northern Mariana Islands
MQ|MTQ|Martinique
MR|MRT|Mauritania
MS|MSR|Montserrat
MT|MLT|Malta
MU|MUS|Mauritius
MV|MDV|Maldives
MW|MWI|Malawi
MX|MEX|Mexico
MY|MYS|Malaysia
MZ|MOZ|Mozambique
NA|NAM|Namibia
NC|NCL|New Caledonia
NE|NER|Niger
NF|NFK|Norfolk Island
NG|NGA|Nigeria
NI|NIC|Nicaragua
NL|NLD|Netherlands
NO|NOR|Norway
NP|NPL|Nepal
NR|NRU|Nauru
NU|NIU|Niue
NZ|NZL|New Zealand
OM|OMN|Oman
PA|PAN|Panama
PE|PER|Peru
PF|PYF|French Polynesia
PG|PNG|Papua New Guinea
PH|PHL|Philippines
PK|PAK|Pakistan
PL|POL|Poland
PM|SPM|Saint Pierre and Miquelon
PN|PCN|Pitcairn
PR|PRI|Puerto Rico
PS|PSE|Palestine
PT|PRT|Portugal
PW|PLW|Palau
PY|PRY|Paraguay
QA|QAT|Qatar
RE|REU|Réunion
RO|ROU|Romania
RS|SRB|Serbia
RU|RUS|Russia
RW|RWA|Rwanda
SA|SAU|Saudi Arabia
SB|SLB|Solomon Islands
SC|SYC|Seychelles
SD|SDN|Sudan
SE|SWE|Sweden
SG|SGP|Singapore
SH|SHN|Saint Helena, Ascension and Tristan da Cunha
SI|SVN|Slovenia
SJ|SJM|Svalbard and Jan Mayen
SK|SVK|Slovakia
SL|SLE|Sierra Leone
SM|SMR|San Marino
SN|SEN|Senegal
SO|SOM|Somalia
SR|SUR|Suriname
SS|SSD|South Sudan
ST|STP|Sao Tome and Principe
SV|SLV|El Salvador
SX|SXM|Sint Maarten (Dutch part)
SY|SYR|Syria
SZ|SWZ|Eswatini
TC|TCA|Turks and Caicos Islands
TD|TCD|Chad
TF|ATF|French Southern Territories
TG|TGO|Togo
TH|THA|Thailand
TJ|TJK|Tajikistan
TK|TKL|Tokelau
TL|TLS|Timor-Leste
TM|TKM|Turkmenistan
TN|TUN|Tunisia
TO|TON|Tonga
TR|TUR|Türkiye
TT|TTO|Trinidad and Tobago
TV|TUV|Tuvalu
TW|TWN|Taiwan
TZ|TZA|Tanzania
UA|UKR|Ukraine
UG|UGA|Uganda
UM|UMI|United States Minor Outlying Islands
US|USA|United States
UY|URY|Uruguay
UZ|UZB|Uzbekistan
VA|VAT|Holy See
VC|VCT|Saint Vincent and the Grenadines
VE|VEN|Venezuela
VG|VGB|Virgin Islands (British)
VI|VIR|Virgin Islands (U.S.)
VN|VNM|Vietnam
VU|VUT|Vanuatu
WF|WLF|Wallis and Futuna
WS|WSM|Samoa
XK|XKX|Kosovo
YE|YEM|Yemen
YT|MYT|Mayotte
ZA|ZAF|South Africa
ZM|ZMB|Zambia
ZW|ZWE|Zimbabwe
`;

// Other spellings people type: ISO long forms, local names, old names, abbreviations.
const ALIASES: Record<string, string> = {
  US: 'USA; U.S.A.; U.S.; United States of America; America; US of A; Estados Unidos; États-Unis; Vereinigte Staaten',
  GB: 'UK; U.K.; Great Britain; Britain; England; Scotland; Wales; Northern Ireland; United Kingdom of Great Britain and Northern Ireland; Grossbritannien; Großbritannien; Royaume-Uni; Reino Unido; Vereinigtes Königreich',
  DE: 'Deutschland; Allemagne; Alemania; Germania; Federal Republic of Germany; BRD',
  ES: 'España; Espagne; Spanien; Espanya',
  SE: 'Sverige; Schweden; Suède; Suecia',
  CH: 'Schweiz; Suisse; Svizzera; Svizra; Swiss Confederation; Confoederatio Helvetica; Helvetia',
  NL: 'Nederland; Holland; The Netherlands; Niederlande; Pays-Bas; Países Bajos; Paesi Bassi',
  AT: 'Österreich; Oesterreich; Autriche; Austria',
  BR: 'Brasil; Brésil; Brasilien',
  IT: 'Italia; Italie; Italien',
  FR: 'République française; Frankreich; Francia',
  BE: 'België; Belgique; Belgien; Bélgica',
  DK: 'Danmark; Dänemark; Danemark; Dinamarca',
  NO: 'Norge; Noreg; Norwegen; Norvège; Noruega',
  FI: 'Suomi; Finnland; Finlande; Finlandia',
  PL: 'Polska; Polen; Pologne; Polonia',
  IE: 'Éire; Eire; Republic of Ireland; Irland; Irlande; Irlanda',
  MX: 'México; Mexique; Mexiko; United Mexican States',
  JP: 'Nippon; Nihon; Japon; Japón',
  CN: "PRC; People's Republic of China; Mainland China; Zhongguo; Chine",
  TW: 'Republic of China; Taiwan, Province of China; Chinese Taipei; Taiwan ROC',
  KR: 'Korea; Republic of Korea; Korea, Republic of; Korea (South); Korea, South; S. Korea; Südkorea',
  KP: "Democratic People's Republic of Korea; Korea, Democratic People's Republic of; Korea (North); Korea, North; DPRK",
  RU: 'Russian Federation; Rossiya; Russland; Russie; Rusia',
  VN: 'Viet Nam; Vietnam, Socialist Republic of',
  IR: 'Iran, Islamic Republic of; Islamic Republic of Iran; Persia',
  SY: 'Syrian Arab Republic',
  LA: "Lao People's Democratic Republic; Lao PDR; Lao",
  MD: 'Republic of Moldova; Moldova, Republic of',
  TZ: 'United Republic of Tanzania; Tanzania, United Republic of',
  BO: 'Plurinational State of Bolivia; Bolivia, Plurinational State of',
  VE: 'Venezuela, Bolivarian Republic of; Bolivarian Republic of Venezuela',
  CZ: 'Czech Republic; Česko; Česká republika; Tschechien',
  SK: 'Slovak Republic; Slovensko',
  CD: 'DRC; DR Congo; Democratic Republic of the Congo; Congo-Kinshasa; Congo (Kinshasa); Zaire',
  CG: 'Republic of the Congo; Congo-Brazzaville; Congo (Brazzaville); Congo, Republic of the',
  CI: 'Ivory Coast; Cote dIvoire',
  MK: 'Macedonia; Republic of North Macedonia; FYROM; The former Yugoslav Republic of Macedonia',
  SZ: 'Swaziland; Kingdom of Eswatini',
  CV: 'Cape Verde',
  TL: 'East Timor',
  TR: 'Turkey; Turkiye; Türkei; Turquie; Turquía',
  MM: 'Burma',
  FM: 'Micronesia, Federated States of; Federated States of Micronesia',
  PS: 'Palestine, State of; State of Palestine; Palestinian Territories; Palestinian Territory',
  VA: 'Vatican; Vatican City; Vatican City State',
  HK: 'Hong Kong SAR; Hong Kong SAR China; Hong Kong, China',
  MO: 'Macau; Macao SAR; Macau SAR China',
  AE: 'UAE; U.A.E.; Emirates',
  SA: 'KSA; Kingdom of Saudi Arabia',
  BN: 'Brunei',
  VG: 'British Virgin Islands; BVI',
  VI: 'US Virgin Islands; U.S. Virgin Islands; United States Virgin Islands; USVI',
  FK: 'Falkland Islands',
  KN: 'St Kitts and Nevis; St. Kitts and Nevis; Saint Kitts',
  LC: 'St Lucia; St. Lucia',
  VC: 'St Vincent and the Grenadines; St. Vincent; Saint Vincent',
  PM: 'St Pierre and Miquelon; St. Pierre and Miquelon',
  BL: 'St Barthélemy; St. Barts; St Barts; Saint Barts',
  MF: 'Saint Martin; St Martin; St. Martin',
  SX: 'Sint Maarten',
  SH: 'Saint Helena; St Helena; St. Helena',
  BA: 'Bosnia; Bosnia-Herzegovina',
  AG: 'Antigua',
  TT: 'Trinidad',
  GM: 'The Gambia',
  BS: 'The Bahamas',
  NZ: 'Aotearoa',
  ZA: 'RSA; Suid-Afrika',
  GR: 'Hellas; Ellada; Hellenic Republic; Griechenland',
  HU: 'Magyarország',
  HR: 'Hrvatska',
  SI: 'Slovenija',
  EE: 'Eesti',
  LV: 'Latvija',
  LT: 'Lietuva',
  RO: 'România',
  UA: 'Ukraina',
  BY: 'Byelorussia; Belorussia',
  IN: 'Bharat',
  PH: 'Pilipinas',
  CC: 'Cocos Islands; Keeling Islands',
  UM: 'US Minor Outlying Islands; U.S. Minor Outlying Islands',
  AX: 'Aland; Aland Islands',
  CW: 'Curacao',
  HM: 'Heard and McDonald Islands',
  GS: 'South Georgia',
  SJ: 'Svalbard',
  WF: 'Wallis and Futuna Islands',
  PN: 'Pitcairn Islands',
  IO: 'Chagos Islands',
  PT: 'República Portuguesa',
};

const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHES_AND_DOTS = /['’.]/g;
const AMPERSAND = /&/g;
const NON_ALPHANUMERIC_RUN = /[^a-z0-9]+/g;
const LEADING_OR_TRAILING_THE = /^the | the$/g;
const TWO_CAPITALS = /^[A-Z]{2}$/;

/** Every country custdb knows: the 249 ISO 3166-1 entries plus XK (Kosovo). */
export const COUNTRIES: readonly Country[] = COUNTRY_TABLE.trim()
  .split('\n')
  .map((line) => {
    const [alpha2 = '', alpha3 = '', name = ''] = line.split('|');
    return { alpha2, alpha3, name };
  });

const BY_ALPHA2: ReadonlyMap<string, Country> = new Map(COUNTRIES.map((c) => [c.alpha2, c]));
const BY_KEY: ReadonlyMap<string, string> = buildLookup();

function buildLookup(): Map<string, string> {
  const lookup = new Map<string, string>();
  for (const c of COUNTRIES) lookup.set(countryKey(c.name), c.alpha2);
  for (const [alpha2, names] of Object.entries(ALIASES)) {
    for (const alias of names.split(';')) lookup.set(countryKey(alias), alpha2);
  }
  // Codes win over any alias that happens to spell the same.
  for (const c of COUNTRIES) {
    lookup.set(c.alpha3.toLowerCase(), c.alpha2);
    lookup.set(c.alpha2.toLowerCase(), c.alpha2);
  }
  return lookup;
}

/**
 * Lower-case, accents dropped, `&` → and, dots and apostrophes gone, other
 * punctuation → space, a leading or trailing "the" dropped (`Netherlands, The`).
 */
function countryKey(raw: string): string {
  return raw
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(AMPERSAND, ' and ')
    .replace(APOSTROPHES_AND_DOTS, '')
    .replace(NON_ALPHANUMERIC_RUN, ' ')
    .trim()
    .replace(LEADING_OR_TRAILING_THE, '');
}

/**
 * The ISO 3166-1 alpha-2 code for a country cell: accepts alpha-2, alpha-3,
 * English names and common local names or abbreviations (`U.S.A.`,
 * `Deutschland`, `England` → GB). Returns null when unknown; never guesses.
 */
export function normalizeCountry(raw: string): string | null {
  return lookUpCountry(raw);
}

const lookUpCountry = rememberResults((raw: string): string | null => {
  if (TWO_CAPITALS.test(raw) && BY_ALPHA2.has(raw)) return raw;
  return BY_KEY.get(countryKey(raw)) ?? null;
});

/** The English name of an alpha-2 code (`DE` → `Germany`), or null for an unknown code. */
export function countryName(alpha2: string): string | null {
  return BY_ALPHA2.get(alpha2)?.name ?? null;
}
