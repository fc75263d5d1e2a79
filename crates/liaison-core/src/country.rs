//! The ISO 3166-1 country table: every officially assigned alpha-3, alpha-2 and numeric code
//! (249 entries), the Gleditsch–Ward state code that UCDP uses in its `country_id` column, and the
//! English and French short names, with lookups by code and by name.
//!
//! What it is not: a gazetteer or a boundary source (see `liaison-geo`), a record of history (no
//! former states, no ISO 3166-3), or a political statement. Entries follow ISO 3166-1 as published
//! (so Western Sahara and Palestine are entries, Kosovo is not). Names are short display names,
//! not formal titles. A Gleditsch–Ward code is `None` for dependencies and territories, and also
//! where the code was not known reliably (Kiribati, Nauru, Tonga, Tuvalu, the Holy See): absence
//! means "unknown", never "not a state".
//!
//! The table is static data: no allocation except the name index, built once on the first call to
//! [`by_name`].

use std::collections::HashMap;
use std::sync::OnceLock;

/// One ISO 3166-1 entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country {
    /// ISO 3166-1 alpha-3, upper case (`"MLI"`).
    pub alpha3: &'static str,
    /// ISO 3166-1 alpha-2, upper case (`"ML"`).
    pub alpha2: &'static str,
    /// ISO 3166-1 numeric (`466`); printed with three digits by convention (`"466"`, `"012"`).
    pub numeric: u16,
    /// Gleditsch–Ward state number as used by UCDP (`432` for Mali); `None` where there is none
    /// or it is not known reliably.
    pub gw_code: Option<u16>,
    /// English short name (`"Côte d'Ivoire"`).
    pub name_en: &'static str,
    /// French short name (`"Côte d'Ivoire"`, `"Mauritanie"`).
    pub name_fr: &'static str,
}

const fn c(
    alpha3: &'static str,
    alpha2: &'static str,
    numeric: u16,
    gw_code: Option<u16>,
    name_en: &'static str,
    name_fr: &'static str,
) -> Country {
    Country {
        alpha3,
        alpha2,
        numeric,
        gw_code,
        name_en,
        name_fr,
    }
}

/// Sorted by `alpha3` ([`by_alpha3`] relies on it; a test checks it).
static COUNTRIES: &[Country] = &[
    c("ABW", "AW", 533, None, "Aruba", "Aruba"),
    c("AFG", "AF", 4, Some(700), "Afghanistan", "Afghanistan"),
    c("AGO", "AO", 24, Some(540), "Angola", "Angola"),
    c("AIA", "AI", 660, None, "Anguilla", "Anguilla"),
    c("ALA", "AX", 248, None, "Åland Islands", "Îles Åland"),
    c("ALB", "AL", 8, Some(339), "Albania", "Albanie"),
    c("AND", "AD", 20, Some(232), "Andorra", "Andorre"),
    c(
        "ARE",
        "AE",
        784,
        Some(696),
        "United Arab Emirates",
        "Émirats arabes unis",
    ),
    c("ARG", "AR", 32, Some(160), "Argentina", "Argentine"),
    c("ARM", "AM", 51, Some(371), "Armenia", "Arménie"),
    c("ASM", "AS", 16, None, "American Samoa", "Samoa américaines"),
    c("ATA", "AQ", 10, None, "Antarctica", "Antarctique"),
    c(
        "ATF",
        "TF",
        260,
        None,
        "French Southern Territories",
        "Terres australes françaises",
    ),
    c(
        "ATG",
        "AG",
        28,
        Some(58),
        "Antigua and Barbuda",
        "Antigua-et-Barbuda",
    ),
    c("AUS", "AU", 36, Some(900), "Australia", "Australie"),
    c("AUT", "AT", 40, Some(305), "Austria", "Autriche"),
    c("AZE", "AZ", 31, Some(373), "Azerbaijan", "Azerbaïdjan"),
    c("BDI", "BI", 108, Some(516), "Burundi", "Burundi"),
    c("BEL", "BE", 56, Some(211), "Belgium", "Belgique"),
    c("BEN", "BJ", 204, Some(434), "Benin", "Bénin"),
    c(
        "BES",
        "BQ",
        535,
        None,
        "Bonaire, Sint Eustatius and Saba",
        "Bonaire, Saint-Eustache et Saba",
    ),
    c("BFA", "BF", 854, Some(439), "Burkina Faso", "Burkina Faso"),
    c("BGD", "BD", 50, Some(771), "Bangladesh", "Bangladesh"),
    c("BGR", "BG", 100, Some(355), "Bulgaria", "Bulgarie"),
    c("BHR", "BH", 48, Some(692), "Bahrain", "Bahreïn"),
    c("BHS", "BS", 44, Some(31), "Bahamas", "Bahamas"),
    c(
        "BIH",
        "BA",
        70,
        Some(346),
        "Bosnia and Herzegovina",
        "Bosnie-Herzégovine",
    ),
    c(
        "BLM",
        "BL",
        652,
        None,
        "Saint Barthélemy",
        "Saint-Barthélemy",
    ),
    c("BLR", "BY", 112, Some(370), "Belarus", "Bélarus"),
    c("BLZ", "BZ", 84, Some(80), "Belize", "Belize"),
    c("BMU", "BM", 60, None, "Bermuda", "Bermudes"),
    c("BOL", "BO", 68, Some(145), "Bolivia", "Bolivie"),
    c("BRA", "BR", 76, Some(140), "Brazil", "Brésil"),
    c("BRB", "BB", 52, Some(53), "Barbados", "Barbade"),
    c("BRN", "BN", 96, Some(835), "Brunei", "Brunéi"),
    c("BTN", "BT", 64, Some(760), "Bhutan", "Bhoutan"),
    c("BVT", "BV", 74, None, "Bouvet Island", "Île Bouvet"),
    c("BWA", "BW", 72, Some(571), "Botswana", "Botswana"),
    c(
        "CAF",
        "CF",
        140,
        Some(482),
        "Central African Republic",
        "République centrafricaine",
    ),
    c("CAN", "CA", 124, Some(20), "Canada", "Canada"),
    c(
        "CCK",
        "CC",
        166,
        None,
        "Cocos (Keeling) Islands",
        "Îles Cocos (Keeling)",
    ),
    c("CHE", "CH", 756, Some(225), "Switzerland", "Suisse"),
    c("CHL", "CL", 152, Some(155), "Chile", "Chili"),
    c("CHN", "CN", 156, Some(710), "China", "Chine"),
    c(
        "CIV",
        "CI",
        384,
        Some(437),
        "Côte d'Ivoire",
        "Côte d'Ivoire",
    ),
    c("CMR", "CM", 120, Some(471), "Cameroon", "Cameroun"),
    c(
        "COD",
        "CD",
        180,
        Some(490),
        "Democratic Republic of the Congo",
        "République démocratique du Congo",
    ),
    c("COG", "CG", 178, Some(484), "Congo", "Congo"),
    c("COK", "CK", 184, None, "Cook Islands", "Îles Cook"),
    c("COL", "CO", 170, Some(100), "Colombia", "Colombie"),
    c("COM", "KM", 174, Some(581), "Comoros", "Comores"),
    c("CPV", "CV", 132, Some(402), "Cabo Verde", "Cap-Vert"),
    c("CRI", "CR", 188, Some(94), "Costa Rica", "Costa Rica"),
    c("CUB", "CU", 192, Some(40), "Cuba", "Cuba"),
    c("CUW", "CW", 531, None, "Curaçao", "Curaçao"),
    c("CXR", "CX", 162, None, "Christmas Island", "Île Christmas"),
    c("CYM", "KY", 136, None, "Cayman Islands", "Îles Caïmans"),
    c("CYP", "CY", 196, Some(352), "Cyprus", "Chypre"),
    c("CZE", "CZ", 203, Some(316), "Czechia", "Tchéquie"),
    c("DEU", "DE", 276, Some(260), "Germany", "Allemagne"),
    c("DJI", "DJ", 262, Some(522), "Djibouti", "Djibouti"),
    c("DMA", "DM", 212, Some(54), "Dominica", "Dominique"),
    c("DNK", "DK", 208, Some(390), "Denmark", "Danemark"),
    c(
        "DOM",
        "DO",
        214,
        Some(42),
        "Dominican Republic",
        "République dominicaine",
    ),
    c("DZA", "DZ", 12, Some(615), "Algeria", "Algérie"),
    c("ECU", "EC", 218, Some(130), "Ecuador", "Équateur"),
    c("EGY", "EG", 818, Some(651), "Egypt", "Égypte"),
    c("ERI", "ER", 232, Some(531), "Eritrea", "Érythrée"),
    c(
        "ESH",
        "EH",
        732,
        None,
        "Western Sahara",
        "Sahara occidental",
    ),
    c("ESP", "ES", 724, Some(230), "Spain", "Espagne"),
    c("EST", "EE", 233, Some(366), "Estonia", "Estonie"),
    c("ETH", "ET", 231, Some(530), "Ethiopia", "Éthiopie"),
    c("FIN", "FI", 246, Some(375), "Finland", "Finlande"),
    c("FJI", "FJ", 242, Some(950), "Fiji", "Fidji"),
    c("FLK", "FK", 238, None, "Falkland Islands", "Îles Malouines"),
    c("FRA", "FR", 250, Some(220), "France", "France"),
    c("FRO", "FO", 234, None, "Faroe Islands", "Îles Féroé"),
    c("FSM", "FM", 583, Some(987), "Micronesia", "Micronésie"),
    c("GAB", "GA", 266, Some(481), "Gabon", "Gabon"),
    c("GBR", "GB", 826, Some(200), "United Kingdom", "Royaume-Uni"),
    c("GEO", "GE", 268, Some(372), "Georgia", "Géorgie"),
    c("GGY", "GG", 831, None, "Guernsey", "Guernesey"),
    c("GHA", "GH", 288, Some(452), "Ghana", "Ghana"),
    c("GIB", "GI", 292, None, "Gibraltar", "Gibraltar"),
    c("GIN", "GN", 324, Some(438), "Guinea", "Guinée"),
    c("GLP", "GP", 312, None, "Guadeloupe", "Guadeloupe"),
    c("GMB", "GM", 270, Some(420), "Gambia", "Gambie"),
    c(
        "GNB",
        "GW",
        624,
        Some(404),
        "Guinea-Bissau",
        "Guinée-Bissau",
    ),
    c(
        "GNQ",
        "GQ",
        226,
        Some(411),
        "Equatorial Guinea",
        "Guinée équatoriale",
    ),
    c("GRC", "GR", 300, Some(350), "Greece", "Grèce"),
    c("GRD", "GD", 308, Some(55), "Grenada", "Grenade"),
    c("GRL", "GL", 304, None, "Greenland", "Groënland"),
    c("GTM", "GT", 320, Some(90), "Guatemala", "Guatemala"),
    c("GUF", "GF", 254, None, "French Guiana", "Guyane française"),
    c("GUM", "GU", 316, None, "Guam", "Guam"),
    c("GUY", "GY", 328, Some(110), "Guyana", "Guyana"),
    c("HKG", "HK", 344, None, "Hong Kong", "Hong Kong"),
    c(
        "HMD",
        "HM",
        334,
        None,
        "Heard Island and McDonald Islands",
        "Îles Heard-et-MacDonald",
    ),
    c("HND", "HN", 340, Some(91), "Honduras", "Honduras"),
    c("HRV", "HR", 191, Some(344), "Croatia", "Croatie"),
    c("HTI", "HT", 332, Some(41), "Haiti", "Haïti"),
    c("HUN", "HU", 348, Some(310), "Hungary", "Hongrie"),
    c("IDN", "ID", 360, Some(850), "Indonesia", "Indonésie"),
    c("IMN", "IM", 833, None, "Isle of Man", "Île de Man"),
    c("IND", "IN", 356, Some(750), "India", "Inde"),
    c(
        "IOT",
        "IO",
        86,
        None,
        "British Indian Ocean Territory",
        "Territoire britannique de l'océan Indien",
    ),
    c("IRL", "IE", 372, Some(205), "Ireland", "Irlande"),
    c("IRN", "IR", 364, Some(630), "Iran", "Iran"),
    c("IRQ", "IQ", 368, Some(645), "Iraq", "Irak"),
    c("ISL", "IS", 352, Some(395), "Iceland", "Islande"),
    c("ISR", "IL", 376, Some(666), "Israel", "Israël"),
    c("ITA", "IT", 380, Some(325), "Italy", "Italie"),
    c("JAM", "JM", 388, Some(51), "Jamaica", "Jamaïque"),
    c("JEY", "JE", 832, None, "Jersey", "Jersey"),
    c("JOR", "JO", 400, Some(663), "Jordan", "Jordanie"),
    c("JPN", "JP", 392, Some(740), "Japan", "Japon"),
    c("KAZ", "KZ", 398, Some(705), "Kazakhstan", "Kazakhstan"),
    c("KEN", "KE", 404, Some(501), "Kenya", "Kenya"),
    c("KGZ", "KG", 417, Some(703), "Kyrgyzstan", "Kirghizistan"),
    c("KHM", "KH", 116, Some(811), "Cambodia", "Cambodge"),
    c("KIR", "KI", 296, None, "Kiribati", "Kiribati"),
    c(
        "KNA",
        "KN",
        659,
        Some(60),
        "Saint Kitts and Nevis",
        "Saint-Christophe-et-Niévès",
    ),
    c("KOR", "KR", 410, Some(732), "South Korea", "Corée du Sud"),
    c("KWT", "KW", 414, Some(690), "Kuwait", "Koweït"),
    c("LAO", "LA", 418, Some(812), "Laos", "Laos"),
    c("LBN", "LB", 422, Some(660), "Lebanon", "Liban"),
    c("LBR", "LR", 430, Some(450), "Liberia", "Libéria"),
    c("LBY", "LY", 434, Some(620), "Libya", "Libye"),
    c("LCA", "LC", 662, Some(56), "Saint Lucia", "Sainte-Lucie"),
    c(
        "LIE",
        "LI",
        438,
        Some(223),
        "Liechtenstein",
        "Liechtenstein",
    ),
    c("LKA", "LK", 144, Some(780), "Sri Lanka", "Sri Lanka"),
    c("LSO", "LS", 426, Some(570), "Lesotho", "Lesotho"),
    c("LTU", "LT", 440, Some(368), "Lithuania", "Lituanie"),
    c("LUX", "LU", 442, Some(212), "Luxembourg", "Luxembourg"),
    c("LVA", "LV", 428, Some(367), "Latvia", "Lettonie"),
    c("MAC", "MO", 446, None, "Macao", "Macao"),
    c(
        "MAF",
        "MF",
        663,
        None,
        "Saint Martin (French part)",
        "Saint-Martin (partie française)",
    ),
    c("MAR", "MA", 504, Some(600), "Morocco", "Maroc"),
    c("MCO", "MC", 492, Some(221), "Monaco", "Monaco"),
    c("MDA", "MD", 498, Some(359), "Moldova", "Moldavie"),
    c("MDG", "MG", 450, Some(580), "Madagascar", "Madagascar"),
    c("MDV", "MV", 462, Some(781), "Maldives", "Maldives"),
    c("MEX", "MX", 484, Some(70), "Mexico", "Mexique"),
    c(
        "MHL",
        "MH",
        584,
        Some(983),
        "Marshall Islands",
        "Îles Marshall",
    ),
    c(
        "MKD",
        "MK",
        807,
        Some(343),
        "North Macedonia",
        "Macédoine du Nord",
    ),
    c("MLI", "ML", 466, Some(432), "Mali", "Mali"),
    c("MLT", "MT", 470, Some(338), "Malta", "Malte"),
    c("MMR", "MM", 104, Some(775), "Myanmar", "Birmanie"),
    c("MNE", "ME", 499, Some(341), "Montenegro", "Monténégro"),
    c("MNG", "MN", 496, Some(712), "Mongolia", "Mongolie"),
    c(
        "MNP",
        "MP",
        580,
        None,
        "Northern Mariana Islands",
        "Îles Mariannes du Nord",
    ),
    c("MOZ", "MZ", 508, Some(541), "Mozambique", "Mozambique"),
    c("MRT", "MR", 478, Some(435), "Mauritania", "Mauritanie"),
    c("MSR", "MS", 500, None, "Montserrat", "Montserrat"),
    c("MTQ", "MQ", 474, None, "Martinique", "Martinique"),
    c("MUS", "MU", 480, Some(590), "Mauritius", "Maurice"),
    c("MWI", "MW", 454, Some(553), "Malawi", "Malawi"),
    c("MYS", "MY", 458, Some(820), "Malaysia", "Malaisie"),
    c("MYT", "YT", 175, None, "Mayotte", "Mayotte"),
    c("NAM", "NA", 516, Some(565), "Namibia", "Namibie"),
    c(
        "NCL",
        "NC",
        540,
        None,
        "New Caledonia",
        "Nouvelle-Calédonie",
    ),
    c("NER", "NE", 562, Some(436), "Niger", "Niger"),
    c("NFK", "NF", 574, None, "Norfolk Island", "Île Norfolk"),
    c("NGA", "NG", 566, Some(475), "Nigeria", "Nigeria"),
    c("NIC", "NI", 558, Some(93), "Nicaragua", "Nicaragua"),
    c("NIU", "NU", 570, None, "Niue", "Nioue"),
    c("NLD", "NL", 528, Some(210), "Netherlands", "Pays-Bas"),
    c("NOR", "NO", 578, Some(385), "Norway", "Norvège"),
    c("NPL", "NP", 524, Some(790), "Nepal", "Népal"),
    c("NRU", "NR", 520, None, "Nauru", "Nauru"),
    c(
        "NZL",
        "NZ",
        554,
        Some(920),
        "New Zealand",
        "Nouvelle-Zélande",
    ),
    c("OMN", "OM", 512, Some(698), "Oman", "Oman"),
    c("PAK", "PK", 586, Some(770), "Pakistan", "Pakistan"),
    c("PAN", "PA", 591, Some(95), "Panama", "Panama"),
    c("PCN", "PN", 612, None, "Pitcairn", "Îles Pitcairn"),
    c("PER", "PE", 604, Some(135), "Peru", "Pérou"),
    c("PHL", "PH", 608, Some(840), "Philippines", "Philippines"),
    c("PLW", "PW", 585, Some(986), "Palau", "Palaos"),
    c(
        "PNG",
        "PG",
        598,
        Some(910),
        "Papua New Guinea",
        "Papouasie-Nouvelle-Guinée",
    ),
    c("POL", "PL", 616, Some(290), "Poland", "Pologne"),
    c("PRI", "PR", 630, None, "Puerto Rico", "Porto Rico"),
    c("PRK", "KP", 408, Some(731), "North Korea", "Corée du Nord"),
    c("PRT", "PT", 620, Some(235), "Portugal", "Portugal"),
    c("PRY", "PY", 600, Some(150), "Paraguay", "Paraguay"),
    c("PSE", "PS", 275, None, "Palestine", "Palestine"),
    c(
        "PYF",
        "PF",
        258,
        None,
        "French Polynesia",
        "Polynésie française",
    ),
    c("QAT", "QA", 634, Some(694), "Qatar", "Qatar"),
    c("REU", "RE", 638, None, "Réunion", "La Réunion"),
    c("ROU", "RO", 642, Some(360), "Romania", "Roumanie"),
    c("RUS", "RU", 643, Some(365), "Russia", "Russie"),
    c("RWA", "RW", 646, Some(517), "Rwanda", "Rwanda"),
    c(
        "SAU",
        "SA",
        682,
        Some(670),
        "Saudi Arabia",
        "Arabie saoudite",
    ),
    c("SDN", "SD", 729, Some(625), "Sudan", "Soudan"),
    c("SEN", "SN", 686, Some(433), "Senegal", "Sénégal"),
    c("SGP", "SG", 702, Some(830), "Singapore", "Singapour"),
    c(
        "SGS",
        "GS",
        239,
        None,
        "South Georgia and the South Sandwich Islands",
        "Géorgie du Sud et les îles Sandwich du Sud",
    ),
    c(
        "SHN",
        "SH",
        654,
        None,
        "Saint Helena, Ascension and Tristan da Cunha",
        "Sainte-Hélène, Ascension et Tristan da Cunha",
    ),
    c(
        "SJM",
        "SJ",
        744,
        None,
        "Svalbard and Jan Mayen",
        "Svalbard et île Jan Mayen",
    ),
    c(
        "SLB",
        "SB",
        90,
        Some(940),
        "Solomon Islands",
        "Îles Salomon",
    ),
    c("SLE", "SL", 694, Some(451), "Sierra Leone", "Sierra Leone"),
    c("SLV", "SV", 222, Some(92), "El Salvador", "Salvador"),
    c("SMR", "SM", 674, Some(331), "San Marino", "Saint-Marin"),
    c("SOM", "SO", 706, Some(520), "Somalia", "Somalie"),
    c(
        "SPM",
        "PM",
        666,
        None,
        "Saint Pierre and Miquelon",
        "Saint-Pierre-et-Miquelon",
    ),
    c("SRB", "RS", 688, Some(345), "Serbia", "Serbie"),
    c("SSD", "SS", 728, Some(626), "South Sudan", "Soudan du Sud"),
    c(
        "STP",
        "ST",
        678,
        Some(403),
        "Sao Tome and Principe",
        "Sao Tomé-et-Principe",
    ),
    c("SUR", "SR", 740, Some(115), "Suriname", "Surinam"),
    c("SVK", "SK", 703, Some(317), "Slovakia", "Slovaquie"),
    c("SVN", "SI", 705, Some(349), "Slovenia", "Slovénie"),
    c("SWE", "SE", 752, Some(380), "Sweden", "Suède"),
    c("SWZ", "SZ", 748, Some(572), "Eswatini", "Eswatini"),
    c(
        "SXM",
        "SX",
        534,
        None,
        "Sint Maarten (Dutch part)",
        "Saint-Martin (partie néerlandaise)",
    ),
    c("SYC", "SC", 690, Some(591), "Seychelles", "Seychelles"),
    c("SYR", "SY", 760, Some(652), "Syria", "Syrie"),
    c(
        "TCA",
        "TC",
        796,
        None,
        "Turks and Caicos Islands",
        "Îles Turques-et-Caïques",
    ),
    c("TCD", "TD", 148, Some(483), "Chad", "Tchad"),
    c("TGO", "TG", 768, Some(461), "Togo", "Togo"),
    c("THA", "TH", 764, Some(800), "Thailand", "Thaïlande"),
    c("TJK", "TJ", 762, Some(702), "Tajikistan", "Tadjikistan"),
    c("TKL", "TK", 772, None, "Tokelau", "Tokelau"),
    c("TKM", "TM", 795, Some(701), "Turkmenistan", "Turkménistan"),
    c("TLS", "TL", 626, Some(860), "Timor-Leste", "Timor oriental"),
    c("TON", "TO", 776, None, "Tonga", "Tonga"),
    c(
        "TTO",
        "TT",
        780,
        Some(52),
        "Trinidad and Tobago",
        "Trinité-et-Tobago",
    ),
    c("TUN", "TN", 788, Some(616), "Tunisia", "Tunisie"),
    c("TUR", "TR", 792, Some(640), "Türkiye", "Türkiye"),
    c("TUV", "TV", 798, None, "Tuvalu", "Tuvalu"),
    c("TWN", "TW", 158, Some(713), "Taiwan", "Taïwan"),
    c("TZA", "TZ", 834, Some(510), "Tanzania", "Tanzanie"),
    c("UGA", "UG", 800, Some(500), "Uganda", "Ouganda"),
    c("UKR", "UA", 804, Some(369), "Ukraine", "Ukraine"),
    c(
        "UMI",
        "UM",
        581,
        None,
        "United States Minor Outlying Islands",
        "Îles mineures éloignées des États-Unis",
    ),
    c("URY", "UY", 858, Some(165), "Uruguay", "Uruguay"),
    c("USA", "US", 840, Some(2), "United States", "États-Unis"),
    c("UZB", "UZ", 860, Some(704), "Uzbekistan", "Ouzbékistan"),
    c("VAT", "VA", 336, None, "Holy See", "Saint-Siège"),
    c(
        "VCT",
        "VC",
        670,
        Some(57),
        "Saint Vincent and the Grenadines",
        "Saint-Vincent-et-les-Grenadines",
    ),
    c("VEN", "VE", 862, Some(101), "Venezuela", "Venezuela"),
    c(
        "VGB",
        "VG",
        92,
        None,
        "British Virgin Islands",
        "Îles Vierges britanniques",
    ),
    c(
        "VIR",
        "VI",
        850,
        None,
        "U.S. Virgin Islands",
        "Îles Vierges des États-Unis",
    ),
    c("VNM", "VN", 704, Some(816), "Vietnam", "Viêt Nam"),
    c("VUT", "VU", 548, Some(935), "Vanuatu", "Vanuatu"),
    c(
        "WLF",
        "WF",
        876,
        None,
        "Wallis and Futuna",
        "Wallis et Futuna",
    ),
    c("WSM", "WS", 882, Some(990), "Samoa", "Samoa"),
    c("YEM", "YE", 887, Some(678), "Yemen", "Yémen"),
    c(
        "ZAF",
        "ZA",
        710,
        Some(560),
        "South Africa",
        "Afrique du Sud",
    ),
    c("ZMB", "ZM", 894, Some(551), "Zambia", "Zambie"),
    c("ZWE", "ZW", 716, Some(552), "Zimbabwe", "Zimbabwe"),
];

/// Other names met in data sources, mapped to alpha-3. Keys are compared after [`normalize`], so
/// case, accents, apostrophes and punctuation do not matter here. Names that only differ from an
/// entry by a trailing parenthesised former name ("Myanmar (Burma)") need no alias: [`by_name`]
/// strips it as a fallback; they are listed when the stripped form would be wrong or missing.
static ALIASES: &[(&str, &str)] = &[
    // ISO 3166-1 list forms ("Name, qualifier") and formal names.
    ("Bolivia, Plurinational State of", "BOL"),
    ("Bolivie, état plurinational de", "BOL"),
    ("Brunei Darussalam", "BRN"),
    ("Brunéi Darussalam", "BRN"),
    ("Congo, The Democratic Republic of the", "COD"),
    ("Congo, Democratic Republic of the", "COD"),
    ("Democratic Republic of Congo", "COD"),
    ("République du Congo", "COG"),
    ("Republic of the Congo", "COG"),
    ("Czech Republic", "CZE"),
    ("République tchèque", "CZE"),
    ("Falkland Islands (Malvinas)", "FLK"),
    ("Micronesia, Federated States of", "FSM"),
    ("Iran, Islamic Republic of", "IRN"),
    ("Iran, République islamique d'", "IRN"),
    ("Korea, Republic of", "KOR"),
    ("Republic of Korea", "KOR"),
    ("Corée, République de", "KOR"),
    ("Korea, Democratic People's Republic of", "PRK"),
    ("Democratic People's Republic of Korea", "PRK"),
    ("Corée, République populaire démocratique de", "PRK"),
    ("Lao People's Democratic Republic", "LAO"),
    ("Lao, République démocratique populaire", "LAO"),
    ("Macau", "MAC"),
    ("Moldova, Republic of", "MDA"),
    ("Moldova, République de", "MDA"),
    ("Palestine, State of", "PSE"),
    ("Palestine, État de", "PSE"),
    ("Russian Federation", "RUS"),
    ("Russie, Fédération de", "RUS"),
    ("Syrian Arab Republic", "SYR"),
    ("Syrienne, République arabe", "SYR"),
    ("Taiwan, Province of China", "TWN"),
    ("Taïwan, province de Chine", "TWN"),
    ("Tanzania, United Republic of", "TZA"),
    ("Tanzanie, République unie de", "TZA"),
    ("Holy See (Vatican City State)", "VAT"),
    ("Vatican City", "VAT"),
    ("Vatican", "VAT"),
    ("Venezuela, Bolivarian Republic of", "VEN"),
    ("Virgin Islands, British", "VGB"),
    ("Virgin Islands, U.S.", "VIR"),
    ("Viet Nam", "VNM"),
    ("United States of America", "USA"),
    ("USA", "USA"),
    ("U.S.A.", "USA"),
    ("US", "USA"),
    ("États-Unis d'Amérique", "USA"),
    (
        "United Kingdom of Great Britain and Northern Ireland",
        "GBR",
    ),
    ("UK", "GBR"),
    ("Great Britain", "GBR"),
    // Common English and French variants.
    ("Ivory Coast", "CIV"),
    ("W. Sahara", "ESH"),
    ("Burkina", "BFA"),
    ("Upper Volta", "BFA"),
    ("Haute-Volta", "BFA"),
    ("The Gambia", "GMB"),
    ("Gambia, The", "GMB"),
    ("La Gambie", "GMB"),
    ("Cape Verde", "CPV"),
    ("Libyan Arab Jamahiriya", "LBY"),
    ("Jamahiriya arabe libyenne", "LBY"),
    ("Centrafrique", "CAF"),
    ("Central African Rep.", "CAF"),
    ("DR Congo", "COD"),
    ("DRC", "COD"),
    ("RDC", "COD"),
    ("RD Congo", "COD"),
    ("Congo-Kinshasa", "COD"),
    ("Congo (Kinshasa)", "COD"),
    ("Zaire", "COD"),
    ("Zaïre", "COD"),
    ("Congo-Brazzaville", "COG"),
    ("Congo (Brazzaville)", "COG"),
    ("Eq. Guinea", "GNQ"),
    ("Swaziland", "SWZ"),
    ("Kingdom of eSwatini", "SWZ"),
    ("Burma", "MMR"),
    ("Kampuchea", "KHM"),
    ("Rhodesia", "ZWE"),
    ("Malagasy Republic", "MDG"),
    ("East Timor", "TLS"),
    ("Turkey", "TUR"),
    ("Turquie", "TUR"),
    ("Biélorussie", "BLR"),
    ("Macedonia", "MKD"),
    ("Macedonia, FYR", "MKD"),
    ("Macédoine", "MKD"),
    ("Bosnia-Herzegovina", "BIH"),
    ("Bosnia", "BIH"),
    ("S. Sudan", "SSD"),
    ("UAE", "ARE"),
    ("Holland", "NLD"),
    ("St. Kitts and Nevis", "KNA"),
    ("St. Lucia", "LCA"),
    ("St. Vincent and the Grenadines", "VCT"),
    // UCDP-style names ("Current (Former)") whose stripped form alone would not be found.
    ("DR Congo (Zaire)", "COD"),
    ("Kingdom of eSwatini (Swaziland)", "SWZ"),
    // States that Gleditsch–Ward (and UCDP) treat as continued by the present one.
    ("Soviet Union", "RUS"),
    ("USSR", "RUS"),
    ("Yugoslavia", "SRB"),
    ("North Yemen", "YEM"),
    ("North Vietnam", "VNM"),
];

/// Every entry, sorted by alpha-3.
pub fn all() -> &'static [Country] {
    COUNTRIES
}

/// The entry with this alpha-3 code, in any case (`"mli"`, `"MLI"`).
pub fn by_alpha3(code: &str) -> Option<&'static Country> {
    let &[a, b, c] = code.as_bytes() else {
        return None;
    };
    let key = [
        a.to_ascii_uppercase(),
        b.to_ascii_uppercase(),
        c.to_ascii_uppercase(),
    ];
    COUNTRIES
        .binary_search_by(|country| country.alpha3.as_bytes().cmp(&key[..]))
        .ok()
        .and_then(|index| COUNTRIES.get(index))
}

/// The entry with this alpha-2 code, in any case (`"ml"`, `"ML"`).
pub fn by_alpha2(code: &str) -> Option<&'static Country> {
    if code.len() != 2 {
        return None;
    }
    COUNTRIES
        .iter()
        .find(|country| country.alpha2.eq_ignore_ascii_case(code))
}

/// The entry with this Gleditsch–Ward code (UCDP `country_id`), if the table knows it.
pub fn by_gw_code(code: u16) -> Option<&'static Country> {
    COUNTRIES
        .iter()
        .find(|country| country.gw_code == Some(code))
}

/// The entry with this English or French name, or a known variant of it ("Ivory Coast",
/// "W. Sahara", "USA", "DR Congo (Zaire)"). Case, Latin-1 accents, spaces, apostrophes (straight
/// or curly) and other punctuation are ignored. When nothing matches and the name ends with a
/// parenthesised part, as UCDP writes former names ("Myanmar (Burma)"), the part is dropped and
/// the rest is looked up again.
pub fn by_name(name: &str) -> Option<&'static Country> {
    let index = name_index();
    if let Some(&country) = index.get(&normalize(name)) {
        return Some(country);
    }
    let stripped = strip_trailing_parenthesis(name)?;
    index.get(&normalize(stripped)).copied()
}

/// Normalised name → entry, built once. Names of entries come first, so an alias can never hide
/// an entry's own name (a test checks that none tries to).
fn name_index() -> &'static HashMap<String, &'static Country> {
    static INDEX: OnceLock<HashMap<String, &'static Country>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = HashMap::with_capacity(COUNTRIES.len() * 2 + ALIASES.len());
        for country in COUNTRIES {
            index.entry(normalize(country.name_en)).or_insert(country);
            index.entry(normalize(country.name_fr)).or_insert(country);
        }
        for (alias, alpha3) in ALIASES {
            if let Some(country) = by_alpha3(alpha3) {
                index.entry(normalize(alias)).or_insert(country);
            }
        }
        index
    })
}

/// `"Myanmar (Burma)"` → `Some("Myanmar")`; `None` when there is no trailing parenthesised part
/// or nothing would be left.
fn strip_trailing_parenthesis(name: &str) -> Option<&str> {
    let trimmed = name.trim_end();
    let inner = trimmed.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let rest = inner.get(..open)?.trim();
    (!rest.is_empty()).then_some(rest)
}

/// The comparison key of a name: its letters and digits only, lower case, Latin-1 (and French
/// œ) letters without accents. So `Côte d'Ivoire`, `Côte d’Ivoire`, `COTE D IVOIRE` and
/// `cote-divoire` share one key, and so do `Guinea-Bissau` and `Guinea Bissau`.
fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.chars().filter(|ch| ch.is_alphanumeric()) {
        push_folded(ch, &mut out);
    }
    out
}

/// Push `ch` lower-cased, with the accent of a Latin-1 letter removed (`É` → `e`, `ß` → `ss`).
fn push_folded(ch: char, out: &mut String) {
    let base = match ch {
        'À'..='Å' | 'à'..='å' => "a",
        'Æ' | 'æ' => "ae",
        'Ç' | 'ç' => "c",
        'È'..='Ë' | 'è'..='ë' => "e",
        'Ì'..='Ï' | 'ì'..='ï' => "i",
        'Ð' | 'ð' => "d",
        'Ñ' | 'ñ' => "n",
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' => "o",
        'Œ' | 'œ' => "oe",
        'Ù'..='Ü' | 'ù'..='ü' => "u",
        'Ý' | 'ý' | 'ÿ' | 'Ÿ' => "y",
        'Þ' | 'þ' => "th",
        'ß' => "ss",
        _ => {
            out.extend(ch.to_lowercase());
            return;
        }
    };
    out.push_str(base);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The region's states: alpha-3, alpha-2, numeric, Gleditsch–Ward, English, French.
    const REGION: &[(&str, &str, u16, u16, &str, &str)] = &[
        ("MLI", "ML", 466, 432, "Mali", "Mali"),
        ("SEN", "SN", 686, 433, "Senegal", "Sénégal"),
        ("BEN", "BJ", 204, 434, "Benin", "Bénin"),
        ("MRT", "MR", 478, 435, "Mauritania", "Mauritanie"),
        ("NER", "NE", 562, 436, "Niger", "Niger"),
        ("CIV", "CI", 384, 437, "Côte d'Ivoire", "Côte d'Ivoire"),
        ("GIN", "GN", 324, 438, "Guinea", "Guinée"),
        ("BFA", "BF", 854, 439, "Burkina Faso", "Burkina Faso"),
        ("LBR", "LR", 430, 450, "Liberia", "Libéria"),
        ("SLE", "SL", 694, 451, "Sierra Leone", "Sierra Leone"),
        ("GHA", "GH", 288, 452, "Ghana", "Ghana"),
        ("TGO", "TG", 768, 461, "Togo", "Togo"),
        ("CMR", "CM", 120, 471, "Cameroon", "Cameroun"),
        ("NGA", "NG", 566, 475, "Nigeria", "Nigeria"),
        ("TCD", "TD", 148, 483, "Chad", "Tchad"),
        ("MAR", "MA", 504, 600, "Morocco", "Maroc"),
        ("DZA", "DZ", 12, 615, "Algeria", "Algérie"),
        ("TUN", "TN", 788, 616, "Tunisia", "Tunisie"),
        ("LBY", "LY", 434, 620, "Libya", "Libye"),
        ("SDN", "SD", 729, 625, "Sudan", "Soudan"),
        ("EGY", "EG", 818, 651, "Egypt", "Égypte"),
        ("FRA", "FR", 250, 220, "France", "France"),
        ("USA", "US", 840, 2, "United States", "États-Unis"),
        ("GNB", "GW", 624, 404, "Guinea-Bissau", "Guinée-Bissau"),
        ("GMB", "GM", 270, 420, "Gambia", "Gambie"),
    ];

    #[test]
    fn the_region_is_found_by_every_key() {
        for &(alpha3, alpha2, numeric, gw, en, fr) in REGION {
            let country = by_alpha3(alpha3).unwrap();
            assert_eq!(country.alpha2, alpha2, "{alpha3}");
            assert_eq!(country.numeric, numeric, "{alpha3}");
            assert_eq!(country.gw_code, Some(gw), "{alpha3}");
            assert_eq!(country.name_en, en, "{alpha3}");
            assert_eq!(country.name_fr, fr, "{alpha3}");
            assert_eq!(by_alpha3(&alpha3.to_lowercase()), Some(country));
            assert_eq!(by_alpha2(alpha2), Some(country), "{alpha2}");
            assert_eq!(by_alpha2(&alpha2.to_lowercase()), Some(country));
            assert_eq!(by_gw_code(gw), Some(country), "{gw}");
            assert_eq!(by_name(en), Some(country), "{en}");
            assert_eq!(by_name(fr), Some(country), "{fr}");
            assert_eq!(by_name(&en.to_uppercase()), Some(country), "{en}");
        }
    }

    #[test]
    fn western_sahara_is_an_entry_without_gleditsch_ward_code() {
        let esh = by_alpha3("ESH").unwrap();
        assert_eq!((esh.alpha2, esh.numeric, esh.gw_code), ("EH", 732, None));
        assert_eq!(by_name("Western Sahara"), Some(esh));
        assert_eq!(by_name("W. Sahara"), Some(esh));
        assert_eq!(by_name("Sahara occidental"), Some(esh));
    }

    #[test]
    fn names_match_with_or_without_accents_and_in_any_apostrophe() {
        let cases = [
            ("Côte d'Ivoire", "CIV"),
            ("Cote d'Ivoire", "CIV"),
            ("Côte d’Ivoire", "CIV"),
            ("COTE D IVOIRE", "CIV"),
            ("cote-d'ivoire", "CIV"),
            ("Ivory Coast", "CIV"),
            ("Algerie", "DZA"),
            ("Algérie", "DZA"),
            ("ALGÉRIE", "DZA"),
            ("Senegal", "SEN"),
            ("Sénégal", "SEN"),
            ("Guinée", "GIN"),
            ("Guinee", "GIN"),
            ("Guinea Bissau", "GNB"),
            ("Guinée-Bissau", "GNB"),
            ("Guinea-Bissau", "GNB"),
            ("Equatorial Guinea", "GNQ"),
            ("Papua New Guinea", "PNG"),
            ("Burkina", "BFA"),
            ("  burkina   faso ", "BFA"),
            ("Niger", "NER"),
            ("Nigeria", "NGA"),
            ("Libya", "LBY"),
            ("Libyan Arab Jamahiriya", "LBY"),
            ("Tchad", "TCD"),
            ("United States of America", "USA"),
            ("USA", "USA"),
            ("Etats-Unis", "USA"),
            ("Åland Islands", "ALA"),
            ("Türkiye", "TUR"),
            ("Turkey", "TUR"),
            ("Réunion", "REU"),
        ];
        for (name, alpha3) in cases {
            assert_eq!(by_name(name).map(|c| c.alpha3), Some(alpha3), "{name}");
        }
    }

    #[test]
    fn ucdp_style_names_with_former_names_resolve() {
        let cases = [
            ("DR Congo (Zaire)", "COD"),
            ("Russia (Soviet Union)", "RUS"),
            ("Yemen (North Yemen)", "YEM"),
            ("Serbia (Yugoslavia)", "SRB"),
            ("Cambodia (Kampuchea)", "KHM"),
            ("Vietnam (North Vietnam)", "VNM"),
            ("Zimbabwe (Rhodesia)", "ZWE"),
            ("Madagascar (Malagasy)", "MDG"),
            ("Kingdom of eSwatini (Swaziland)", "SWZ"),
            ("Myanmar (Burma)", "MMR"),
            ("Congo (Kinshasa)", "COD"),
            ("Congo (Brazzaville)", "COG"),
            ("Timor-Leste (East Timor)", "TLS"),
            ("Mali (French Sudan)", "MLI"),
        ];
        for (name, alpha3) in cases {
            assert_eq!(by_name(name).map(|c| c.alpha3), Some(alpha3), "{name}");
        }
    }

    #[test]
    fn the_gleditsch_ward_codes_ucdp_uses_resolve() {
        let cases = [
            (365, "RUS"),
            (345, "SRB"),
            (678, "YEM"),
            (816, "VNM"),
            (260, "DEU"),
        ];
        for (gw, alpha3) in cases {
            assert_eq!(by_gw_code(gw).map(|c| c.alpha3), Some(alpha3), "{gw}");
        }
    }

    #[test]
    fn unknown_keys_give_none() {
        for code in ["", "M", "XXX", "MLIX", "ML", "ÀÀÀ", "123"] {
            assert_eq!(by_alpha3(code), None, "{code:?}");
        }
        for code in ["", "X", "XK", "MLI", "ÀÀ", "00"] {
            assert_eq!(by_alpha2(code), None, "{code:?}");
        }
        for code in [0, 1, 3, 255, 433 + 1000, u16::MAX] {
            assert_eq!(by_gw_code(code), None, "{code}");
        }
        for name in ["", "   ", "Atlantis", "Kosovo", "()", "Sahara", "Guinea X"] {
            assert_eq!(by_name(name), None, "{name:?}");
        }
    }

    #[test]
    fn the_table_is_complete_sorted_and_without_duplicates() {
        assert_eq!(all().len(), 249);
        assert!(
            all().windows(2).all(|w| w[0].alpha3 < w[1].alpha3),
            "sorted by alpha3"
        );
        let mut alpha2 = HashSet::new();
        let mut numeric = HashSet::new();
        let mut gw = HashSet::new();
        for country in all() {
            assert!(alpha2.insert(country.alpha2), "{}", country.alpha2);
            assert!(numeric.insert(country.numeric), "{}", country.numeric);
            if let Some(code) = country.gw_code {
                assert!(gw.insert(code), "{code}");
            }
            assert!(
                country.alpha3.len() == 3 && country.alpha3.bytes().all(|b| b.is_ascii_uppercase())
            );
            assert!(
                country.alpha2.len() == 2 && country.alpha2.bytes().all(|b| b.is_ascii_uppercase())
            );
            assert!((1..=999).contains(&country.numeric), "{}", country.alpha3);
            assert!(!country.name_en.is_empty() && !country.name_fr.is_empty());
            assert_eq!(by_alpha3(country.alpha3), Some(country));
            assert_eq!(by_alpha2(country.alpha2), Some(country));
        }
    }

    #[test]
    fn names_and_aliases_are_unambiguous() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        let names = all()
            .iter()
            .flat_map(|c| [(c.name_en, c.alpha3), (c.name_fr, c.alpha3)]);
        for (name, alpha3) in names.chain(ALIASES.iter().copied()) {
            assert!(by_alpha3(alpha3).is_some(), "alias target {alpha3}");
            let key = normalize(name);
            assert!(!key.is_empty(), "{name:?}");
            let first = *seen.entry(key).or_insert(alpha3);
            assert_eq!(first, alpha3, "{name:?} names two countries");
        }
        // Every entry is found by its own names.
        for country in all() {
            assert_eq!(
                by_name(country.name_en),
                Some(country),
                "{}",
                country.name_en
            );
            assert_eq!(
                by_name(country.name_fr),
                Some(country),
                "{}",
                country.name_fr
            );
        }
    }

    #[test]
    fn normalization_folds_case_accents_and_punctuation() {
        assert_eq!(normalize("Côte d’Ivoire"), "cotedivoire");
        assert_eq!(normalize("  São Tomé-et-Príncipe "), "saotomeetprincipe");
        assert_eq!(normalize("W. Sahara"), "wsahara");
        assert_eq!(normalize("ÆØÅ æøå ßÞ Œuvre"), "aeoaaeoassthoeuvre");
        assert_eq!(
            strip_trailing_parenthesis("Myanmar (Burma) "),
            Some("Myanmar")
        );
        assert_eq!(strip_trailing_parenthesis("(Burma)"), None);
        assert_eq!(strip_trailing_parenthesis("Myanmar"), None);
    }
}
