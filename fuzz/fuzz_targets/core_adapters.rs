//! Fuzzes every serde adapter of pos-client-core's `encoding` module with arbitrary JSON text.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    pos_reliability::fuzz::adapters(data);
});
