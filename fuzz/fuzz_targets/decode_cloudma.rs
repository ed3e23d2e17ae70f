//! Fuzzes cloudma-client's answer decoding: the first byte picks the operation (from its spec
//! notes), the second the HTTP status, the rest is the body; decoded through the client's own
//! protocol and models. Any panic is a finding.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    pos_reliability::fuzz::decode("cloudma", data);
});
