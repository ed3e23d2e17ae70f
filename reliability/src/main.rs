//! `pos-reliability`: runs the fault matrix and the mutation test of every vendor and prints
//! `docs/reliability.md`. Normally run through `cargo xtask reliability`.
//! `pos-reliability --write-corpus DIR` writes every vendor's seed answers as cargo-fuzz corpora
//! (`DIR/decode_<vendor>/…`, in the fuzz targets' input layout).

/// Counts the heap for the report's "heap after load" section.
#[global_allocator]
static ALLOC: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, dir] = args.as_slice()
        && flag == "--write-corpus"
    {
        if let Err(e) = pos_reliability::write_corpus(std::path::Path::new(dir)).await {
            eprintln!("pos-reliability: {e}");
            std::process::exit(1);
        }
        return;
    }
    let (cells, reports) = match pos_reliability::run_all().await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("pos-reliability: {e}");
            std::process::exit(1);
        }
    };
    let mut heaps = Vec::new();
    for vendor in pos_reliability::VENDORS {
        match pos_reliability::heap::burst(
            vendor,
            200,
            &|| ALLOC.current_usage(),
            &|| ALLOC.reset_peak_usage(),
            &|| ALLOC.peak_usage(),
        )
        .await
        {
            Ok(report) => heaps.push(report),
            Err(e) => {
                eprintln!("pos-reliability: {vendor}: {e}");
                std::process::exit(1);
            }
        }
    }
    let date = pos_client_core::chrono::Utc::now()
        .format("%Y-%m-%d %H:%M UTC")
        .to_string();
    print!(
        "{}",
        pos_reliability::report::markdown(&cells, &reports, &heaps, &date)
    );
}
