//! Countries to the STIX `region-ov` vocabulary, which follows the UN M49 sub-regions: Mali is
//! `western-africa`, Algeria `northern-africa`, Chad `middle-africa`.

/// M49 sub-region (as a STIX region) → ISO 3166-1 alpha-3 codes.
static REGIONS: &[(&str, &[&str])] = &[
    (
        "northern-africa",
        &["DZA", "EGY", "LBY", "MAR", "SDN", "TUN", "ESH"],
    ),
    (
        "western-africa",
        &[
            "BEN", "BFA", "CPV", "CIV", "GMB", "GHA", "GIN", "GNB", "LBR", "MLI", "MRT", "NER",
            "NGA", "SHN", "SEN", "SLE", "TGO",
        ],
    ),
    (
        "middle-africa",
        &[
            "AGO", "CMR", "CAF", "TCD", "COG", "COD", "GNQ", "GAB", "STP",
        ],
    ),
    (
        "eastern-africa",
        &[
            "IOT", "BDI", "COM", "DJI", "ERI", "ETH", "ATF", "KEN", "MDG", "MWI", "MUS", "MYT",
            "MOZ", "REU", "RWA", "SYC", "SOM", "SSD", "UGA", "TZA", "ZMB", "ZWE",
        ],
    ),
    ("southern-africa", &["BWA", "SWZ", "LSO", "NAM", "ZAF"]),
    (
        "caribbean",
        &[
            "AIA", "ATG", "ABW", "BHS", "BRB", "BES", "VGB", "CYM", "CUB", "CUW", "DMA", "DOM",
            "GRD", "GLP", "HTI", "JAM", "MTQ", "MSR", "PRI", "BLM", "KNA", "LCA", "MAF", "VCT",
            "SXM", "TTO", "TCA", "VIR",
        ],
    ),
    (
        "central-america",
        &["BLZ", "CRI", "SLV", "GTM", "HND", "MEX", "NIC", "PAN"],
    ),
    (
        "south-america",
        &[
            "ARG", "BOL", "BVT", "BRA", "CHL", "COL", "ECU", "FLK", "GUF", "GUY", "PRY", "PER",
            "SGS", "SUR", "URY", "VEN",
        ],
    ),
    ("northern-america", &["BMU", "CAN", "GRL", "SPM", "USA"]),
    ("central-asia", &["KAZ", "KGZ", "TJK", "TKM", "UZB"]),
    (
        "eastern-asia",
        &["CHN", "HKG", "MAC", "PRK", "JPN", "MNG", "KOR", "TWN"],
    ),
    (
        "south-eastern-asia",
        &[
            "BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "TLS", "VNM",
        ],
    ),
    (
        "southern-asia",
        &[
            "AFG", "BGD", "BTN", "IND", "IRN", "MDV", "NPL", "PAK", "LKA",
        ],
    ),
    (
        "western-asia",
        &[
            "ARM", "AZE", "BHR", "CYP", "GEO", "IRQ", "ISR", "JOR", "KWT", "LBN", "OMN", "QAT",
            "SAU", "PSE", "SYR", "TUR", "ARE", "YEM",
        ],
    ),
    (
        "eastern-europe",
        &[
            "BLR", "BGR", "CZE", "HUN", "POL", "MDA", "ROU", "RUS", "SVK", "UKR",
        ],
    ),
    (
        "northern-europe",
        &[
            "ALA", "DNK", "EST", "FRO", "FIN", "GGY", "ISL", "IRL", "IMN", "JEY", "LVA", "LTU",
            "NOR", "SJM", "SWE", "GBR",
        ],
    ),
    (
        "southern-europe",
        &[
            "ALB", "AND", "BIH", "HRV", "GIB", "GRC", "VAT", "ITA", "MLT", "MNE", "MKD", "PRT",
            "SMR", "SRB", "SVN", "ESP",
        ],
    ),
    (
        "western-europe",
        &[
            "AUT", "BEL", "FRA", "DEU", "LIE", "LUX", "MCO", "NLD", "CHE",
        ],
    ),
    (
        "australia-new-zealand",
        &["AUS", "CXR", "CCK", "HMD", "NZL", "NFK"],
    ),
    ("melanesia", &["FJI", "NCL", "PNG", "SLB", "VUT"]),
    (
        "micronesia",
        &["GUM", "KIR", "MHL", "FSM", "NRU", "MNP", "PLW", "UMI"],
    ),
    (
        "polynesia",
        &[
            "ASM", "COK", "PYF", "NIU", "PCN", "WSM", "TKL", "TON", "TUV", "WLF",
        ],
    ),
    ("antarctica", &["ATA"]),
];

/// The STIX region of a country (ISO3), or `None` for codes outside ISO 3166-1 (the `X..` codes
/// members use for bodies that are not states).
pub fn region_of(alpha3: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .find(|(_, codes)| codes.contains(&alpha3))
        .map(|(r, _)| *r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_and_every_country() {
        assert_eq!(region_of("MLI"), Some("western-africa"));
        assert_eq!(region_of("MRT"), Some("western-africa"));
        assert_eq!(region_of("DZA"), Some("northern-africa"));
        assert_eq!(region_of("LBY"), Some("northern-africa"));
        assert_eq!(region_of("TCD"), Some("middle-africa"));
        assert_eq!(region_of("XJC"), None);
        let missing: Vec<&str> = liaison_core::country::all()
            .iter()
            .map(|c| c.alpha3)
            .filter(|c| region_of(c).is_none())
            .collect();
        assert!(missing.is_empty(), "no region for {missing:?}");
        let listed: usize = REGIONS.iter().map(|(_, c)| c.len()).sum();
        assert_eq!(
            listed,
            liaison_core::country::all().len(),
            "a code listed twice"
        );
    }
}
