//! Fuzz target: any bytes given to the STIX bundle / TAXII envelope parser, then every object it
//! accepts given to the domain mapping. Neither may panic, overflow the stack or hang; an accepted
//! object must carry the id and type it was checked with.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = liaison_stix::parse(data) {
        assert!(parsed.objects.len() + parsed.duplicates <= parsed.total);
        for o in &parsed.objects {
            assert_eq!(o.value["id"].as_str(), Some(o.header.id.as_str()));
            assert_eq!(
                o.value["type"].as_str(),
                Some(o.header.object_type.as_str())
            );
            let _ = liaison_stix::map_object(o);
        }
    }
});
