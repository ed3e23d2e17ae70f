//! The core's serde adapters under the same seeded mutations as the vendor decoders: never a
//! panic or a stack overflow.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pos_client_core::sandbox::mutation::mutations;
use rand::SeedableRng;
use rand::rngs::StdRng;

#[test]
fn every_core_adapter_survives_seeded_mutations() {
    let seed = pos_reliability::fuzz::ADAPTER_SEED.as_bytes();
    assert!(pos_reliability::fuzz::adapters(seed), "the seed decodes");
    let mut rng = StdRng::seed_from_u64(2026);
    let mut cases = 0;
    let mut decoded = 0;
    while cases < 10_000 {
        for case in mutations(seed, &mut rng) {
            cases += 1;
            let ok = std::panic::catch_unwind(|| pos_reliability::fuzz::adapters(&case));
            assert!(
                ok.is_ok(),
                "panicked on {:?}",
                String::from_utf8_lossy(&case)
            );
            decoded += usize::from(ok.unwrap_or(false));
        }
    }
    println!("{cases} cases, {decoded} decoded");
    assert!(decoded > 0 && decoded < cases);
}
